import type { PostChanged } from '../../src/people/domain/person.decider.js';
import type { ReportDocument } from '../../src/reports/domain/report-document.js';
import { evolvePersonFacts, registeredPersonFacts, type MeasureFact, type RecordFacts } from '../../src/reports/domain/report-facts.js';
import type { MeasureCode, QuotaRule, RuleSetDocument } from '../../src/rule-set/domain/rule-set.js';
import { build, cellsOf, graded, headersOf, NATIONAL, person, record } from './report-fixtures.js';

/**
 * The reports of a year (DOMAIN.md §7): 考核情况登记汇总表, 考核审核备案登记表, 考核结果花名册 and
 * 优秀、基本称职、不称职及未定等次中受处分人员名单 (the roster also for a quarter).
 */

function measure(measureId: string, code: MeasureCode, decisionDate: string, effectiveDate: string, extra: Partial<MeasureFact> = {}): MeasureFact {
  return { measureId, measure: code, decisionDate, effectiveDate, periodMonths: null, termYears: null, liftedOn: null, revoked: false, ...extra };
}

/** national-current with another annual quota rule. */
function withAnnualQuota(id: string, quota: Partial<QuotaRule>): RuleSetDocument {
  return {
    ...NATIONAL,
    id,
    quotas: NATIONAL.quotas.map((rule) => (rule.periodKind === 'ANNUAL' ? { ...rule, ...quota } : rule)),
  };
}

describe('考核情况登记汇总表 (REGISTRATION_SUMMARY)', () => {
  const records: RecordFacts[] = [
    record({ personId: 'p01', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p01', period: '2025Q2', outcome: graded('GOOD') }),
    record({ personId: 'p01', period: '2025Q3', outcome: graded('FAIRLY_GOOD') }),
    record({
      personId: 'p01',
      period: '2025',
      democratic: { voters: 20, votes: { EXCELLENT: 15, COMPETENT: 5 } },
      proposedGrade: 'EXCELLENT',
      outcome: graded('EXCELLENT'),
    }),
    record({ personId: 'p02', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p02', period: '2025Q2', outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查调查期间' } }),
    // Another year's quarter fills no column.
    record({ personId: 'p02', period: '2024Q3', outcome: graded('GOOD') }),
    record({ personId: 'p02', period: '2025', democratic: { voters: 20, votes: { EXCELLENT: 3, COMPETENT: 17 } }, proposedGrade: 'COMPETENT' }),
    record({ personId: 'p03', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p03', period: '2025Q2', outcome: graded('GOOD') }),
    record({ personId: 'p03', period: '2025Q3', outcome: graded('GOOD') }),
    // A 100-point evaluation has no votes per grade.
    record({ personId: 'p03', period: '2025', democratic: { voters: 18, votes: null }, outcome: graded('COMPETENT') }),
    // Quarterly records without an annual one make no row.
    record({ personId: 'p04', period: '2025Q1', outcome: graded('GOOD') }),
  ];

  it('has the form headers and one row per annual record', () => {
    const report = build('REGISTRATION_SUMMARY', '2025', records);
    expect(report.title).toBe('考核情况登记汇总表');
    expect(headersOf(report)).toEqual([
      '序号',
      '姓名',
      '平时考核定等（第一季度）',
      '平时考核定等（第二季度）',
      '平时考核定等（第三季度）',
      '平时考核优秀率',
      '年终考核测评优秀率',
      '年度考核优秀率',
      '年度考核定等建议',
      '绩效奖励级差建议',
    ]);
    expect(report.columns[0]).toEqual({ key: '#ordinal', header: '序号' });
    expect(report.rows.map((row) => row.key)).toEqual(['p01.2025', 'p02.2025', 'p03.2025']);
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', year: '2025年' });
  });

  it('computes the rates: quarters top ÷ 3, 优秀 votes ÷ voters, and (quarters ÷ 3) × 0.4 + (votes ÷ voters) × 0.6', () => {
    const report = build('REGISTRATION_SUMMARY', '2025', records);
    // 2/3 × 0.4 + 15/20 × 0.6 = 0.26667 + 0.45 = 0.71667
    expect(cellsOf(report, 'p01.2025')).toEqual({
      name: '张一',
      'quarter:1': '好',
      'quarter:2': '好',
      'quarter:3': '较好',
      quarterlyTopRate: '66.67%',
      voteTopRate: '75.00%',
      annualTopRate: '71.67%',
      proposal: '优秀',
      awardTier: null,
    });
    // No third quarter: still 1 of 3 quarters (the rule's count), not 1 of 2; the withheld quarter shows its reason.
    // 1/3 × 0.4 + 3/20 × 0.6 = 0.13333 + 0.09 = 0.22333
    expect(cellsOf(report, 'p02.2025')).toEqual({
      name: '李二',
      'quarter:1': '好',
      'quarter:2': '不写评语、不定等次（立案审查调查期间）',
      'quarter:3': null,
      quarterlyTopRate: '33.33%',
      voteTopRate: '15.00%',
      annualTopRate: '22.33%',
      proposal: '称职',
      awardTier: null,
    });
    expect(cellsOf(report, 'p03.2025')).toEqual({
      name: '王三',
      'quarter:1': '好',
      'quarter:2': '好',
      'quarter:3': '好',
      quarterlyTopRate: '100.00%',
      voteTopRate: null,
      annualTopRate: null,
      proposal: null,
      awardTier: null,
    });
  });

  it('takes the weights from the rule set and suggests the award tier of the annual grade when the rule set has tiers', () => {
    const tiers: RuleSetDocument = {
      ...NATIONAL,
      id: 'national-tiers',
      annualLinkage: {
        ...NATIONAL.annualLinkage!,
        excellentRate: { quarters: 3, quarterlyWeight: 0.5, voteWeight: 0.5 },
        performanceAwardTiers: [
          { grade: 'EXCELLENT', tier: '一档' },
          { grade: 'COMPETENT', tier: '二档' },
          { grade: 'BASICALLY_COMPETENT', tier: '三档' },
        ],
      },
    };
    const annualUnderTiers = records.map((entry) => (entry.periodKind === 'ANNUAL' ? { ...entry, ruleSetId: 'national-tiers' } : entry));
    const report = build('REGISTRATION_SUMMARY', '2025', annualUnderTiers, { ruleSets: [NATIONAL, tiers] });
    // 2/3 × 0.5 + 15/20 × 0.5 = 0.33333 + 0.375 = 0.70833
    expect(cellsOf(report, 'p01.2025')).toMatchObject({ annualTopRate: '70.83%', awardTier: '一档' });
    // 1/3 × 0.5 + 3/20 × 0.5 = 0.16667 + 0.075 = 0.24167; proposed 称职 but no grade yet: no tier.
    expect(cellsOf(report, 'p02.2025')).toMatchObject({ annualTopRate: '24.17%', proposal: '称职', awardTier: null });
    expect(cellsOf(report, 'p03.2025')).toMatchObject({ annualTopRate: null, awardTier: '二档' });
  });
});

describe('考核审核备案登记表 (ANNUAL_REGISTRATION)', () => {
  const base: RecordFacts[] = [
    record({ personId: 'p01', period: '2025', outcome: graded('EXCELLENT') }),
    record({ personId: 'p02', period: '2025', outcome: graded('EXCELLENT') }),
    record({ personId: 'p03', period: '2025', outcome: graded('COMPETENT') }),
    record({ personId: 'p04', period: '2025', outcome: graded('COMPETENT') }),
    record({ personId: 'p05', period: '2025', outcome: graded('BASICALLY_COMPETENT') }),
    record({ personId: 'p06', unitId: 'unit-b', period: '2025', outcome: graded('EXCELLENT') }),
    record({ personId: 'p07', unitId: 'unit-b', period: '2025', outcome: graded('COMPETENT') }),
    record({ personId: 'p08', unitId: 'unit-b', period: '2025', outcome: graded('COMPETENT') }),
    record({ personId: 'p09', unitId: 'unit-b', period: '2025', outcome: graded('INCOMPETENT') }),
    record({ personId: 'p10', unitId: 'unit-b', period: '2025', outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查调查期间' } }),
    record({
      personId: 'p11',
      unitId: 'unit-b',
      period: '2025',
      participation: { outcome: 'NOT_PARTICIPATING', reason: '未参加考核：退休（2025-08-31）' },
      outcome: { kind: 'NOT_PARTICIPATING', reason: '退休（2025-08-31）' },
    }),
    // Quarterly records of the year neither count nor add 好/较好 columns.
    record({ personId: 'p01', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p06', unitId: 'unit-b', period: '2025Q2', outcome: graded('POOR') }),
  ];
  /** p02 graded 称职 instead of 优秀: one 优秀 per unit. */
  const oneTopPerUnit = base.map((entry) => (entry.recordId === 'p02.2025' ? { ...entry, outcome: graded('COMPETENT') } : entry));
  const quotaCells = (report: ReportDocument, key: string) => {
    const { quotaCap, quotaAllowed, quotaHolds } = cellsOf(report, key);
    return { quotaCap, quotaAllowed, quotaHolds };
  };

  it('has the form headers, with the counts of the annual scale only', () => {
    const report = build('ANNUAL_REGISTRATION', '2025', base);
    expect(report.title).toBe('考核审核备案登记表');
    expect(headersOf(report)).toEqual([
      '单位',
      '应参加考核人数',
      '实际参加考核人数',
      '优秀等次人数',
      '优秀等次比例',
      '称职等次人数',
      '称职等次比例',
      '基本称职等次人数',
      '基本称职等次比例',
      '不称职等次人数',
      '不称职等次比例',
      '未定等次人数',
      '优秀等次比例上限',
      '优秀等次名额',
      '是否符合比例要求',
    ]);
    expect(report.rows.map((row) => row.key)).toEqual(['UNIT:unit-a', 'UNIT:unit-b', 'TOTAL']);
  });

  it('under the organization-wide 20% quota (all participants, floor) checks the total row only: 10 × 20% = 2 allowed, 3 优秀 → 否', () => {
    const report = build('ANNUAL_REGISTRATION', '2025', base);
    expect(cellsOf(report, 'UNIT:unit-a')).toEqual({
      unit: '办公室',
      expected: 5,
      participating: 5,
      'count:EXCELLENT': 2,
      'share:EXCELLENT': '40.00%',
      'count:COMPETENT': 2,
      'share:COMPETENT': '40.00%',
      'count:BASICALLY_COMPETENT': 1,
      'share:BASICALLY_COMPETENT': '20.00%',
      'count:INCOMPETENT': 0,
      'share:INCOMPETENT': '0.00%',
      ungraded: 0,
      quotaCap: '20.00%',
      quotaAllowed: null,
      quotaHolds: null,
    });
    expect(cellsOf(report, 'UNIT:unit-b')).toEqual({
      unit: '综合科',
      expected: 6,
      participating: 5,
      'count:EXCELLENT': 1,
      'share:EXCELLENT': '20.00%',
      'count:COMPETENT': 2,
      'share:COMPETENT': '40.00%',
      'count:BASICALLY_COMPETENT': 0,
      'share:BASICALLY_COMPETENT': '0.00%',
      'count:INCOMPETENT': 1,
      'share:INCOMPETENT': '20.00%',
      ungraded: 1,
      quotaCap: '20.00%',
      quotaAllowed: null,
      quotaHolds: null,
    });
    expect(cellsOf(report, 'TOTAL')).toEqual({
      unit: '合计',
      expected: 11,
      participating: 10,
      'count:EXCELLENT': 3,
      'share:EXCELLENT': '30.00%',
      'count:COMPETENT': 4,
      'share:COMPETENT': '40.00%',
      'count:BASICALLY_COMPETENT': 1,
      'share:BASICALLY_COMPETENT': '10.00%',
      'count:INCOMPETENT': 1,
      'share:INCOMPETENT': '10.00%',
      ungraded: 1,
      quotaCap: '20.00%',
      quotaAllowed: 2,
      quotaHolds: '否',
    });
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', year: '2025年', quotaScope: 'ORGANIZATION' });
    expect(quotaCells(build('ANNUAL_REGISTRATION', '2025', oneTopPerUnit), 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 2, quotaHolds: '是' });
  });

  it('follows the denominator and rounding of an organization-wide rule: 9 excluding the withheld × 20% = 1.8', () => {
    const halfUp = withAnnualQuota('national-org-half-up', { denominator: 'EXCLUDING_WITHHELD', rounding: 'HALF_UP' });
    const floor = withAnnualQuota('national-org-floor', { denominator: 'EXCLUDING_WITHHELD', rounding: 'FLOOR' });
    const under = (ruleSet: RuleSetDocument, records: RecordFacts[]) =>
      build('ANNUAL_REGISTRATION', '2025', records.map((entry) => ({ ...entry, ruleSetId: ruleSet.id })), { ruleSets: [ruleSet] });
    expect(quotaCells(under(halfUp, oneTopPerUnit), 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 2, quotaHolds: '是' });
    expect(quotaCells(under(floor, oneTopPerUnit), 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 1, quotaHolds: '否' });
    const capped = withAnnualQuota('national-org-25', { cap: 0.25 });
    // 10 × 25% = 2.5 → floor 2.
    expect(quotaCells(under(capped, base), 'TOTAL')).toEqual({ quotaCap: '25.00%', quotaAllowed: 2, quotaHolds: '否' });
  });

  describe('under a per-unit quota (excluding the withheld)', () => {
    const perUnit = (rounding: QuotaRule['rounding']) => withAnnualQuota(`national-unit-${rounding}`, { scope: 'UNIT', denominator: 'EXCLUDING_WITHHELD', rounding });
    const under = (ruleSet: RuleSetDocument, records: RecordFacts[]) =>
      build('ANNUAL_REGISTRATION', '2025', records.map((entry) => ({ ...entry, ruleSetId: ruleSet.id })), { ruleSets: [ruleSet] });

    it('checks every unit, and the total adds their allowances and holds only if every unit holds', () => {
      // 办公室 5 × 20% = 1, 2 优秀 → 否; 综合科 (5 − 1 withheld) × 20% = 0.8 → half-up 1, 1 优秀 → 是.
      const report = under(perUnit('HALF_UP'), base);
      expect(quotaCells(report, 'UNIT:unit-a')).toEqual({ quotaCap: '20.00%', quotaAllowed: 1, quotaHolds: '否' });
      expect(quotaCells(report, 'UNIT:unit-b')).toEqual({ quotaCap: '20.00%', quotaAllowed: 1, quotaHolds: '是' });
      expect(quotaCells(report, 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 2, quotaHolds: '否' });
      expect(report.summary.quotaScope).toBe('UNIT');

      const holding = under(perUnit('HALF_UP'), oneTopPerUnit);
      expect(quotaCells(holding, 'UNIT:unit-a')).toEqual({ quotaCap: '20.00%', quotaAllowed: 1, quotaHolds: '是' });
      expect(quotaCells(holding, 'UNIT:unit-b')).toEqual({ quotaCap: '20.00%', quotaAllowed: 1, quotaHolds: '是' });
      expect(quotaCells(holding, 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 2, quotaHolds: '是' });
    });

    it.each([
      // 办公室 5 × 0.2 is exactly 1 (no binary noise may make the ceiling 2); 综合科 4 × 0.2 = 0.8.
      ['FLOOR', 1, 0, '否'],
      ['CEIL', 1, 1, '是'],
      ['AT_LEAST_ONE', 1, 1, '是'],
    ] as const)('with %s rounding allows 办公室 %i and 综合科 %i (1 优秀 there: %s)', (rounding, allowedA, allowedB, holdsB) => {
      const report = under(perUnit(rounding), oneTopPerUnit);
      expect(quotaCells(report, 'UNIT:unit-a')).toEqual({ quotaCap: '20.00%', quotaAllowed: allowedA, quotaHolds: '是' });
      expect(quotaCells(report, 'UNIT:unit-b')).toEqual({ quotaCap: '20.00%', quotaAllowed: allowedB, quotaHolds: holdsB });
      expect(quotaCells(report, 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: allowedA + allowedB, quotaHolds: holdsB });
    });
  });

  it('a unit of 3 under the floor gets no 优秀 at all', () => {
    const small = [
      record({ personId: 'p01', period: '2025', outcome: graded('EXCELLENT') }),
      record({ personId: 'p02', period: '2025', outcome: graded('COMPETENT') }),
      record({ personId: 'p03', period: '2025', outcome: graded('COMPETENT') }),
    ];
    const report = build('ANNUAL_REGISTRATION', '2025', small);
    expect(quotaCells(report, 'TOTAL')).toEqual({ quotaCap: '20.00%', quotaAllowed: 0, quotaHolds: '否' });
    expect(cellsOf(report, 'TOTAL')['share:EXCELLENT']).toBe('33.33%');
  });
});

describe('考核结果花名册 (ROSTER)', () => {
  const postChanged = (effectiveDate: string, position: string, rank: string): Pick<PostChanged, 'type' | 'data'> => ({
    type: 'PostChanged',
    data: { personId: 'p01', organizationId: 'bureau', position, rank, isSectionHead: position.includes('科长'), effectiveDate },
  });
  /** 张一: 科员 since 2019, 副科长 from 2025-06-01, 科长 from 2026-01-15 (recorded before the earlier change). */
  const zhang = [postChanged('2026-01-15', '科长', '一级主任科员'), postChanged('2025-06-01', '副科长', '四级主任科员')].reduce(
    (facts, event) => evolvePersonFacts(facts, event)!,
    registeredPersonFacts({
      personId: 'p01',
      name: '张一',
      category: 'CIVIL_SERVANT',
      organizationId: 'bureau',
      position: '科员',
      rank: '一级科员',
      isSectionHead: false,
      inPostSince: '2019-07-01',
    }),
  );
  const li = person('p02', {
    category: 'REFERENCE_MANAGED',
    posts: [{ effectiveDate: '2021-03-01', organizationId: 'bureau', position: '科员', rank: '二级科员' }],
    measures: [
      // 6 months: in effect until 2025-04-10.
      measure('m-21', 'GOVERNMENT_WARNING', '2024-10-08', '2024-10-10'),
      measure('m-22', 'PARTY_WARNING', '2025-03-01', '2025-03-01', { revoked: true }),
      // No effect period: counts only in the period it takes effect.
      measure('m-23', 'ADMONITION', '2024-05-01', '2024-05-06'),
    ],
  });
  const wang = person('p03', { category: 'PUBLIC_INSTITUTION', posts: [{ effectiveDate: '2022-09-01', organizationId: 'bureau', position: '专技人员', rank: '专业技术十级' }] });
  const zhao = person('p04', { measures: [measure('m-41', 'GOVERNMENT_DEMERIT', '2025-03-10', '2025-03-12')] });
  /** A warning whose 6 months end on 2025-04-01 exactly: the first day of Q2 is no longer in it. */
  const wu = person('p07', { measures: [measure('m-71', 'GOVERNMENT_WARNING', '2024-09-28', '2024-10-01')] });
  const people = [zhang, li, wang, zhao, wu];

  const annual: RecordFacts[] = [
    record({ personId: 'p01', period: '2025', outcome: graded('EXCELLENT') }),
    // In the second unit: rows go by unit before person.
    record({ personId: 'p02', unitId: 'unit-b', period: '2025', category: 'REFERENCE_MANAGED', outcome: graded('COMPETENT'), objection: { ruling: 'PENDING' } }),
    record({
      personId: 'p03',
      period: '2025',
      category: 'PUBLIC_INSTITUTION',
      outcome: graded('QUALIFIED'),
      caseSettlement: { caseId: 'C-3', caseOutcome: 'WARNING', backfilled: true },
      objection: { ruling: 'UPHELD' },
    }),
    record({
      personId: 'p04',
      unitId: 'unit-b',
      period: '2025',
      outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '案件结案给予处分，不予补定' },
      caseSettlement: { caseId: 'C-4', caseOutcome: '记过', backfilled: false },
    }),
    record({ personId: 'p05', unitId: 'unit-b', period: '2025', outcome: graded('COMPETENT'), objection: { ruling: 'REVISED' }, corrected: true }),
    // A person the report has no facts of: named by id, unit without a post.
    record({ personId: 'p99', unitId: 'unit-b', period: '2025' }),
    record({ personId: 'p01', period: '2025Q2', outcome: graded('GOOD') }),
  ];

  it('has the form headers', () => {
    const report = build('ROSTER', '2025', annual, { people });
    expect(report.title).toBe('考核结果花名册');
    expect(headersOf(report)).toEqual(['序号', '姓名', '单位及职务（职级）', '人员类别', '考核等次', '备注']);
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', period: '2025年度' });
  });

  it('lists every record of the period with the post at the period end, the category, the outcome and the remarks', () => {
    const report = build('ROSTER', '2025', annual, { people });
    expect(report.rows).toEqual([
      {
        key: 'p01.2025',
        // The 2026-01-15 change is after the year end; the 2025-06-01 one is within it.
        cells: { name: '张一', unitAndPost: '办公室 副科长（四级主任科员）', category: '公务员', outcome: '优秀', remarks: '' },
      },
      {
        key: 'p03.2025',
        cells: {
          name: '王三',
          unitAndPost: '办公室 专技人员（专业技术十级）',
          category: '事业单位工作人员',
          outcome: '合格',
          remarks: '补定等次（案件C-3结案：WARNING）；经复核维持原等次',
        },
      },
      {
        key: 'p02.2025',
        cells: {
          name: '李二',
          unitAndPost: '综合科 科员（二级科员）',
          category: '参照公务员法管理人员',
          outcome: '称职',
          remarks: '政务警告（2024-10-08）；已申请复核，待复核决定',
        },
      },
      {
        key: 'p04.2025',
        cells: {
          name: '赵四',
          unitAndPost: '综合科 科员（一级科员）',
          category: '公务员',
          outcome: '不写评语、不定等次（案件结案给予处分，不予补定）',
          remarks: '政务记过（2025-03-10）；案件C-4结案（记过），不予补定',
        },
      },
      {
        key: 'p05.2025',
        cells: { name: '孙五', unitAndPost: '综合科 科员（一级科员）', category: '公务员', outcome: '称职', remarks: '经复核改变等次；因事后记录的事实更正等次' },
      },
      { key: 'p99.2025', cells: { name: 'p99', unitAndPost: '综合科', category: '公务员', outcome: '尚未确定等次', remarks: '' } },
    ]);
  });

  it('takes the post in force at the end of each quarter', () => {
    const quarters = ['2025Q1', '2025Q2', '2025Q3'].map((period) => record({ personId: 'p01', period }));
    const postIn = (period: string) => cellsOf(build('ROSTER', period, quarters, { people }), `p01.${period}`).unitAndPost;
    expect(postIn('2025Q1')).toBe('办公室 科员（一级科员）');
    expect(postIn('2025Q2')).toBe('办公室 副科长（四级主任科员）');
    expect(postIn('2025Q3')).toBe('办公室 副科长（四级主任科员）');
  });

  it('remarks a measure only in the periods its effect overlaps, never a revoked one, and stops at an early lifting', () => {
    const quarterly = (period: string, personId: string) => record({ personId, period, outcome: graded('FAIRLY_GOOD') });
    const remarksOf = (period: string, personId: string, facts = people) =>
      cellsOf(build('ROSTER', period, [quarterly(period, personId)], { people: facts }), `${personId}.${period}`).remarks;
    // The revoked 党内警告 of 2025-03-01 would otherwise be remarked in Q1.
    expect(remarksOf('2025Q1', 'p02')).toBe('政务警告（2024-10-08）');
    expect(remarksOf('2025Q2', 'p02')).toBe('政务警告（2024-10-08）');
    expect(remarksOf('2025Q3', 'p02')).toBe('');
    // The 诫勉 of 2024-05-06 has no effect period: only 2024Q2 remarks it.
    expect(remarksOf('2024Q2', 'p02')).toBe('诫勉（2024-05-01）');
    expect(remarksOf('2024Q3', 'p02')).toBe('');
    expect(remarksOf('2025Q1', 'p07')).toBe('政务警告（2024-09-28）');
    expect(remarksOf('2025Q2', 'p07')).toBe('');
    // 记过 from 2025-03-12 lasts 12 months, unless lifted on 2025-06-30.
    expect(remarksOf('2025Q3', 'p04')).toBe('政务记过（2025-03-10）');
    const lifted = people.map((facts) => (facts.personId === 'p04' ? { ...facts, measures: facts.measures.map((held) => ({ ...held, liftedOn: '2025-06-30' })) } : facts));
    expect(remarksOf('2025Q2', 'p04', lifted)).toBe('政务记过（2025-03-10）');
    expect(remarksOf('2025Q3', 'p04', lifted)).toBe('');
  });
});

describe('考核结果花名册 (ROSTER): outcomes without a determination', () => {
  it('shows 未参加考核 with the reason for a person who does not take part and was never given an outcome', () => {
    const roster = build('ROSTER', '2025', [
      record({ personId: 'p08', period: '2025', participation: { outcome: 'NOT_PARTICIPATING', reason: '未参加考核：退休（2025-06-30）' } }),
      record({ personId: 'p09', period: '2025' }),
    ]);
    expect(cellsOf(roster, 'p08.2025').outcome).toBe('未参加考核（未参加考核：退休（2025-06-30））');
    expect(cellsOf(roster, 'p09.2025').outcome).toBe('尚未确定等次');
  });

  it('remarks a 开除党籍 in the years the rule set leaves ungraded after it, though it has no effect period of its own', () => {
    const expelled = [person('p05', { measures: [measure('m-55', 'PARTY_EXPULSION', '2024-05-10', '2024-05-10')] })];
    const remarksIn = (year: string) => cellsOf(build('ROSTER', year, [record({ personId: 'p05', period: year })], { people: expelled }), `p05.${year}`).remarks;
    expect(remarksIn('2024')).toBe('开除党籍（2024-05-10）');
    expect(remarksIn('2025')).toBe('开除党籍（2024-05-10）');
    expect(remarksIn('2026')).toBe('开除党籍（2024-05-10）');
    expect(remarksIn('2027')).toBe('');
  });
});

describe('优秀、基本称职、不称职及未定等次中受处分人员名单 (SANCTIONED_LIST)', () => {
  const people = [
    person('p01', { measures: [measure('m-11', 'GOVERNMENT_WARNING', '2024-12-18', '2024-12-20')] }),
    person('p02', { measures: [measure('m-21', 'GOVERNMENT_DEMERIT', '2025-02-10', '2025-02-10')] }),
    person('p03', {
      measures: [
        measure('m-31', 'ADMONITION', '2025-05-01', '2025-05-01'),
        measure('m-32', 'EFFICIENCY_WARNING', '2025-06-01', '2025-06-01'),
        measure('m-33', 'ORGANIZATIONAL_ADJUSTMENT', '2025-07-01', '2025-07-01'),
      ],
    }),
    person('p04', {
      measures: [
        measure('m-41', 'PARTY_POST_REMOVAL', '2025-03-01', '2025-03-01'),
        measure('m-42', 'GOVERNMENT_DEMERIT', '2025-01-05', '2025-01-06', { revoked: true }),
      ],
    }),
    person('p05', {
      measures: [measure('m-51', 'GOVERNMENT_DEMERIT', '2025-04-01', '2025-04-03'), measure('m-52', 'PARTY_SERIOUS_WARNING', '2025-04-01', '2025-04-01')],
    }),
    person('p06', { measures: [measure('m-61', 'GOVERNMENT_WARNING', '2023-01-03', '2023-01-05')] }),
    person('p07', { measures: [measure('m-71', 'GOVERNMENT_MAJOR_DEMERIT', '2024-02-26', '2024-03-01', { liftedOn: '2024-12-01' })] }),
    person('p08', { measures: [measure('m-81', 'GOVERNMENT_DISMISSAL', '2025-04-28', '2025-05-01')] }),
    person('p09', { measures: [measure('m-91', 'PARTY_PROBATION', '2024-06-01', '2024-06-01', { termYears: 2 })] }),
    person('p10', { measures: [measure('m-101', 'GOVERNMENT_WARNING', '2026-01-08', '2026-01-10')] }),
  ];
  const records: RecordFacts[] = [
    record({ personId: 'p01', period: '2025', outcome: graded('EXCELLENT') }),
    record({ personId: 'p02', period: '2025', outcome: graded('COMPETENT') }),
    record({ personId: 'p03', period: '2025', outcome: graded('BASICALLY_COMPETENT') }),
    record({ personId: 'p04', period: '2025', outcome: graded('INCOMPETENT') }),
    record({ personId: 'p05', period: '2025', outcome: { kind: 'COMMENT_ONLY', reason: '受记过处分当年只写评语、不定等次' } }),
    record({ personId: 'p06', period: '2025', outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查调查期间' } }),
    record({ personId: 'p07', period: '2025', outcome: graded('EXCELLENT') }),
    record({
      personId: 'p08',
      period: '2025',
      participation: { outcome: 'NOT_PARTICIPATING', reason: '开除' },
      outcome: { kind: 'NOT_PARTICIPATING', reason: '处分：不再参加考核' },
    }),
    record({ personId: 'p09', period: '2025' }),
    record({ personId: 'p10', period: '2025', outcome: graded('EXCELLENT') }),
    // A quarterly record of a sanctioned person is not a row of the annual list.
    record({ personId: 'p05', period: '2025Q2', outcome: { kind: 'COMMENT_ONLY', reason: '处分期内' } }),
  ];
  const report = build('SANCTIONED_LIST', '2025', records, { people });

  it('has the form headers', () => {
    expect(report.title).toBe('优秀、基本称职、不称职及未定等次中受处分人员名单');
    expect(headersOf(report)).toEqual(['序号', '姓名', '单位及职务', '等次', '处分种类', '处分决定日期', '影响期']);
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', year: '2025年' });
  });

  it('lists one row per 政务/党纪 penalty overlapping the year of people graded 优秀/基本称职/不称职 or ungraded', () => {
    expect(report.rows).toEqual([
      {
        key: 'p01.2025:m-11',
        cells: { name: '张一', unitAndPost: '办公室 科员（一级科员）', outcome: '优秀', penalty: '政务警告', decisionDate: '2024-12-18', effectPeriod: '2024-12-20至2025-06-19' },
      },
      {
        key: 'p04.2025:m-41',
        cells: { name: '赵四', unitAndPost: '办公室 科员（一级科员）', outcome: '不称职', penalty: '撤销党内职务', decisionDate: '2025-03-01', effectPeriod: '2025-03-01起' },
      },
      {
        key: 'p05.2025:m-51',
        cells: {
          name: '孙五',
          unitAndPost: '办公室 科员（一级科员）',
          outcome: '只写评语、不定等次（受记过处分当年只写评语、不定等次）',
          penalty: '政务记过',
          decisionDate: '2025-04-01',
          effectPeriod: '2025-04-03至2026-04-02',
        },
      },
      {
        key: 'p05.2025:m-52',
        cells: {
          name: '孙五',
          unitAndPost: '办公室 科员（一级科员）',
          outcome: '只写评语、不定等次（受记过处分当年只写评语、不定等次）',
          penalty: '党内严重警告',
          decisionDate: '2025-04-01',
          effectPeriod: '2025-04-01起',
        },
      },
      {
        // Lifted in 2024, but national-current leaves the year after a 记大过 ungraded: it bears on 2025.
        key: 'p07.2025:m-71',
        cells: { name: '吴七', unitAndPost: '办公室 科员（一级科员）', outcome: '优秀', penalty: '政务记大过', decisionDate: '2024-02-26', effectPeriod: '2024-03-01至2024-11-30' },
      },
      {
        key: 'p09.2025:m-91',
        cells: { name: '冯九', unitAndPost: '办公室 科员（一级科员）', outcome: '尚未确定等次', penalty: '留党察看', decisionDate: '2024-06-01', effectPeriod: '2024-06-01至2026-05-31' },
      },
    ]);
  });

  it('leaves out 称职, lighter measures, revoked penalties, penalties that neither overlap nor bear on the year, and people not taking part', () => {
    const listed = new Set(report.rows.map((row) => row.cells.name));
    expect(listed.has('李二')).toBe(false); // 称职 with a 记过
    expect(listed.has('王三')).toBe(false); // 基本称职 with 诫勉, 效能告诫, 调整职务 only
    expect(listed.has('周六')).toBe(false); // a 2023 warning long over
    expect(listed.has('郑八')).toBe(false); // dismissed: not taking part
    expect(listed.has('陈十')).toBe(false); // a warning from 2026
    expect(report.rows.some((row) => row.key.endsWith(':m-42'))).toBe(false); // revoked
  });

  it('lists a 称职 person once the grade changes to 基本称职', () => {
    const revised = records.map((entry) => (entry.recordId === 'p02.2025' ? { ...entry, outcome: graded('BASICALLY_COMPETENT') } : entry));
    expect(cellsOf(build('SANCTIONED_LIST', '2025', revised, { people }), 'p02.2025:m-21')).toEqual({
      name: '李二',
      unitAndPost: '办公室 科员（一级科员）',
      outcome: '基本称职',
      penalty: '政务记过',
      decisionDate: '2025-02-10',
      effectPeriod: '2025-02-10至2026-02-09',
    });
  });
});
