import { PERIOD_KINDS, PERSON_CATEGORIES } from '../../src/appraisal/domain/vocabulary.js';
import type { RuleSetDocument } from '../../src/rule-set/domain/rule-set.js';
import { validateRuleSet, type RuleSetProblem } from '../../src/rule-set/domain/validate-rule-set.js';

/** A small rule set that passes every check; each test breaks one thing in a fresh copy. */
function validRuleSet(): RuleSetDocument {
  return {
    id: 'test-rules',
    version: 1,
    name: '测试规则',
    effectiveFrom: '2025-01-01',
    gradeScales: [
      {
        id: 'quarterly',
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
        id: 'annual',
        name: '年度考核等次',
        grades: [
          { code: 'EXCELLENT', label: '优秀' },
          { code: 'COMPETENT', label: '称职' },
          { code: 'BASICALLY_COMPETENT', label: '基本称职' },
          { code: 'INCOMPETENT', label: '不称职' },
        ],
      },
    ],
    // 12 pairs in PERIOD_KINDS × PERSON_CATEGORIES order: [8] is ANNUAL × CIVIL_SERVANT, [11] ANNUAL × OTHER.
    scaleAssignments: PERIOD_KINDS.flatMap((periodKind) =>
      PERSON_CATEGORIES.map((category) => ({ periodKind, category, scaleId: periodKind === 'ANNUAL' ? 'annual' : 'quarterly' })),
    ),
    scoringSchemes: [
      {
        id: 'scheme',
        name: '测试方案',
        total: 100,
        indicators: [
          { id: 'de', label: '德', points: 40 },
          { id: 'ji', label: '绩', points: 60 },
        ],
        bonusCap: 5,
        deductionCap: 5,
        raterWeights: [
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
        ],
        democraticWeight: 0.3,
        bands: [
          {
            scaleId: 'quarterly',
            // Best first, not sorted by score: order does not matter.
            bands: [
              { grade: 'GOOD', min: 90, max: 106 },
              { grade: 'FAIRLY_GOOD', min: 75, max: 90 },
              { grade: 'AVERAGE', min: 60, max: 75 },
              { grade: 'POOR', min: 0, max: 60 },
            ],
          },
        ],
      },
    ],
    schemeAssignments: [{ periodKind: 'QUARTERLY', schemeId: 'scheme' }],
    quotas: [
      { periodKind: 'QUARTERLY', cap: 0.4, scope: 'ORGANIZATION', denominator: 'GRADED_ONLY', rounding: 'HALF_UP' },
      { periodKind: 'ANNUAL', cap: 0.2, capWithApproval: 0.25, scope: 'ORGANIZATION', denominator: 'ALL_PARTICIPANTS', rounding: 'FLOOR' },
    ],
    windows: {
      objectionDays: { QUARTERLY: 15, MONTHLY: 15, ANNUAL: 30 },
      appealDays: 15,
      publicNoticeWorkingDays: 5,
      deadlineRollsToNextWorkingDay: true,
    },
    participation: {
      probationOutcome: 'COMMENT_ONLY',
      publicInstitutionMinimumMonthsInPost: 6,
      leaveOverHalfPeriodOutcome: 'COMMENT_ONLY',
      secondedAppraisedBy: 'RECEIVING_ORGANIZATION',
    },
    directDeterminations: [{ trigger: 'COMMENDATION', periodKinds: ['QUARTERLY'], outcome: 'TOP_GRADE' }],
    annualLinkage: {
      quarterlyScoreWeight: 0.5,
      excellentMinTopGradeShare: 0.5,
      excellentBarredBy: ['AVERAGE', 'POOR'],
      lowGrades: ['AVERAGE', 'POOR'],
      lowMajorityOutcome: 'BASICALLY_COMPETENT',
      bottomGrade: 'POOR',
      allBottomOutcome: 'INCOMPETENT',
      repeatedLowGrade: 'POOR',
      repeatedLowCount: 2,
      repeatedLowOutcome: 'BASICALLY_COMPETENT',
      excellentRate: { quarters: 3, quarterlyWeight: 0.4, voteWeight: 0.6 },
      efficiencyWarningsBarringExcellent: 3,
    },
    discipline: {
      basis: 'DECISION_YEAR',
      periodMonths: { GOVERNMENT_WARNING: 6 },
      effects: [
        { measure: 'GOVERNMENT_WARNING', annual: 'NOT_TOP_GRADE', laterYears: [], quarterly: 'NOT_TOP_GRADE' },
        { measure: 'PARTY_PROBATION', annual: 'BOTTOM_GRADE', laterYears: [], quarterly: 'NO_GRADE', laterYearsByTermYears: { '1': ['NO_GRADE'] } },
      ],
      investigationWithholds: true,
      backfillOutcomes: ['NO_PENALTY', 'EXEMPTED', 'WARNING'],
    },
  };
}

type Change = (ruleSet: RuleSetDocument) => void;

/** Sets (or, given undefined, deletes) the field at a path such as `quotas[0].cap`. */
function set(path: string, value: unknown): Change {
  return (ruleSet) => {
    const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    const last = keys.pop() as string;
    const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, ruleSet as unknown as Record<string, unknown>);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  };
}

function problemsAfter(...changes: Change[]): RuleSetProblem[] {
  const ruleSet = validRuleSet();
  for (const change of changes) change(ruleSet);
  const result = validateRuleSet(ruleSet);
  return result.ok ? [] : result.errors;
}

const problem = (path: string, message: string): RuleSetProblem => ({ path, message });

describe('validateRuleSet', () => {
  it('returns the rule set when every check passes, with bands in any order', () => {
    expect(validateRuleSet(validRuleSet())).toEqual({ ok: true, ruleSet: validRuleSet() });
    expect(problemsAfter((ruleSet) => ruleSet.scoringSchemes[0].bands[0].bands.reverse())).toEqual([]);
  });

  it('collects every problem, from structure and consistency, across sections', () => {
    expect(
      problemsAfter(
        set('version', 0),
        set('quotas[0].scope', 'CITY'),
        set('scoringSchemes[0].indicators[1].points', 58),
        set('scoringSchemes[0].bands[0].bands[1].max', 89),
        set('windows.appealDays', '15'),
        set('scaleAssignments', validRuleSet().scaleAssignments.slice(0, 11)),
      ),
    ).toEqual([
      problem('version', 'must be a positive integer; found 0'),
      problem('quotas[0].scope', 'must be one of UNIT, ORGANIZATION; found "CITY"'),
      problem('windows.appealDays', 'must be a positive integer; found "15"'),
      problem('scaleAssignments', 'no scale assigned for ANNUAL × OTHER; every period kind and person category needs exactly one'),
      problem('scoringSchemes[0].indicators', "the indicators' points sum to 98, but the scheme total is 100; they must be equal"),
      problem('scoringSchemes[0].bands[0].bands', 'gap between FAIRLY_GOOD [75, 89) and GOOD [90, 106): scores from 89 up to 90 get no grade'),
    ]);
  });

  describe('structure', () => {
    it('needs an object', () => {
      expect(validateRuleSet(null)).toEqual({ ok: false, errors: [problem('', 'must be an object; found null')] });
    });

    it('names a missing field and what it must be', () => {
      expect(problemsAfter(set('windows', undefined))).toEqual([problem('windows', 'missing; must be an object')]);
    });

    it.each([
      ['quotas[0].cap', '0.4', 'must be a number above 0 and at most 1; found "0.4"'],
      ['quotas', {}, 'must be a list of quota rules; found an object'],
      ['name', '  ', 'must be a non-empty text; found "  "'],
      ['windows.deadlineRollsToNextWorkingDay', 'yes', 'must be true or false; found "yes"'],
      ['scoringSchemes[0].bands[0].bands[0].min', null, 'must be a number; found null'],
    ])('names a field of the wrong type: %s = %j', (path, value, message) => {
      expect(problemsAfter(set(path, value))).toEqual([problem(path, message)]);
    });

    it('rejects an unknown field, listing the allowed ones', () => {
      expect(problemsAfter(set('quotas[1].capWithAproval', 0.25))).toEqual([
        problem('quotas[1].capWithAproval', 'unknown field; allowed: periodKind, cap, capWithApproval, scope, denominator, rounding'),
      ]);
    });

    it.each([
      ['scaleAssignments[0].periodKind', 'YEARLY', 'must be one of QUARTERLY, MONTHLY, ANNUAL; found "YEARLY"'],
      ['scaleAssignments[0].category', 'TEACHER', 'must be one of CIVIL_SERVANT, REFERENCE_MANAGED, PUBLIC_INSTITUTION, OTHER; found "TEACHER"'],
      ['participation.probationOutcome', 'GRADE', 'must be one of COMMENT_ONLY, GRADED; found "GRADE"'],
      ['directDeterminations[0].outcome', 'PROMOTION', 'must be one of TOP_GRADE, BOTTOM_GRADE, WITHHELD; found "PROMOTION"'],
      ['discipline.basis', 'CALENDAR_YEAR', 'must be one of DECISION_YEAR, PENALTY_PERIOD; found "CALENDAR_YEAR"'],
      ['discipline.backfillOutcomes[0]', 'PARDONED', 'must be one of NO_PENALTY, EXEMPTED, WARNING; found "PARDONED"'],
    ])('lists the allowed values of %s', (path, value, message) => {
      expect(problemsAfter(set(path, value))).toEqual([problem(path, message)]);
    });
  });

  describe('document', () => {
    it.each([0, -1, 1.5])('needs a positive integer version, not %j', (version) => {
      expect(problemsAfter(set('version', version))).toEqual([problem('version', `must be a positive integer; found ${version}`)]);
    });

    it.each(['2025-02-29', '2025-13-01', '2025-1-1', '2025-01-01T00:00:00Z'])('needs effectiveFrom to be a real date, not %s', (date) => {
      expect(problemsAfter(set('effectiveFrom', date))).toEqual([problem('effectiveFrom', `must be a calendar date written YYYY-MM-DD; found "${date}"`)]);
    });
  });

  describe('ids and keys are unique within their list', () => {
    it.each<[string, Change, RuleSetProblem]>([
      [
        'grade scale ids',
        (ruleSet) => ruleSet.gradeScales.push({ ...ruleSet.gradeScales[0] }),
        problem('gradeScales[2].id', 'duplicate grade scale id "quarterly"; first at gradeScales[0].id'),
      ],
      [
        'scoring scheme ids',
        (ruleSet) => ruleSet.scoringSchemes.push({ ...ruleSet.scoringSchemes[0] }),
        problem('scoringSchemes[1].id', 'duplicate scoring scheme id "scheme"; first at scoringSchemes[0].id'),
      ],
      [
        'indicator ids',
        set('scoringSchemes[0].indicators[1].id', 'de'),
        problem('scoringSchemes[0].indicators[1].id', 'duplicate indicator id "de"; first at scoringSchemes[0].indicators[0].id'),
      ],
      [
        'subject roles of the rater weights',
        (ruleSet) => ruleSet.scoringSchemes[0].raterWeights.push({ ...ruleSet.scoringSchemes[0].raterWeights[1] }),
        problem('scoringSchemes[0].raterWeights[2].subjectRole', 'duplicate rater weights for STAFF; first at scoringSchemes[0].raterWeights[1].subjectRole'),
      ],
      [
        'rater roles of one subject role',
        set('scoringSchemes[0].raterWeights[1].weights[1].raterRole', 'SUPERIOR'),
        problem('scoringSchemes[0].raterWeights[1].weights[1].raterRole', 'duplicate weight for SUPERIOR; first at scoringSchemes[0].raterWeights[1].weights[0].raterRole'),
      ],
      [
        'band lists of one scale',
        (ruleSet) => ruleSet.scoringSchemes[0].bands.push({ ...ruleSet.scoringSchemes[0].bands[0] }),
        problem('scoringSchemes[0].bands[1].scaleId', 'duplicate bands for scale "quarterly"; first at scoringSchemes[0].bands[0].scaleId'),
      ],
      [
        'scheme assignments',
        (ruleSet) => ruleSet.schemeAssignments.push({ periodKind: 'QUARTERLY', schemeId: 'scheme' }),
        problem('schemeAssignments[1]', 'duplicate scheme assignment for QUARTERLY × every category; first at schemeAssignments[0]'),
      ],
      [
        'quotas of one period kind and scope',
        (ruleSet) => ruleSet.quotas.push({ ...ruleSet.quotas[0], cap: 0.3 }),
        problem('quotas[2]', 'duplicate quota for QUARTERLY × ORGANIZATION; first at quotas[0]'),
      ],
      [
        'direct determinations of one trigger and period kind',
        (ruleSet) => ruleSet.directDeterminations.push({ trigger: 'COMMENDATION', periodKinds: ['ANNUAL', 'QUARTERLY'], outcome: 'BOTTOM_GRADE' }),
        problem('directDeterminations[1].periodKinds[1]', 'duplicate direct determination for COMMENDATION in QUARTERLY; first at directDeterminations[0].periodKinds[0]'),
      ],
      [
        'measure effects',
        (ruleSet) => ruleSet.discipline.effects.push({ ...ruleSet.discipline.effects[0] }),
        problem('discipline.effects[2].measure', 'duplicate effect for GOVERNMENT_WARNING; first at discipline.effects[0].measure'),
      ],
    ])('%s', (_, change, expected) => {
      expect(problemsAfter(change)).toEqual([expected]);
    });
  });

  describe('grade scales', () => {
    it('need at least two grades', () => {
      expect(
        problemsAfter((ruleSet) => ruleSet.gradeScales.push({ id: 'single', name: '单一等次', grades: [{ code: 'PASS', label: '通过' }] })),
      ).toEqual([problem('gradeScales[2].grades', 'must list at least 2 grades; found 1')]);
    });

    it('need unique grade codes', () => {
      const grades = [
        { code: 'PASS', label: '通过' },
        { code: 'PASS', label: '不通过' },
      ];
      expect(problemsAfter((ruleSet) => ruleSet.gradeScales.push({ id: 'pass-fail', name: '通过制', grades }))).toEqual([
        problem('gradeScales[2].grades[1].code', 'duplicate grade code "PASS"; first at gradeScales[2].grades[0].code'),
      ]);
    });

    it('give work-injury leave a grade of their own', () => {
      expect(problemsAfter(set('gradeScales[0].workInjuryLeaveGrade', 'COMPETENT'))).toEqual([
        problem('gradeScales[0].workInjuryLeaveGrade', '"COMPETENT" is not a grade of scale "quarterly" (GOOD, FAIRLY_GOOD, AVERAGE, POOR)'),
      ]);
    });
  });

  describe('assignments', () => {
    it('refer to a scale that exists', () => {
      expect(problemsAfter(set('scaleAssignments[8].scaleId', 'yearly'))).toEqual([
        problem('scaleAssignments[8].scaleId', 'no grade scale "yearly" in gradeScales; defined: quarterly, annual'),
      ]);
    });

    it('refer to a scoring scheme that exists', () => {
      expect(problemsAfter(set('schemeAssignments[0].schemeId', 'five-element'))).toEqual([
        problem('schemeAssignments[0].schemeId', 'no scoring scheme "five-element" in scoringSchemes; defined: scheme'),
      ]);
    });

    it('give every period kind and person category a scale', () => {
      expect(problemsAfter((ruleSet) => ruleSet.scaleAssignments.splice(4, 2))).toEqual([
        problem('scaleAssignments', 'no scale assigned for MONTHLY × CIVIL_SERVANT, MONTHLY × REFERENCE_MANAGED; every period kind and person category needs exactly one'),
      ]);
    });

    it('give a period kind and person category no more than one scale', () => {
      expect(problemsAfter((ruleSet) => ruleSet.scaleAssignments.push({ periodKind: 'ANNUAL', category: 'CIVIL_SERVANT', scaleId: 'quarterly' }))).toEqual([
        problem('scaleAssignments[12]', 'duplicate scale assignment for ANNUAL × CIVIL_SERVANT; first at scaleAssignments[8]'),
      ]);
    });
  });

  describe('scoring schemes', () => {
    it.each([0, -6])('need indicator points above 0, not %j', (points) => {
      expect(problemsAfter(set('scoringSchemes[0].indicators[0].points', points), set('scoringSchemes[0].indicators[1].points', 100 - points))).toEqual([
        problem('scoringSchemes[0].indicators[0].points', `must be a number above 0; found ${points}`),
      ]);
    });

    it('need indicator points summing exactly to the total', () => {
      expect(problemsAfter(set('scoringSchemes[0].indicators[1].points', 62.5))).toEqual([
        problem('scoringSchemes[0].indicators', "the indicators' points sum to 102.5, but the scheme total is 100; they must be equal"),
      ]);
    });

    it.each(['bonusCap', 'deductionCap'])('need %s of 0 or more', (field) => {
      expect(problemsAfter(set(`scoringSchemes[0].${field}`, -1))).toEqual([problem(`scoringSchemes[0].${field}`, 'must be a number of 0 or more; found -1')]);
    });

    it('need rater weights from 0 to 1', () => {
      expect(problemsAfter(set('scoringSchemes[0].raterWeights[1].weights[0].weight', 1.25), set('scoringSchemes[0].raterWeights[1].weights[1].weight', -0.25))).toEqual([
        problem('scoringSchemes[0].raterWeights[1].weights[0].weight', 'must be a number from 0 to 1; found 1.25'),
        problem('scoringSchemes[0].raterWeights[1].weights[1].weight', 'must be a number from 0 to 1; found -0.25'),
      ]);
    });

    it("need each subject role's rater weights to sum to 1", () => {
      expect(problemsAfter(set('scoringSchemes[0].raterWeights[0].weights[1].weight', 0.2))).toEqual([
        problem('scoringSchemes[0].raterWeights[0].weights', 'the weights for SECTION_HEAD sum to 0.9; they must sum to 1'),
      ]);
    });

    it('need a democratic weight from 0 to 1', () => {
      expect(problemsAfter(set('scoringSchemes[0].democraticWeight', 30))).toEqual([
        problem('scoringSchemes[0].democraticWeight', 'must be a number from 0 to 1; found 30'),
      ]);
    });
  });

  describe('score bands', () => {
    const bandsPath = 'scoringSchemes[0].bands[0].bands';

    it('map to a scale that exists', () => {
      expect(problemsAfter(set('scoringSchemes[0].bands[0].scaleId', 'monthly'))).toEqual([
        problem('scoringSchemes[0].bands[0].scaleId', 'no grade scale "monthly" in gradeScales; defined: quarterly, annual'),
      ]);
    });

    it('use grades of their scale', () => {
      expect(problemsAfter(set(`${bandsPath}[0].grade`, 'EXCELLENT'))).toEqual([
        problem(`${bandsPath}[0].grade`, '"EXCELLENT" is not a grade of scale "quarterly" (GOOD, FAIRLY_GOOD, AVERAGE, POOR)'),
      ]);
    });

    it('are not empty', () => {
      expect(problemsAfter((ruleSet) => ruleSet.scoringSchemes[0].bands[0].bands.push({ grade: 'POOR', min: 60, max: 60 }))).toEqual([
        problem(`${bandsPath}[4]`, 'min 60 must be below max 60'),
      ]);
    });

    it('start at 0 or below', () => {
      expect(problemsAfter(set(`${bandsPath}[3].min`, 10))).toEqual([
        problem(bandsPath, 'the lowest band, POOR [10, 60), starts above 0; the bands must cover every score from 0'),
      ]);
    });

    it('leave no gap', () => {
      expect(problemsAfter(set(`${bandsPath}[1].max`, 89))).toEqual([
        problem(bandsPath, 'gap between FAIRLY_GOOD [75, 89) and GOOD [90, 106): scores from 89 up to 90 get no grade'),
      ]);
    });

    it('do not overlap, even a band inside a longer one', () => {
      expect(problemsAfter(set(`${bandsPath}[1].max`, 91))).toEqual([
        problem(bandsPath, 'FAIRLY_GOOD [75, 91) overlaps GOOD [90, 106): scores from 90 up to 91 get two grades'),
      ]);
      expect(problemsAfter(set(`${bandsPath}[3].max`, 100), set(`${bandsPath}[2].min`, 100), set(`${bandsPath}[2].max`, 101))).toEqual([
        problem(bandsPath, 'POOR [0, 100) overlaps FAIRLY_GOOD [75, 90): scores from 75 up to 90 get two grades'),
        problem(bandsPath, 'POOR [0, 100) overlaps GOOD [90, 106): scores from 90 up to 100 get two grades'),
        problem(bandsPath, 'GOOD [90, 106) overlaps AVERAGE [100, 101): scores from 100 up to 101 get two grades'),
      ]);
    });

    it('reach above the total plus the bonus cap', () => {
      expect(problemsAfter(set(`${bandsPath}[0].max`, 105))).toEqual([
        problem(bandsPath, 'the highest band, GOOD [90, 105), must end above the best possible score 105 (total 100 + bonus cap 5); max is exclusive'),
      ]);
    });
  });

  describe('quotas', () => {
    it.each([0, 1.2])('need a cap above 0 and at most 1, not %j', (cap) => {
      expect(problemsAfter(set('quotas[0].cap', cap))).toEqual([problem('quotas[0].cap', `must be a number above 0 and at most 1; found ${cap}`)]);
    });

    it('need capWithApproval of at least the cap', () => {
      expect(problemsAfter(set('quotas[1].capWithApproval', 0.15))).toEqual([
        problem('quotas[1].capWithApproval', '0.15 is below the cap 0.2; it must be from the cap up to 1'),
      ]);
    });

    it('need capWithApproval of at most 1', () => {
      expect(problemsAfter(set('quotas[1].capWithApproval', 1.1))).toEqual([
        problem('quotas[1].capWithApproval', 'must be a number above 0 and at most 1; found 1.1'),
      ]);
    });

    it.each([
      ['scope', 'must be one of UNIT, ORGANIZATION; found "DEPARTMENT"'],
      ['denominator', 'must be one of ALL_PARTICIPANTS, EXCLUDING_WITHHELD, GRADED_ONLY; found "DEPARTMENT"'],
      ['rounding', 'must be one of FLOOR, HALF_UP, CEIL, AT_LEAST_ONE; found "DEPARTMENT"'],
    ])('need a known %s', (field, message) => {
      expect(problemsAfter(set(`quotas[0].${field}`, 'DEPARTMENT'))).toEqual([problem(`quotas[0].${field}`, message)]);
    });
  });

  describe('windows', () => {
    it.each([
      ['windows.objectionDays.QUARTERLY', 0],
      ['windows.appealDays', 7.5],
      ['windows.publicNoticeWorkingDays', -5],
    ])('need %s to be a positive integer, not %j', (path, days) => {
      expect(problemsAfter(set(path, days))).toEqual([problem(path, `must be a positive integer; found ${days}`)]);
    });

    it('need objection days for every period kind', () => {
      expect(problemsAfter(set('windows.objectionDays.MONTHLY', undefined))).toEqual([
        problem('windows.objectionDays.MONTHLY', 'missing; must be a positive integer'),
      ]);
    });
  });

  describe('annual linkage', () => {
    const allGrades = 'GOOD, FAIRLY_GOOD, AVERAGE, POOR, EXCELLENT, COMPETENT, BASICALLY_COMPETENT, INCOMPETENT';

    it.each(['annualLinkage.lowGrades[1]', 'annualLinkage.lowMajorityOutcome', 'annualLinkage.repeatedLowGrade'])('names grades of some scale at %s', (path) => {
      expect(problemsAfter(set(path, 'D'))).toEqual([problem(path, `"D" is not a grade of any scale in gradeScales (${allGrades})`)]);
    });

    it.each(['annualLinkage.quarterlyScoreWeight', 'annualLinkage.excellentMinTopGradeShare'])('needs %s from 0 to 1', (path) => {
      expect(problemsAfter(set(path, 60))).toEqual([problem(path, 'must be a number from 0 to 1; found 60')]);
    });

    it('needs the 优秀率 weights from 0 to 1 and summing to 1', () => {
      expect(problemsAfter(set('annualLinkage.excellentRate.quarterlyWeight', -0.2), set('annualLinkage.excellentRate.voteWeight', 1.2))).toEqual([
        problem('annualLinkage.excellentRate.quarterlyWeight', 'must be a number from 0 to 1; found -0.2'),
        problem('annualLinkage.excellentRate.voteWeight', 'must be a number from 0 to 1; found 1.2'),
      ]);
      expect(problemsAfter(set('annualLinkage.excellentRate.voteWeight', 0.5))).toEqual([
        problem('annualLinkage.excellentRate', 'quarterlyWeight 0.4 and voteWeight 0.5 sum to 0.9; they must sum to 1'),
      ]);
    });

    it('needs the repeated-low-grade rule whole or not at all', () => {
      expect(problemsAfter(set('annualLinkage.repeatedLowOutcome', undefined))).toEqual([
        problem('annualLinkage', 'repeatedLowGrade, repeatedLowCount, repeatedLowOutcome go together; found only repeatedLowGrade, repeatedLowCount'),
      ]);
    });

    it('needs positive integer counts', () => {
      expect(problemsAfter(set('annualLinkage.efficiencyWarningsBarringExcellent', 0), set('annualLinkage.excellentRate.quarters', 2.5))).toEqual([
        problem('annualLinkage.excellentRate.quarters', 'must be a positive integer; found 2.5'),
        problem('annualLinkage.efficiencyWarningsBarringExcellent', 'must be a positive integer; found 0'),
      ]);
    });
  });

  describe('discipline', () => {
    const measures =
      'GOVERNMENT_WARNING, GOVERNMENT_DEMERIT, GOVERNMENT_MAJOR_DEMERIT, GOVERNMENT_DEMOTION, GOVERNMENT_REMOVAL, GOVERNMENT_DISMISSAL, ' +
      'PARTY_WARNING, PARTY_SERIOUS_WARNING, PARTY_POST_REMOVAL, PARTY_PROBATION, PARTY_EXPULSION, ADMONITION, ORGANIZATIONAL_ADJUSTMENT, ' +
      'ORGANIZATIONAL_RESIGNATION, ORGANIZATIONAL_REMOVAL, ORGANIZATIONAL_DEMOTION, EFFICIENCY_WARNING';

    it.each([0, 6.5])('needs effect periods in whole months above 0, not %j', (months) => {
      expect(problemsAfter(set('discipline.periodMonths.GOVERNMENT_WARNING', months))).toEqual([
        problem('discipline.periodMonths.GOVERNMENT_WARNING', `must be a positive integer; found ${months}`),
      ]);
    });

    it('needs known measure codes for effect periods', () => {
      expect(problemsAfter(set('discipline.periodMonths.FINE', 3))).toEqual([problem('discipline.periodMonths.FINE', `unknown measure code; allowed: ${measures}`)]);
    });

    it('needs known measure codes for effects', () => {
      expect(problemsAfter(set('discipline.effects[0].measure', 'FINE'))).toEqual([problem('discipline.effects[0].measure', `must be one of ${measures}; found "FINE"`)]);
    });

    it.each(['annual', 'quarterly', 'laterYears[0]', 'laterYearsByTermYears.1[0]'])('needs a known grade effect at %s', (field) => {
      const path = `discipline.effects[1].${field}`;
      expect(problemsAfter((ruleSet) => ruleSet.discipline.effects[1].laterYears.push('NONE'), set(path, 'SEVERE'))).toEqual([
        problem(path, 'must be one of NONE, NOT_TOP_GRADE, COMMENT_ONLY, NO_GRADE, BOTTOM_GRADE, NOT_PARTICIPATING; found "SEVERE"'),
      ]);
    });

    it('keys effects by term in whole years', () => {
      expect(problemsAfter(set('discipline.effects[1].laterYearsByTermYears.one', ['NO_GRADE']))).toEqual([
        problem('discipline.effects[1].laterYearsByTermYears.one', 'unknown term; allowed: a whole number of years, such as "1" or "2"'),
      ]);
    });
  });
});
