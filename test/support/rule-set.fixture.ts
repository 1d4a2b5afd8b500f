import type { RuleSetDocument } from '../../src/rule-set/domain/rule-set.js';

/** A small, complete rule set for domain tests (the shipped presets are tested on their own). */
export function testRuleSet(overrides: Partial<RuleSetDocument> = {}): RuleSetDocument {
  return {
    id: 'test-rules',
    version: 3,
    name: '测试规则',
    effectiveFrom: '2024-01-01',
    gradeScales: [
      {
        id: 'quarterly-national',
        name: '平时考核等次',
        grades: [
          { code: 'GOOD', label: '好' },
          { code: 'FAIRLY_GOOD', label: '较好' },
          { code: 'AVERAGE', label: '一般' },
          { code: 'POOR', label: '较差' },
        ],
        workInjuryLeaveGrade: 'FAIRLY_GOOD',
      },
      {
        id: 'annual-civil-servant',
        name: '年度考核等次',
        grades: [
          { code: 'EXCELLENT', label: '优秀' },
          { code: 'COMPETENT', label: '称职' },
          { code: 'BASICALLY_COMPETENT', label: '基本称职' },
          { code: 'INCOMPETENT', label: '不称职' },
        ],
      },
      {
        id: 'annual-public-institution',
        name: '事业单位年度考核等次',
        grades: [
          { code: 'EXCELLENT', label: '优秀' },
          { code: 'QUALIFIED', label: '合格' },
          { code: 'BASICALLY_QUALIFIED', label: '基本合格' },
          { code: 'UNQUALIFIED', label: '不合格' },
        ],
      },
    ],
    scaleAssignments: (['CIVIL_SERVANT', 'REFERENCE_MANAGED', 'PUBLIC_INSTITUTION', 'OTHER'] as const).flatMap((category) => [
      { periodKind: 'QUARTERLY' as const, category, scaleId: 'quarterly-national' },
      { periodKind: 'MONTHLY' as const, category, scaleId: 'quarterly-national' },
      { periodKind: 'ANNUAL' as const, category, scaleId: category === 'PUBLIC_INSTITUTION' ? 'annual-public-institution' : 'annual-civil-servant' },
    ]),
    scoringSchemes: [
      {
        id: 'two-indicator',
        name: '测试量化评分',
        total: 100,
        indicators: [
          { id: 'performance', label: '工作绩效', points: 60 },
          { id: 'integrity', label: '廉洁自律', points: 40, zeroWhenSanctioned: true },
        ],
        bonusCap: 5,
        deductionCap: 5,
        raterWeights: [
          { subjectRole: 'SECTION_HEAD', weights: [{ raterRole: 'SUPERIOR', weight: 0.4 }, { raterRole: 'PEER', weight: 0.3 }, { raterRole: 'SUBORDINATE', weight: 0.3 }] },
          { subjectRole: 'STAFF', weights: [{ raterRole: 'SUPERIOR', weight: 0.6 }, { raterRole: 'COLLEAGUE', weight: 0.4 }] },
        ],
        democraticWeight: 0,
        bands: [
          { scaleId: 'quarterly-national', bands: [{ grade: 'GOOD', min: 90, max: 106 }, { grade: 'FAIRLY_GOOD', min: 75, max: 90 }, { grade: 'AVERAGE', min: 60, max: 75 }, { grade: 'POOR', min: 0, max: 60 }] },
          { scaleId: 'annual-civil-servant', bands: [{ grade: 'EXCELLENT', min: 90, max: 106 }, { grade: 'COMPETENT', min: 70, max: 90 }, { grade: 'BASICALLY_COMPETENT', min: 60, max: 70 }, { grade: 'INCOMPETENT', min: 0, max: 60 }] },
        ],
      },
    ],
    schemeAssignments: [
      { periodKind: 'QUARTERLY', schemeId: 'two-indicator' },
      { periodKind: 'ANNUAL', schemeId: 'two-indicator' },
    ],
    quotas: [
      { periodKind: 'QUARTERLY', cap: 0.4, scope: 'ORGANIZATION', denominator: 'GRADED_ONLY', rounding: 'HALF_UP' },
      { periodKind: 'ANNUAL', cap: 0.2, capWithApproval: 0.25, scope: 'UNIT', denominator: 'EXCLUDING_WITHHELD', rounding: 'FLOOR' },
    ],
    windows: { objectionDays: { QUARTERLY: 15, MONTHLY: 15, ANNUAL: 30 }, appealDays: 15, publicNoticeWorkingDays: 5, deadlineRollsToNextWorkingDay: true },
    participation: {
      probationOutcome: 'COMMENT_ONLY',
      publicInstitutionMinimumMonthsInPost: 6,
      leaveOverHalfPeriodOutcome: 'COMMENT_ONLY',
      secondedAppraisedBy: 'RECEIVING_ORGANIZATION',
    },
    directDeterminations: [
      { trigger: 'COMMENDATION', periodKinds: ['QUARTERLY'], outcome: 'TOP_GRADE' },
      { trigger: 'REFUSED_ORDERS_AT_CRITICAL_MOMENT', periodKinds: ['QUARTERLY', 'ANNUAL'], outcome: 'BOTTOM_GRADE' },
    ],
    annualLinkage: {
      quarterlyScoreWeight: 0.5,
      excellentMinTopGradeShare: 0.5,
      excellentBarredBy: ['AVERAGE', 'POOR'],
      lowGrades: ['AVERAGE', 'POOR'],
      lowMajorityOutcome: 'BASICALLY_COMPETENT',
      bottomGrade: 'POOR',
      allBottomOutcome: 'INCOMPETENT',
      excellentRate: { quarters: 3, quarterlyWeight: 0.4, voteWeight: 0.6 },
      efficiencyWarningsBarringExcellent: 3,
    },
    discipline: {
      basis: 'DECISION_YEAR',
      periodMonths: { GOVERNMENT_WARNING: 6, GOVERNMENT_DEMERIT: 12, GOVERNMENT_MAJOR_DEMERIT: 18 },
      effects: [
        { measure: 'GOVERNMENT_WARNING', annual: 'NOT_TOP_GRADE', laterYears: [], quarterly: 'NOT_TOP_GRADE' },
        { measure: 'ADMONITION', annual: 'NOT_TOP_GRADE', laterYears: [], quarterly: 'NOT_TOP_GRADE' },
        { measure: 'GOVERNMENT_DEMERIT', annual: 'COMMENT_ONLY', laterYears: [], quarterly: 'NO_GRADE' },
        { measure: 'GOVERNMENT_MAJOR_DEMERIT', annual: 'NO_GRADE', laterYears: ['NO_GRADE'], quarterly: 'NO_GRADE' },
        { measure: 'PARTY_POST_REMOVAL', annual: 'BOTTOM_GRADE', laterYears: [], quarterly: 'NO_GRADE' },
      ],
      investigationWithholds: true,
      backfillOutcomes: ['NO_PENALTY', 'EXEMPTED', 'WARNING'],
    },
    ...overrides,
  };
}
