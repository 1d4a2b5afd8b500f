import { excellentRate } from '../../appraisal/domain/annual-linkage.js';
import { disciplineEffect, effectPeriodEnd, type MeasureOnRecord } from '../../appraisal/domain/discipline-effects.js';
import { quotaRuleFor, scaleFor } from '../../appraisal/domain/derive-grade.js';
import { quotaAllowance } from '../../appraisal/domain/quota.js';
import { parsePeriod, type Period } from '../../appraisal/domain/vocabulary.js';
import type { GradeScale, RuleSetDocument } from '../../rule-set/domain/rule-set.js';
import { previousDay } from '../../shared/calendar-date.js';
import type { MeasureFact, PersonFacts, RecordFacts } from './report-facts.js';
import { postOn } from './report-facts.js';
import {
  ISSUED_ON_COLUMN,
  ORDINAL_COLUMN,
  REPORT_KINDS,
  type ReportCell,
  type ReportColumn,
  type ReportDocument,
  type ReportKind,
  type ReportRow,
} from './report-document.js';
import {
  MEASURE_LABELS,
  NON_GRADE_OUTCOME_LABELS,
  PERSON_CATEGORY_LABELS,
  UNDETERMINED_LABEL,
  isPenalty,
  nameList,
  percent,
  periodLabel,
} from './report-labels.js';

/** Everything a report is computed from: the organization's records of the period's year and their people. */
export interface ReportInput {
  kind: ReportKind;
  organizationId: string;
  period: string;
  /** Names of the organization and its units as they stood when the report was filed. */
  organizationNames: Readonly<Record<string, string>>;
  /** The organization's records of every period in the report period's year. */
  records: readonly RecordFacts[];
  people: Readonly<Record<string, PersonFacts>>;
  ruleSet(id: string, version: number): RuleSetDocument | undefined;
}

/** A record with what the builders derive from it once. */
interface Entry {
  record: RecordFacts;
  period: Period;
  person: PersonFacts | undefined;
  ruleSet: RuleSetDocument | undefined;
  scale: GradeScale | undefined;
  name: string;
}

const TOTAL_ROW_KEY = 'TOTAL';
const TOTAL_LABEL = '合计';

/** The report's rows and columns from the facts: a pure function, so replay reproduces every revision. */
export function buildReport(input: ReportInput): ReportDocument {
  const reportPeriod = parsePeriod(input.period);
  if (!reportPeriod) throw new Error(`report period ${input.period} is not a period`);
  const entries = input.records
    .map((record) => entryOf(input, record))
    .sort((a, b) => a.record.unitId.localeCompare(b.record.unitId) || a.record.personId.localeCompare(b.record.personId) || a.record.period.localeCompare(b.record.period));
  const content = BUILDERS[input.kind](input, reportPeriod, entries);
  return { kind: input.kind, title: REPORT_KINDS[input.kind].title, organizationId: input.organizationId, period: input.period, ...content };
}

type Builder = (input: ReportInput, period: Period, entries: Entry[]) => Pick<ReportDocument, 'columns' | 'rows' | 'summary'>;

const BUILDERS: Readonly<Record<ReportKind, Builder>> = {
  QUARTERLY_FILING: quarterlyFiling,
  QUARTERLY_SUMMARY: quarterlySummary,
  REGISTRATION_SUMMARY: registrationSummary,
  ANNUAL_REGISTRATION: annualRegistration,
  ROSTER: roster,
  SANCTIONED_LIST: sanctionedList,
};

function entryOf(input: ReportInput, record: RecordFacts): Entry {
  const period = parsePeriod(record.period)!;
  const person = input.people[record.personId];
  const ruleSet = input.ruleSet(record.ruleSetId, record.ruleSetVersion);
  const scale = ruleSet && scaleFor(ruleSet, period, record.category);
  return { record, period, person, ruleSet, scale, name: person?.name ?? record.personId };
}

const inPeriod = (entries: Entry[], period: string) => entries.filter((entry) => entry.record.period === period);

/** 实际参加考核: everyone but those who did not take part (left, retired, seconded elsewhere). */
const participates = (entry: Entry) =>
  entry.record.participation.outcome !== 'NOT_PARTICIPATING' && entry.record.outcome?.kind !== 'NOT_PARTICIPATING';

const gradeOf = (entry: Entry) => (entry.record.outcome?.kind === 'GRADE' ? entry.record.outcome.grade : undefined);

/** Position of the record's grade on its scale (0 = top), or undefined without a grade. */
function rankOf(entry: Entry): number | undefined {
  const grade = gradeOf(entry);
  if (grade === undefined || !entry.scale) return undefined;
  const index = entry.scale.grades.findIndex((candidate) => candidate.code === grade);
  return index < 0 ? undefined : index;
}

const isTop = (entry: Entry) => rankOf(entry) === 0;
/** 一般及以下 (and C/D, 基本称职/不称职): the third grade of the scale and below. */
const isLow = (entry: Entry) => (rankOf(entry) ?? -1) >= 2;
/** 未定等次: withheld, comment only, or not determined yet. */
const isUngraded = (entry: Entry) => participates(entry) && entry.record.outcome?.kind !== 'GRADE';

function outcomeLabel(entry: Entry): string {
  const outcome = entry.record.outcome;
  const participation = entry.record.participation;
  if (!outcome && participation.outcome === 'NOT_PARTICIPATING') {
    return participation.reason ? `${NON_GRADE_OUTCOME_LABELS.NOT_PARTICIPATING}（${participation.reason}）` : NON_GRADE_OUTCOME_LABELS.NOT_PARTICIPATING;
  }
  if (!outcome) return UNDETERMINED_LABEL;
  if (outcome.kind === 'GRADE') return entry.scale?.grades.find((grade) => grade.code === outcome.grade)?.label ?? outcome.grade;
  return outcome.reason ? `${NON_GRADE_OUTCOME_LABELS[outcome.kind]}（${outcome.reason}）` : NON_GRADE_OUTCOME_LABELS[outcome.kind];
}

/** The grade scales in use, in order of first appearance; grades merged by code. */
function gradesInUse(entries: Entry[]): { code: string; label: string }[] {
  const grades: { code: string; label: string }[] = [];
  for (const entry of entries) {
    for (const grade of entry.scale?.grades ?? []) {
      if (!grades.some((known) => known.code === grade.code)) grades.push({ code: grade.code, label: grade.label });
    }
  }
  return grades;
}

/** The top grade's and the third grade's labels, for headers such as 好等次人员名单 and 一般及以下等次人员名单. */
function scaleLabels(entries: Entry[]): { top: string; low: string } {
  const scale = entries.find((entry) => entry.scale)?.scale;
  return { top: scale?.grades[0]?.label ?? '最高', low: scale?.grades[2]?.label ?? '较低' };
}

function unitName(input: ReportInput, unitId: string): string {
  return input.organizationNames[unitId] ?? unitId;
}

/** 单位及职务（职级）: the unit and post in force at the end of the period. */
function unitAndPost(input: ReportInput, entry: Entry): string {
  const post = entry.person && postOn(entry.person, entry.period.end);
  const unit = unitName(input, entry.record.unitId);
  return post ? `${unit} ${post.position}（${post.rank}）` : unit;
}

const reasonOf = (entry: Entry) => `${entry.name}（${outcomeLabel(entry)}）`;

/** Grouped per unit in unit order, then the organization's total. */
function perUnitWithTotal(entries: Entry[]): { key: string; unitId: string | undefined; entries: Entry[] }[] {
  const units = [...new Set(entries.map((entry) => entry.record.unitId))];
  return [
    ...units.map((unitId) => ({ key: `UNIT:${unitId}`, unitId, entries: entries.filter((entry) => entry.record.unitId === unitId) })),
    { key: TOTAL_ROW_KEY, unitId: undefined, entries },
  ];
}

function gradeCountColumns(grades: { code: string; label: string }[]): ReportColumn[] {
  return grades.flatMap((grade) => [
    { key: `count:${grade.code}`, header: `${grade.label}等次人数` },
    { key: `share:${grade.code}`, header: `${grade.label}等次比例` },
  ]);
}

function gradeCountCells(grades: { code: string; label: string }[], entries: Entry[]): Record<string, ReportCell> {
  const participating = entries.filter(participates).length;
  const cells: Record<string, ReportCell> = {};
  for (const grade of grades) {
    const count = entries.filter((entry) => gradeOf(entry) === grade.code).length;
    cells[`count:${grade.code}`] = count;
    cells[`share:${grade.code}`] = percent(count, participating);
  }
  return cells;
}

/** 平时考核结果备案表: per unit and in total, who took part and how the grades fell. */
function quarterlyFiling(input: ReportInput, period: Period, all: Entry[]) {
  const entries = inPeriod(all, input.period);
  const grades = gradesInUse(entries);
  const labels = scaleLabels(entries);
  const columns: ReportColumn[] = [
    { key: 'unit', header: '单位' },
    { key: 'period', header: '考核周期' },
    { key: 'expected', header: '应参加考核人数' },
    { key: 'participating', header: '实际参加考核人数' },
    ...gradeCountColumns(grades),
    { key: 'topList', header: `${labels.top}等次人员名单` },
    { key: 'lowList', header: `${labels.low}及以下等次人员名单` },
    { key: 'ungradedList', header: '未定等次人员名单及原因' },
    ISSUED_ON_COLUMN,
  ];
  const rows = perUnitWithTotal(entries).map(({ key, unitId, entries: group }) => ({
    key,
    cells: {
      unit: unitId === undefined ? TOTAL_LABEL : unitName(input, unitId),
      period: periodLabel(period),
      expected: group.length,
      participating: group.filter(participates).length,
      ...gradeCountCells(grades, group),
      topList: nameList(group.filter(isTop).map((entry) => entry.name)),
      lowList: nameList(group.filter(isLow).map((entry) => entry.name)),
      ungradedList: nameList(group.filter(isUngraded).map(reasonOf)),
    },
  }));
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), period: periodLabel(period) } };
}

/** 公务员平时考核结果汇总表: one row per quarter (or month) of the year. */
function quarterlySummary(input: ReportInput, period: Period, all: Entry[]) {
  const shortPeriods = all.filter((entry) => entry.period.kind !== 'ANNUAL' && entry.period.year === period.year);
  const labels = scaleLabels(shortPeriods);
  const columns: ReportColumn[] = [
    { key: 'period', header: '考核周期' },
    { key: 'topCount', header: `考核为${labels.top}等次人数` },
    { key: 'topShare', header: `${labels.top}等次人数占实际参加考核总人数比例` },
    { key: 'topList', header: `考核为${labels.top}等次人员名单` },
    { key: 'topElsewhereList', header: `因派驻、挂职等原因在接收单位考核为${labels.top}等次人员名单` },
    { key: 'lowOrUngradedList', header: `评定为${labels.low}及以下等次、未定等次人员名单` },
  ];
  const periods = [...new Set(shortPeriods.map((entry) => entry.record.period))].sort();
  const rows = periods.map((code) => {
    const entries = inPeriod(shortPeriods, code);
    const top = entries.filter(isTop);
    const appraisedElsewhere = (entry: Entry) => entry.record.participation.appraisedBy !== undefined;
    return {
      key: code,
      cells: {
        period: periodLabel(parsePeriod(code)!),
        topCount: top.length,
        topShare: percent(top.length, entries.filter(participates).length),
        topList: nameList(top.filter((entry) => !appraisedElsewhere(entry)).map((entry) => entry.name)),
        topElsewhereList: nameList(top.filter(appraisedElsewhere).map((entry) => entry.name)),
        lowOrUngradedList: nameList(entries.filter((entry) => isLow(entry) || isUngraded(entry)).map(reasonOf)),
      },
    };
  });
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), year: `${period.year}年` } };
}

const QUARTER_COLUMN_NAMES = ['第一季度', '第二季度', '第三季度'];

/** 考核情况登记汇总表: per person with an annual record, the quarters, the rates and the proposal. */
function registrationSummary(input: ReportInput, period: Period, all: Entry[]) {
  const annual = inPeriod(all, input.period);
  const columns: ReportColumn[] = [
    ORDINAL_COLUMN,
    { key: 'name', header: '姓名' },
    ...QUARTER_COLUMN_NAMES.map((quarter, index) => ({ key: `quarter:${index + 1}`, header: `平时考核定等（${quarter}）` })),
    { key: 'quarterlyTopRate', header: '平时考核优秀率' },
    { key: 'voteTopRate', header: '年终考核测评优秀率' },
    { key: 'annualTopRate', header: '年度考核优秀率' },
    { key: 'proposal', header: '年度考核定等建议' },
    { key: 'awardTier', header: '绩效奖励级差建议' },
  ];
  const rows = annual.map((entry) => {
    const quarters = all.filter((other) => other.record.personId === entry.record.personId && other.period.kind === 'QUARTERLY' && other.period.year === period.year);
    const quarterCells: Record<string, ReportCell> = {};
    QUARTER_COLUMN_NAMES.forEach((_, index) => {
      const quarter = quarters.find((other) => other.period.index === index + 1);
      quarterCells[`quarter:${index + 1}`] = quarter ? outcomeLabel(quarter) : null;
    });
    const formula = entry.ruleSet?.annualLinkage?.excellentRate;
    const topCount = quarters.filter(isTop).length;
    const quarterCount = formula?.quarters ?? quarters.length;
    const topCode = entry.scale?.grades[0]?.code;
    const evaluation = entry.record.democratic;
    const topVotes = topCode && evaluation?.votes ? (evaluation.votes[topCode] ?? 0) : undefined;
    const proposal = entry.record.proposedGrade;
    const award = entry.ruleSet?.annualLinkage?.performanceAwardTiers?.find((tier) => tier.grade === gradeOf(entry));
    return {
      key: entry.record.recordId,
      cells: {
        name: entry.name,
        ...quarterCells,
        quarterlyTopRate: quarterCount > 0 ? percent(topCount, quarterCount) : null,
        voteTopRate: evaluation && topVotes !== undefined ? percent(topVotes, evaluation.voters) : null,
        annualTopRate: formula && evaluation && topVotes !== undefined ? percent(excellentRate(formula, topCount, topVotes, evaluation.voters), 1) : null,
        proposal: proposal ? (entry.scale?.grades.find((grade) => grade.code === proposal)?.label ?? proposal) : null,
        awardTier: award?.tier ?? null,
      },
    };
  });
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), year: `${period.year}年` } };
}

/** 考核审核备案登记表: per unit and in total, the grades, the ungraded, and whether the quota holds. */
function annualRegistration(input: ReportInput, period: Period, all: Entry[]) {
  const entries = inPeriod(all, input.period);
  const grades = gradesInUse(entries);
  const labels = scaleLabels(entries);
  const quota = entries.map((entry) => entry.ruleSet && quotaRuleFor(entry.ruleSet, period)).find(Boolean);
  const columns: ReportColumn[] = [
    { key: 'unit', header: '单位' },
    { key: 'expected', header: '应参加考核人数' },
    { key: 'participating', header: '实际参加考核人数' },
    ...gradeCountColumns(grades),
    { key: 'ungraded', header: '未定等次人数' },
    { key: 'quotaCap', header: `${labels.top}等次比例上限` },
    { key: 'quotaAllowed', header: `${labels.top}等次名额` },
    { key: 'quotaHolds', header: '是否符合比例要求' },
  ];
  const check = (group: Entry[]) => {
    const participating = group.filter(participates);
    const allowance = quotaAllowance(quota!, {
      participants: participating.length,
      withheld: participating.filter((entry) => entry.record.outcome?.kind === 'WITHHELD_INVESTIGATION').length,
      graded: participating.filter((entry) => entry.record.outcome?.kind === 'GRADE').length,
    });
    return { allowed: allowance.allowed, holds: group.filter(isTop).length <= allowance.allowed };
  };
  const groups = perUnitWithTotal(entries);
  const unitChecks = quota?.scope === 'UNIT' ? groups.filter((group) => group.unitId !== undefined).map((group) => check(group.entries)) : [];
  const rows = groups.map(({ key, unitId, entries: group }) => {
    const isTotal = unitId === undefined;
    // The quota binds per unit or for the whole organization, as the rule set says: under a per-unit
    // quota the total adds the units' allowances and holds when every unit holds; under an
    // organization-wide one the units show no check of their own.
    const result = !quota
      ? undefined
      : quota.scope === 'ORGANIZATION'
        ? isTotal ? check(group) : undefined
        : isTotal
          ? { allowed: unitChecks.reduce((sum, unit) => sum + unit.allowed, 0), holds: unitChecks.every((unit) => unit.holds) }
          : check(group);
    return {
      key,
      cells: {
        unit: isTotal ? TOTAL_LABEL : unitName(input, unitId),
        expected: group.length,
        participating: group.filter(participates).length,
        ...gradeCountCells(grades, group),
        ungraded: group.filter(isUngraded).length,
        quotaCap: quota ? percent(quota.cap, 1) : null,
        quotaAllowed: result?.allowed ?? null,
        quotaHolds: result ? (result.holds ? '是' : '否') : null,
      },
    };
  });
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), year: `${period.year}年`, quotaScope: quota?.scope ?? null } };
}

/** 备注: penalties in effect in the period, backfill (补定), objection (复核) and corrections. */
function remarks(entry: Entry): string {
  const notes: string[] = [];
  for (const measure of measuresInPeriod(entry, entry.period)) {
    notes.push(`${MEASURE_LABELS[measure.measure]}（${measure.decisionDate}）`);
  }
  const settlement = entry.record.caseSettlement;
  if (settlement?.backfilled) notes.push(`补定等次（案件${settlement.caseId}结案：${settlement.caseOutcome}）`);
  if (settlement && !settlement.backfilled) notes.push(`案件${settlement.caseId}结案（${settlement.caseOutcome}），不予补定`);
  const objection = entry.record.objection;
  if (objection) notes.push(objection.ruling === 'PENDING' ? '已申请复核，待复核决定' : objection.ruling === 'UPHELD' ? '经复核维持原等次' : '经复核改变等次');
  if (entry.record.corrected) notes.push('因事后记录的事实更正等次');
  return notes.join('；');
}

/** 考核结果花名册: every record of the period with the person's post, category and outcome. */
function roster(input: ReportInput, period: Period, all: Entry[]) {
  const columns: ReportColumn[] = [
    ORDINAL_COLUMN,
    { key: 'name', header: '姓名' },
    { key: 'unitAndPost', header: '单位及职务（职级）' },
    { key: 'category', header: '人员类别' },
    { key: 'outcome', header: '考核等次' },
    { key: 'remarks', header: '备注' },
  ];
  const rows = inPeriod(all, input.period).map((entry) => ({
    key: entry.record.recordId,
    cells: {
      name: entry.name,
      unitAndPost: unitAndPost(input, entry),
      category: PERSON_CATEGORY_LABELS[entry.record.category],
      outcome: outcomeLabel(entry),
      remarks: remarks(entry),
    },
  }));
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), period: periodLabel(period) } };
}

const onRecord = (measure: MeasureFact): MeasureOnRecord => ({
  measure: measure.measure,
  effectiveDate: measure.effectiveDate,
  periodMonths: measure.periodMonths ?? undefined,
  termYears: measure.termYears ?? undefined,
  liftedOn: measure.liftedOn ?? undefined,
});

/**
 * Measures not revoked that bear on the period: their effect window meets it (one without a
 * window, if decided in it), or the rule set gives them an effect on it (开除党籍 leaves the next
 * two years ungraded, for instance).
 */
function measuresInPeriod(entry: Entry, period: Period): MeasureFact[] {
  const rules = entry.ruleSet?.discipline;
  return (entry.person?.measures ?? []).filter((measure) => {
    if (measure.revoked) return false;
    const end = rules && effectPeriodEnd(rules, onRecord(measure));
    const overlaps = end ? measure.effectiveDate <= period.end && end > period.start : measure.effectiveDate >= period.start && measure.effectiveDate <= period.end;
    return overlaps || (rules !== undefined && disciplineEffect(rules, period, [onRecord(measure)]).applied.length > 0);
  });
}

/** 优秀、基本称职、不称职及未定等次中受处分人员名单: one row per penalty of such a person in the year. */
function sanctionedList(input: ReportInput, period: Period, all: Entry[]) {
  const columns: ReportColumn[] = [
    ORDINAL_COLUMN,
    { key: 'name', header: '姓名' },
    { key: 'unitAndPost', header: '单位及职务' },
    { key: 'outcome', header: '等次' },
    { key: 'penalty', header: '处分种类' },
    { key: 'decisionDate', header: '处分决定日期' },
    { key: 'effectPeriod', header: '影响期' },
  ];
  const listed = inPeriod(all, input.period).filter((entry) => isTop(entry) || isLow(entry) || isUngraded(entry));
  const rows: ReportRow[] = listed.flatMap((entry) =>
    measuresInPeriod(entry, period)
      .filter((measure) => isPenalty(measure.measure))
      .map((measure) => {
        const rules = entry.ruleSet?.discipline;
        const end = rules && effectPeriodEnd(rules, onRecord(measure));
        return {
          key: `${entry.record.recordId}:${measure.measureId}`,
          cells: {
            name: entry.name,
            unitAndPost: unitAndPost(input, entry),
            outcome: outcomeLabel(entry),
            penalty: MEASURE_LABELS[measure.measure],
            decisionDate: measure.decisionDate,
            // The effect period ends before `end`: the form shows its last day.
            effectPeriod: end ? `${measure.effectiveDate}至${previousDay(end)}` : `${measure.effectiveDate}起`,
          },
        };
      }),
  );
  return { columns, rows, summary: { organization: unitName(input, input.organizationId), year: `${period.year}年` } };
}
