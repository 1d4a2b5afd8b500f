import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GradeScale, RuleSetDocument, ScoringScheme } from '../../src/rule-set/domain/rule-set.js';
import { validateRuleSet } from '../../src/rule-set/domain/validate-rule-set.js';
import { loadPresetLibrary, loadPresetRuleSets } from '../../src/rule-set/presets.js';

const presets = loadPresetRuleSets();
const byId = (id: string): RuleSetDocument => {
  const found = presets.find((ruleSet) => ruleSet.id === id);
  if (!found) throw new Error(`no preset ${id}`);
  return found;
};
const nationalCurrent = byId('national-current');
const library = loadPresetLibrary() as { gradeScales: GradeScale[]; scoringSchemes: ScoringScheme[] };
const scheme = (id: string) => library.scoringSchemes.find((candidate) => candidate.id === id) as ScoringScheme;
const scale = (id: string) => library.gradeScales.find((candidate) => candidate.id === id) as GradeScale;
const effectOf = (ruleSet: RuleSetDocument, measure: string) => ruleSet.discipline.effects.find((effect) => effect.measure === measure);

describe('preset rule sets', () => {
  it('are the three documents of the presets folder', () => {
    expect(presets.map((ruleSet) => ruleSet.id)).toEqual(['hebei-graded-points', 'national-current', 'trial-2007']);
  });

  it.each(presets.map((ruleSet) => [ruleSet.id, ruleSet] as const))('%s validates', (_, ruleSet) => {
    expect(validateRuleSet(ruleSet)).toEqual({ ok: true, ruleSet });
  });

  it('include every preset grade scale and scoring scheme, each valid', () => {
    expect(library.gradeScales.map((entry) => entry.id)).toEqual([
      'quarterly-national',
      'quarterly-graded-points',
      'civil-servant',
      'public-institution',
      'task-completion',
    ]);
    expect(library.scoringSchemes.map((entry) => entry.id)).toEqual([
      'five-element-100',
      'task-based-100',
      'five-index-100',
      'graded-points',
      'rater-weighted-100',
      'democratic-weighted-100',
      'training-work-checklist',
    ]);
    const everything = { ...nationalCurrent, gradeScales: library.gradeScales, scoringSchemes: library.scoringSchemes };
    expect(validateRuleSet(everything)).toEqual({ ok: true, ruleSet: everything });
  });
});

describe('preset grade scales (DOMAIN.md §3)', () => {
  const labels = (id: string) => scale(id).grades.map((grade) => `${grade.code} ${grade.label}`);

  it('hold the four scales with their Chinese labels, best first', () => {
    expect(labels('quarterly-national')).toEqual(['GOOD 好', 'FAIRLY_GOOD 较好', 'AVERAGE 一般', 'POOR 较差']);
    expect(scale('quarterly-national').workInjuryLeaveGrade).toBe('FAIRLY_GOOD');
    expect(scale('quarterly-graded-points').grades.map((grade) => [grade.code, grade.points])).toEqual([
      ['A', 90],
      ['B', 80],
      ['C', 70],
      ['D', 60],
    ]);
    expect(labels('civil-servant')).toEqual(['EXCELLENT 优秀', 'COMPETENT 称职', 'BASICALLY_COMPETENT 基本称职', 'INCOMPETENT 不称职']);
    expect(labels('public-institution')).toEqual(['EXCELLENT 优秀', 'QUALIFIED 合格', 'BASICALLY_QUALIFIED 基本合格', 'UNQUALIFIED 不合格']);
  });
});

describe('preset scoring schemes (DOMAIN.md §5.1)', () => {
  const pointsByGroup = (id: string) =>
    scheme(id).indicators.reduce<Record<string, number>>((groups, item) => ({ ...groups, [item.group ?? '']: (groups[item.group ?? ''] ?? 0) + item.points }), {});
  const bandsOf = (id: string) => scheme(id).bands.map((entry) => ({ scaleId: entry.scaleId, bands: entry.bands.map((band) => `${band.grade} [${band.min}, ${band.max})`) }));

  it('five-element: 德 20, 能 20, 勤 15, 绩 35, 廉 10 summing to 100, with 思想政治素质 6', () => {
    const fiveElement = scheme('five-element-100');
    expect(fiveElement.indicators.find((item) => item.label === '思想政治素质')).toMatchObject({ group: '德', points: 6 });
    expect(pointsByGroup('five-element-100')).toEqual({ 德: 20, 能: 20, 勤: 15, 绩: 35, 廉: 10 });
    expect(fiveElement.indicators.reduce((total, item) => total + item.points, 0)).toBe(100);
    expect([fiveElement.bonusCap, fiveElement.deductionCap]).toEqual([5, 5]);
    expect(bandsOf('five-element-100')).toEqual([
      { scaleId: 'quarterly-national', bands: ['GOOD [90, 106)', 'FAIRLY_GOOD [75, 90)', 'AVERAGE [60, 75)', 'POOR [0, 60)'] },
    ]);
  });

  it('task-based: 廉洁自律 20 scored 0 under sanction; 优秀 from 90', () => {
    expect(scheme('task-based-100').indicators.map((item) => `${item.label} ${item.points}`)).toEqual(['目标任务 30', '进度效率 20', '工作质量 20', '出勤参会 10', '廉洁自律 20']);
    expect(scheme('task-based-100').indicators.filter((item) => item.zeroWhenSanctioned).map((item) => item.label)).toEqual(['廉洁自律']);
    expect(bandsOf('task-based-100')[0].bands).toEqual(['EXCELLENT [90, 101)', 'COMPETENT [75, 90)', 'BASICALLY_COMPETENT [60, 75)', 'INCOMPETENT [0, 60)']);
  });

  it('five-index: 工作绩效 60 split into 目标 10 and 成效 50; bonus and deduction up to 10', () => {
    expect(pointsByGroup('five-index-100')).toEqual({ '': 40, 工作绩效: 60 });
    expect(scheme('five-index-100').indicators.map((item) => `${item.label} ${item.points}`)).toEqual(['政治素质 10', '能力水平 10', '纪律作风 10', '廉政建设 10', '目标 10', '成效 50']);
    expect([scheme('five-index-100').bonusCap, scheme('five-index-100').deductionCap]).toEqual([10, 10]);
  });

  it('rater-weighted: section heads 40/30/30, others 60/40; 优秀 from 91', () => {
    expect(scheme('rater-weighted-100').raterWeights).toEqual([
      {
        subjectRole: 'SECTION_HEAD',
        weights: [
          { raterRole: 'SUPERIOR', weight: 0.4 },
          { raterRole: 'PEER', weight: 0.3 },
          { raterRole: 'SUBORDINATE', weight: 0.3 },
        ],
      },
      {
        subjectRole: 'STAFF',
        weights: [
          { raterRole: 'SUPERIOR', weight: 0.6 },
          { raterRole: 'COLLEAGUE', weight: 0.4 },
        ],
      },
    ]);
    expect(bandsOf('rater-weighted-100')[0].bands).toEqual(['EXCELLENT [91, 101)', 'COMPETENT [71, 91)', 'BASICALLY_COMPETENT [60, 71)', 'INCOMPETENT [0, 60)']);
  });

  it('democratic-weighted: democratic evaluation 30%; 优 from 90, 良 70, 中 60', () => {
    expect(scheme('democratic-weighted-100').democraticWeight).toBe(0.3);
    expect(bandsOf('democratic-weighted-100')[0].bands).toEqual(['EXCELLENT [90, 101)', 'COMPETENT [70, 90)', 'BASICALLY_COMPETENT [60, 70)', 'INCOMPETENT [0, 60)']);
  });

  it('graded points: each band starts at its grade worth', () => {
    expect(bandsOf('graded-points')).toEqual([{ scaleId: 'quarterly-graded-points', bands: ['A [90, 101)', 'B [80, 90)', 'C [70, 80)', 'D [0, 70)'] }]);
  });
});

describe('national-current', () => {
  it('grades quarters on 好/较好/一般/较差 with the five-element scheme, 好 ≤ 40% of those graded per organization', () => {
    expect(nationalCurrent.scoringSchemes.map((entry) => entry.id)).toEqual(['five-element-100', 'training-work-checklist']);
    expect(nationalCurrent.scaleAssignments.filter((assignment) => assignment.periodKind === 'QUARTERLY').map((assignment) => assignment.scaleId)).toEqual(
      Array(4).fill('quarterly-national'),
    );
    expect(nationalCurrent.quotas.find((quota) => quota.periodKind === 'QUARTERLY')).toEqual({
      periodKind: 'QUARTERLY',
      cap: 0.4,
      scope: 'ORGANIZATION',
      denominator: 'GRADED_ONLY',
      rounding: 'HALF_UP',
    });
  });

  it('grades years on the civil-servant scale, and 事业单位 on their own, 优秀 ≤ 20% (25% with approval), floor', () => {
    const annual = Object.fromEntries(nationalCurrent.scaleAssignments.filter((a) => a.periodKind === 'ANNUAL').map((a) => [a.category, a.scaleId]));
    expect(annual).toMatchObject({ CIVIL_SERVANT: 'civil-servant', REFERENCE_MANAGED: 'civil-servant', PUBLIC_INSTITUTION: 'public-institution' });
    expect(nationalCurrent.quotas.find((quota) => quota.periodKind === 'ANNUAL')).toMatchObject({ cap: 0.2, capWithApproval: 0.25, rounding: 'FLOOR' });
  });

  it('has the windows of DOMAIN.md §2 and §4', () => {
    expect(nationalCurrent.windows).toEqual({
      objectionDays: { QUARTERLY: 15, MONTHLY: 15, ANNUAL: 30 },
      appealDays: 15,
      publicNoticeWorkingDays: 5,
      deadlineRollsToNextWorkingDay: true,
    });
  });

  it('links quarters to the year: weight 0.5, 优秀率 = 40% quarters + 60% votes, three efficiency warnings bar 优秀', () => {
    expect(nationalCurrent.annualLinkage).toMatchObject({
      quarterlyScoreWeight: 0.5,
      excellentBarredBy: ['AVERAGE', 'POOR'],
      allBottomOutcome: 'INCOMPETENT',
      excellentRate: { quarters: 3, quarterlyWeight: 0.4, voteWeight: 0.6 },
      efficiencyWarningsBarringExcellent: 3,
    });
  });

  it('ties discipline to the decision year, with the periods of 政务处分法 and backfill after no penalty or a warning', () => {
    expect(nationalCurrent.discipline).toMatchObject({
      basis: 'DECISION_YEAR',
      periodMonths: { GOVERNMENT_WARNING: 6, GOVERNMENT_DEMERIT: 12, GOVERNMENT_MAJOR_DEMERIT: 18, GOVERNMENT_DEMOTION: 24, GOVERNMENT_REMOVAL: 24 },
      backfillOutcomes: ['NO_PENALTY', 'EXEMPTED', 'WARNING'],
    });
    expect(effectOf(nationalCurrent, 'GOVERNMENT_MAJOR_DEMERIT')).toMatchObject({ annual: 'NO_GRADE', laterYears: ['NO_GRADE'] });
    expect(effectOf(nationalCurrent, 'PARTY_PROBATION')?.laterYearsByTermYears).toEqual({ '1': ['NO_GRADE'], '2': ['NO_GRADE', 'NO_GRADE'] });
  });

  it('bars the top grade during a warning and any grade during 记过 or heavier, in quarters', () => {
    const quarterly = Object.fromEntries(nationalCurrent.discipline.effects.map((effect) => [effect.measure, effect.quarterly]));
    expect(quarterly).toMatchObject({
      GOVERNMENT_WARNING: 'NOT_TOP_GRADE',
      PARTY_WARNING: 'NOT_TOP_GRADE',
      GOVERNMENT_DEMERIT: 'NO_GRADE',
      GOVERNMENT_MAJOR_DEMERIT: 'NO_GRADE',
      GOVERNMENT_DEMOTION: 'NO_GRADE',
      GOVERNMENT_REMOVAL: 'NO_GRADE',
    });
  });
});

describe('trial-2007', () => {
  it('differs from national-current only in its identity and in tying 记过 to 撤职 to the penalty period', () => {
    const trial = byId('trial-2007');
    const heavier = ['GOVERNMENT_DEMERIT', 'GOVERNMENT_MAJOR_DEMERIT', 'GOVERNMENT_DEMOTION', 'GOVERNMENT_REMOVAL'];
    expect(trial.discipline.basis).toBe('PENALTY_PERIOD');
    for (const measure of heavier) expect(effectOf(trial, measure)).toMatchObject({ annual: 'COMMENT_ONLY', laterYears: [], quarterly: 'NO_GRADE' });

    const comparable = (ruleSet: RuleSetDocument) => ({
      ...ruleSet,
      id: undefined,
      name: undefined,
      effectiveFrom: undefined,
      discipline: { ...ruleSet.discipline, basis: undefined, effects: ruleSet.discipline.effects.filter((effect) => !heavier.includes(effect.measure)) },
    });
    expect(comparable(trial)).toEqual(comparable(nationalCurrent));
  });
});

describe('hebei-graded-points', () => {
  it('grades quarters A/B/C/D by graded points, A ≤ 30%, quarters 60% of the annual score', () => {
    const hebei = byId('hebei-graded-points');
    expect(hebei.schemeAssignments).toEqual([
      { periodKind: 'QUARTERLY', schemeId: 'graded-points' },
      { periodKind: 'MONTHLY', schemeId: 'graded-points' },
    ]);
    expect(hebei.quotas.find((quota) => quota.periodKind === 'QUARTERLY')?.cap).toBe(0.3);
    expect(hebei.annualLinkage).toMatchObject({ quarterlyScoreWeight: 0.6, excellentBarredBy: ['C', 'D'], repeatedLowGrade: 'D', repeatedLowCount: 2 });
  });
});

describe('loadPresetRuleSets', () => {
  let directory: string;
  const presetsFolder = new URL('../../src/rule-set/presets/', import.meta.url);

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'rule-set-presets-'));
    for (const fileName of ['grade-scales.json', 'scoring-schemes.json']) copyFileSync(new URL(fileName, presetsFolder), path.join(directory, fileName));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const load = () => loadPresetRuleSets(pathToFileURL(directory + path.sep));
  const writeRuleSet = (fileName: string, ruleSet: unknown) => writeFileSync(path.join(directory, fileName), JSON.stringify(ruleSet));

  it('names every problem of every invalid file', () => {
    writeRuleSet('a.json', { ...nationalCurrent, version: 0, gradeScales: ['quarterly-national', 'civil-servant', 'public-institution'], scoringSchemes: [] });
    writeRuleSet('b.json', { ...nationalCurrent, gradeScales: ['quarterly-national'], scoringSchemes: ['five-element-100', 'ten-element-100'] });
    expect(load).toThrow(
      [
        'invalid preset rule sets:',
        'a.json: version: must be a positive integer; found 0',
        'a.json: schemeAssignments[0].schemeId: no scoring scheme "five-element-100" in scoringSchemes; defined: ',
        'a.json: schemeAssignments[1].schemeId: no scoring scheme "five-element-100" in scoringSchemes; defined: ',
        'b.json: scoringSchemes[1]: no preset "ten-element-100"; presets: five-element-100, task-based-100, five-index-100, graded-points, rater-weighted-100, democratic-weighted-100',
      ].join('\n'),
    );
  });

  it('resolves preset ids into complete documents', () => {
    writeRuleSet('copy.json', {
      ...nationalCurrent,
      gradeScales: ['quarterly-national', 'civil-servant', 'public-institution', 'task-completion'],
      scoringSchemes: ['five-element-100', 'training-work-checklist'],
    });
    expect(load()).toEqual([nationalCurrent]);
  });
});
