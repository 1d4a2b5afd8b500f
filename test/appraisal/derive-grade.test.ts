import type { RecordedRef } from '../../src/command/decider.js';
import { deriveGrade, type DerivationInput } from '../../src/appraisal/domain/derive-grade.js';
import { parsePeriod } from '../../src/appraisal/domain/vocabulary.js';
import { testRuleSet } from '../support/rule-set.fixture.js';

let position = 0;
function ref(): RecordedRef {
  position += 1;
  return { eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`, globalPosition: String(position), recordedAt: '2025-01-01T00:00:00.000Z' };
}

function staffScores(performance: number, integrity: number): DerivationInput['scores'] {
  return [
    { indicatorId: 'performance', raterRole: 'SUPERIOR', raterId: 'leader-1', points: performance, ref: ref() },
    { indicatorId: 'integrity', raterRole: 'SUPERIOR', raterId: 'leader-1', points: integrity, ref: ref() },
  ];
}

function input(overrides: Partial<DerivationInput> = {}): DerivationInput {
  return {
    ruleSet: testRuleSet(),
    period: parsePeriod('2025Q2')!,
    subject: { category: 'CIVIL_SERVANT', subjectRole: 'STAFF' },
    participation: { outcome: 'GRADED', reason: '', ref: ref() },
    scores: staffScores(52, 36),
    adjustments: [],
    measures: [],
    efficiencyWarnings: [],
    directTriggers: [],
    ...overrides,
  };
}

describe('grade derivation and its trace', () => {
  it('scores, bands and records the committee grade, citing the rule set and the events read', () => {
    const scores = staffScores(57, 36);
    const result = deriveGrade(input({ scores, requested: { grade: 'GOOD' }, quota: { allowance: { denominator: 10, exact: 4, allowed: 4 }, used: 1 } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.outcome).toEqual({ kind: 'GRADE', grade: 'GOOD' });
    expect(result.score).toBe(93);
    expect(result.trace.map((step) => step.kind)).toEqual(['PARTICIPATION', 'SCORE', 'BAND', 'QUOTA', 'DETERMINATION']);
    const scoreStep = result.trace[1];
    expect(scoreStep.rule).toEqual({ ruleSetId: 'test-rules', ruleSetVersion: 3, clause: 'scoringSchemes.two-indicator' });
    expect(scoreStep.inputs).toEqual(scores.map((score) => ({ eventId: score.ref!.eventId, globalPosition: score.ref!.globalPosition })));
    expect(result.trace[2].explanation).toBe('93 分对应等次：好');
    expect(result.trace[3].values).toMatchObject({ allowed: 4, used: 1, available: 3 });
  });

  it('weights rater roles by the scheme and caps bonus and deduction', () => {
    const scores: DerivationInput['scores'] = [
      { indicatorId: 'performance', raterRole: 'SUPERIOR', raterId: 'a', points: 60 },
      { indicatorId: 'performance', raterRole: 'PEER', raterId: 'b', points: 40 },
      { indicatorId: 'performance', raterRole: 'SUBORDINATE', raterId: 'c', points: 50 },
      { indicatorId: 'integrity', raterRole: 'SUPERIOR', raterId: 'a', points: 30 },
    ];
    const result = deriveGrade(
      input({
        subject: { category: 'CIVIL_SERVANT', subjectRole: 'SECTION_HEAD' },
        scores,
        adjustments: [
          { kind: 'BONUS', matter: '省级表彰', points: 4 },
          { kind: 'BONUS', matter: '市级表彰', points: 3 },
          { kind: 'DEDUCTION', matter: '迟到', points: 1 },
        ],
      }),
    );
    // performance = 0.4×60 + 0.3×40 + 0.3×50 = 51; integrity 30; bonus capped at 5; minus 1.
    expect(result.ok && result.score).toBe(85);
    expect(result.ok && result.trace.find((step) => step.kind === 'SCORE')?.values).toEqual({ base: 81, bonus: 5, deduction: 1, quantified: 85, final: 85 });
    expect(result.ok && result.suggestedGrade).toBe('FAIRLY_GOOD');
  });

  it('rejects a top grade beyond the quota, naming cap, allowance, used and available', () => {
    const result = deriveGrade(input({ scores: staffScores(58, 38), requested: { grade: 'GOOD' }, quota: { allowance: { denominator: 3, exact: 1.2, allowed: 1 }, used: 1 } }));
    expect(result).toMatchObject({
      ok: false,
      code: 'APPRAISAL.QUOTA_EXCEEDED',
      details: { cap: 0.4, denominator: 3, allowed: 1, used: 1, available: 0 },
    });
  });

  it('rejects a grade that is not on the scale, listing the allowed ones', () => {
    expect(deriveGrade(input({ requested: { grade: 'EXCELLENT' } }))).toMatchObject({
      ok: false,
      code: 'APPRAISAL.UNKNOWN_GRADE',
      details: { allowed: ['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'] },
    });
  });

  it('gives no grade to a comment-only participant', () => {
    const participation = { outcome: 'COMMENT_ONLY' as const, reason: '试用期人员只写评语' };
    expect(deriveGrade(input({ participation }))).toMatchObject({ ok: true, outcome: { kind: 'COMMENT_ONLY', reason: '试用期人员只写评语' } });
    expect(deriveGrade(input({ participation, requested: { grade: 'AVERAGE' } }))).toMatchObject({ ok: false, code: 'APPRAISAL.NOT_GRADABLE' });
  });

  it('DOMAIN §9 scenario 3: a warning effective 2024-12-20 bars 优秀 for 2024 but not for 2025', () => {
    const warning = { measure: 'GOVERNMENT_WARNING' as const, effectiveDate: '2024-12-20', ref: ref() };
    const annual = (year: string) =>
      deriveGrade(input({ period: parsePeriod(year)!, scores: staffScores(58, 38), measures: [warning], requested: { grade: 'EXCELLENT' } }));

    const in2024 = annual('2024');
    expect(in2024).toMatchObject({ ok: false, code: 'APPRAISAL.TOP_GRADE_BARRED' });
    expect(in2024.trace.find((step) => step.kind === 'DISCIPLINE')).toMatchObject({
      conclusion: 'NOT_TOP_GRADE',
      inputs: [{ eventId: warning.ref.eventId, globalPosition: warning.ref.globalPosition }],
    });
    expect(annual('2025')).toMatchObject({ ok: true, outcome: { kind: 'GRADE', grade: 'EXCELLENT' } });
  });

  it('a heavier measure wins: demerit and warning together → comment only', () => {
    const measures = [
      { measure: 'GOVERNMENT_WARNING' as const, effectiveDate: '2025-03-01' },
      { measure: 'GOVERNMENT_DEMERIT' as const, effectiveDate: '2025-05-01' },
    ];
    const result = deriveGrade(input({ period: parsePeriod('2025')!, measures }));
    expect(result).toMatchObject({ ok: true, outcome: { kind: 'COMMENT_ONLY' } });
    expect(result.trace.find((step) => step.kind === 'DISCIPLINE')?.values).toEqual({ heaviest: 'COMMENT_ONLY' });
  });

  it('a major demerit takes the grade away the next year too, under the decision-year basis', () => {
    const measures = [{ measure: 'GOVERNMENT_MAJOR_DEMERIT' as const, effectiveDate: '2024-06-01' }];
    expect(deriveGrade(input({ period: parsePeriod('2025')!, measures }))).toMatchObject({ ok: true, outcome: { kind: 'COMMENT_ONLY' } });
    expect(deriveGrade(input({ period: parsePeriod('2026')!, measures, scores: staffScores(50, 30) }))).toMatchObject({ ok: true, outcome: { kind: 'GRADE' } });
  });

  it('forces the bottom grade where a measure or a direct trigger says so', () => {
    const measures = [{ measure: 'PARTY_POST_REMOVAL' as const, effectiveDate: '2025-02-01' }];
    expect(deriveGrade(input({ period: parsePeriod('2025')!, measures, requested: { grade: 'COMPETENT' } }))).toMatchObject({
      ok: false,
      code: 'APPRAISAL.GRADE_FORCED',
      details: { required: 'INCOMPETENT' },
    });
    const triggers = [{ trigger: 'REFUSED_ORDERS_AT_CRITICAL_MOMENT' as const }];
    expect(deriveGrade(input({ directTriggers: triggers }))).toMatchObject({ ok: true, outcome: { kind: 'GRADE', grade: 'POOR' } });
  });

  describe('quarterly → annual linkage', () => {
    const quarters = (...grades: string[]) => grades.map((grade, index) => ({ period: `2025Q${index + 1}`, grade, score: 80, ref: ref() }));
    const annual = (overrides: Partial<DerivationInput>) => deriveGrade(input({ period: parsePeriod('2025')!, scores: staffScores(58, 38), ...overrides }));

    it('优秀 needs the top grade in more than half the quarters', () => {
      expect(annual({ quarterlies: quarters('GOOD', 'GOOD', 'FAIRLY_GOOD'), requested: { grade: 'EXCELLENT' } })).toMatchObject({ ok: true });
      expect(annual({ quarterlies: quarters('GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD'), requested: { grade: 'EXCELLENT' } })).toMatchObject({
        ok: false,
        code: 'APPRAISAL.TOP_GRADE_BARRED',
      });
    });

    it('one 一般 in the year bars 优秀', () => {
      expect(annual({ quarterlies: quarters('GOOD', 'GOOD', 'AVERAGE'), requested: { grade: 'EXCELLENT' } })).toMatchObject({
        ok: false,
        code: 'APPRAISAL.TOP_GRADE_BARRED',
      });
    });

    it('a majority of 一般/较差 forces 基本称职, all 较差 forces 不称职', () => {
      expect(annual({ quarterlies: quarters('AVERAGE', 'POOR', 'GOOD') })).toMatchObject({ ok: true, outcome: { grade: 'BASICALLY_COMPETENT' } });
      expect(annual({ quarterlies: quarters('POOR', 'POOR', 'POOR') })).toMatchObject({ ok: true, outcome: { grade: 'INCOMPETENT' } });
    });

    it('maps a forced grade onto the public-institution scale (基本称职 → 基本合格)', () => {
      expect(annual({ subject: { category: 'PUBLIC_INSTITUTION', subjectRole: 'STAFF' }, quarterlies: quarters('AVERAGE', 'POOR', 'GOOD') })).toMatchObject({
        ok: true,
        outcome: { grade: 'BASICALLY_QUALIFIED' },
      });
    });

    it('three efficiency warnings bar 优秀', () => {
      expect(annual({ quarterlies: quarters('GOOD', 'GOOD', 'GOOD'), efficiencyWarnings: [ref(), ref(), ref()], requested: { grade: 'EXCELLENT' } })).toMatchObject({
        ok: false,
        code: 'APPRAISAL.TOP_GRADE_BARRED',
      });
    });

    it('weights the quarterly average into the annual score and computes the 优秀率', () => {
      const result = annual({
        quarterlies: quarters('GOOD', 'GOOD', 'FAIRLY_GOOD'),
        democratic: { votes: { EXCELLENT: 30, COMPETENT: 10 }, voters: 40, ref: ref() },
      });
      // (96 + 80) / 2; rate = 2/3 × 0.4 + 30/40 × 0.6
      expect(result.ok && result.score).toBe(88);
      expect(result.trace.find((step) => step.kind === 'EXCELLENT_RATE')?.values).toEqual({ rate: 0.7167 });
    });
  });
});

describe('the effect period of a measure', () => {
  const quarter = (text: string) => parsePeriod(text)!;
  const warning = { measure: 'GOVERNMENT_WARNING' as const, effectiveDate: '2025-02-01' };
  const barred = (measures: DerivationInput['measures'], period: string) =>
    deriveGrade(input({ period: quarter(period), scores: staffScores(58, 38), measures, requested: { grade: 'GOOD' } })).ok === false;

  it('runs the rule set\'s months (警告 6: February to July) unless the decision gives its own, or it is lifted early', () => {
    expect(barred([warning], '2025Q3')).toBe(true);
    expect(barred([warning], '2025Q4')).toBe(false);
    expect(barred([{ ...warning, periodMonths: 9 }], '2025Q4')).toBe(true);
    expect(barred([{ ...warning, liftedOn: '2025-03-31' }], '2025Q2')).toBe(false);
    expect(barred([{ ...warning, liftedOn: '2025-03-31' }], '2025Q1')).toBe(true);
  });
});
