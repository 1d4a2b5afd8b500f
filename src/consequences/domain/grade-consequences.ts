import type { GradeCode, NonGradeOutcomeKind } from '../../appraisal/domain/vocabulary.js';

/** What an annual outcome says for its consequences; a non-grade outcome's reason does not matter here. */
export type AppraisedOutcome = { kind: 'GRADE'; grade: GradeCode } | { kind: NonGradeOutcomeKind };

/** One person's final outcome of one annual appraisal. */
export interface AnnualOutcome {
  year: number;
  outcome: AppraisedOutcome;
}

/** 嘉奖, 记三等功, 晋升工资档次, 晋升级别, 诫勉谈话, 降低职务职级层次, 辞退 (DOMAIN.md §4.5). */
export type GradeConsequenceKind =
  | 'COMMENDATION'
  | 'MERIT_THIRD_CLASS'
  | 'SALARY_STEP'
  | 'SALARY_LEVEL'
  | 'ADMONITION'
  | 'DEMOTION'
  | 'DISMISSAL_TRIGGER';

export interface GradeConsequence {
  year: number;
  kind: GradeConsequenceKind;
  label: string;
  /** Why, in Chinese: the years and grades it rests on, and the running count where there is one. */
  detail: string;
  /** The years it rests on, oldest first. */
  basisYears: number[];
}

/** The annual scales' grades by rank: civil servants (称职…) and public institutions (合格…) alike. */
type Standing = 'EXCELLENT' | 'COMPETENT' | 'BASICALLY_COMPETENT' | 'INCOMPETENT';

interface GradedYear {
  year: number;
  standing: Standing;
  /** The grade's name on its own scale, so that a 事业单位 year reads 合格, not 称职. */
  gradeLabel: string;
}

const ANNUAL_GRADES = new Map<GradeCode, { standing: Standing; gradeLabel: string }>([
  ['EXCELLENT', { standing: 'EXCELLENT', gradeLabel: '优秀' }],
  ['COMPETENT', { standing: 'COMPETENT', gradeLabel: '称职' }],
  ['QUALIFIED', { standing: 'COMPETENT', gradeLabel: '合格' }],
  ['BASICALLY_COMPETENT', { standing: 'BASICALLY_COMPETENT', gradeLabel: '基本称职' }],
  ['BASICALLY_QUALIFIED', { standing: 'BASICALLY_COMPETENT', gradeLabel: '基本合格' }],
  ['INCOMPETENT', { standing: 'INCOMPETENT', gradeLabel: '不称职' }],
  ['UNQUALIFIED', { standing: 'INCOMPETENT', gradeLabel: '不合格' }],
]);

const KIND_ORDER: readonly GradeConsequenceKind[] = [
  'COMMENDATION',
  'MERIT_THIRD_CLASS',
  'SALARY_STEP',
  'SALARY_LEVEL',
  'ADMONITION',
  'DEMOTION',
  'DISMISSAL_TRIGGER',
];

const LABELS: Record<GradeConsequenceKind, string> = {
  COMMENDATION: '嘉奖',
  MERIT_THIRD_CLASS: '记三等功',
  SALARY_STEP: '晋升一个工资档次',
  SALARY_LEVEL: '晋升一个级别',
  ADMONITION: '诫勉谈话、作出书面检查',
  DEMOTION: '降低一个职务职级层次',
  DISMISSAL_TRIGGER: '辞退',
};

const EXCELLENT_YEARS_PER_MERIT = 3;
const QUALIFYING_YEARS_PER_STEP = 2;
const QUALIFYING_YEARS_PER_LEVEL = 5;
const INCOMPETENT_YEARS_FOR_DISMISSAL = 2;

/**
 * The consequences of one person's annual grades (DOMAIN.md §4.5), ordered by year, given the
 * outcomes in year order with at most one per year. Only the grades of the two annual scales
 * count; a year without one (comment only, withheld, not participating, or no record at all)
 * counts for nothing and breaks every run of consecutive years.
 */
export function gradeConsequences(outcomes: readonly AnnualOutcome[]): GradeConsequence[] {
  const years = outcomes.flatMap(gradedYear);
  return [
    ...commendations(years),
    ...thirdClassMerits(years),
    ...salaryPromotions(years, 'SALARY_STEP', QUALIFYING_YEARS_PER_STEP, '晋升工资档次'),
    ...salaryPromotions(years, 'SALARY_LEVEL', QUALIFYING_YEARS_PER_LEVEL, '晋升级别'),
    ...admonitions(years),
    ...demotions(years),
    ...dismissalTriggers(years),
  ].sort((a, b) => a.year - b.year || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

function gradedYear({ year, outcome }: AnnualOutcome): GradedYear[] {
  const grade = outcome.kind === 'GRADE' ? ANNUAL_GRADES.get(outcome.grade) : undefined;
  return grade ? [{ year, ...grade }] : [];
}

function commendations(years: GradedYear[]): GradeConsequence[] {
  return years.filter(isStanding('EXCELLENT')).map((year) => consequence('COMMENDATION', [year], describe([year])));
}

/** Every third year of a run of consecutive 优秀: the run starts counting again after each merit. */
function thirdClassMerits(years: GradedYear[]): GradeConsequence[] {
  return consecutiveRuns(years.filter(isStanding('EXCELLENT')))
    .flatMap((run) => completedGroups(run, EXCELLENT_YEARS_PER_MERIT))
    .map(({ group }, index) =>
      consequence('MERIT_THIRD_CLASS', group, `${describe(group)}：连续${EXCELLENT_YEARS_PER_MERIT}年优秀，第${index + 1}次记三等功`),
    );
}

/** 称职 (合格) or better, cumulative: 基本称职 and non-grade years neither count nor reset the total. */
function salaryPromotions(
  years: GradedYear[],
  kind: 'SALARY_STEP' | 'SALARY_LEVEL',
  yearsPerPromotion: number,
  promotion: string,
): GradeConsequence[] {
  const qualifying = years.filter((year) => year.standing === 'EXCELLENT' || year.standing === 'COMPETENT');
  return completedGroups(qualifying, yearsPerPromotion).map(({ group, total }) =>
    consequence(
      kind,
      group,
      `${describe(group)}：称职（合格）以上等次累计${total}年，第${total / yearsPerPromotion}次${promotion}`,
    ),
  );
}

function admonitions(years: GradedYear[]): GradeConsequence[] {
  return years
    .filter(isStanding('BASICALLY_COMPETENT'))
    .map((year) => consequence('ADMONITION', [year], `${describe([year])}：当年不计入晋升工资档次和级别的年限`));
}

function demotions(years: GradedYear[]): GradeConsequence[] {
  return years.filter(isStanding('INCOMPETENT')).map((year) => consequence('DEMOTION', [year], describe([year])));
}

/** Each year that closes two consecutive 不称职 years: the trigger holds again if a third follows. */
function dismissalTriggers(years: GradedYear[]): GradeConsequence[] {
  return consecutiveRuns(years.filter(isStanding('INCOMPETENT')))
    .flatMap((run) => slidingWindows(run, INCOMPETENT_YEARS_FOR_DISMISSAL))
    .map((window) => consequence('DISMISSAL_TRIGGER', window, `${describe(window)}：连续${INCOMPETENT_YEARS_FOR_DISMISSAL}年`));
}

function consequence(kind: GradeConsequenceKind, basis: GradedYear[], detail: string): GradeConsequence {
  return { year: basis[basis.length - 1].year, kind, label: LABELS[kind], detail, basisYears: basis.map((entry) => entry.year) };
}

function isStanding(standing: Standing): (year: GradedYear) => boolean {
  return (year) => year.standing === standing;
}

/** Splits years into runs of adjacent calendar years. */
function consecutiveRuns(years: GradedYear[]): GradedYear[][] {
  const runs: GradedYear[][] = [];
  for (const entry of years) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1].year === entry.year - 1) run.push(entry);
    else runs.push([entry]);
  }
  return runs;
}

/** Each complete group of `size` items, in order, with the running total of items it completes. */
function completedGroups<T>(items: T[], size: number): { group: T[]; total: number }[] {
  return items.flatMap((_, index) => {
    const total = index + 1;
    return total % size === 0 ? [{ group: items.slice(total - size, total), total }] : [];
  });
}

function slidingWindows<T>(items: T[], size: number): T[][] {
  return items.slice(size - 1).map((_, index) => items.slice(index, index + size));
}

/** `2021、2022年度优秀，2023年度称职`: years with their grades, same grades grouped. */
function describe(years: GradedYear[]): string {
  const groups: { gradeLabel: string; years: number[] }[] = [];
  for (const { year, gradeLabel } of years) {
    const last = groups[groups.length - 1];
    if (last?.gradeLabel === gradeLabel) last.years.push(year);
    else groups.push({ gradeLabel, years: [year] });
  }
  return groups.map((group) => `${group.years.join('、')}年度${group.gradeLabel}`).join('，');
}
