import { unitAssessmentDecider, type UnitAssessmentCommand, type UnitAssessmentEvent } from '../../src/unit-assessment/domain/unit-assessment.decider.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { commandsOf, deciderSpec, stateAfter } from '../support/decider-spec.js';

const spec = deciderSpec(unitAssessmentDecider);
const command = commandsOf<UnitAssessmentCommand>();
const ruleSet = loadPresetRuleSets().find((document) => document.id === 'national-current')!;
const context = { ruleSet };

const opened: UnitAssessmentEvent = {
  type: 'UnitAssessmentOpened',
  data: { assessmentId: 'office.2025.training', organizationId: 'office', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion', ruleSetId: 'national-current', ruleSetVersion: 1 },
};
const sheet = (delivery: number): UnitAssessmentEvent => ({
  type: 'UnitScoresRecorded',
  data: {
    raterId: 'training-office',
    scores: [
      { indicatorId: 'organization-and-planning', points: 14 },
      { indicatorId: 'training-delivery', points: delivery },
      { indicatorId: 'resources-and-funding', points: 18 },
      { indicatorId: 'evaluation-and-effect', points: 17 },
    ],
  },
});
const resultOf = (events: UnitAssessmentEvent[]) => {
  const [determined] = unitAssessmentDecider.decide(command('DetermineUnitResult', {}), stateAfter(unitAssessmentDecider, events), context);
  return determined as Extract<UnitAssessmentEvent, { type: 'UnitResultDetermined' }>;
};

describe('unit-level assessment: training work, 100 points in four areas (DOMAIN §4.6)', () => {
  it('opens against a scheme and result scale of the rule set', () => {
    const { ruleSetId: _id, ruleSetVersion: _version, ...data } = opened.data as Extract<UnitAssessmentEvent, { type: 'UnitAssessmentOpened' }>['data'];
    spec.given([]).when(command('OpenUnitAssessment', data), context).then([{ ...opened, ruleSetId: 'national-current' }]);
    spec.given([]).when(command('OpenUnitAssessment', { ...data, schemeId: 'nope' }), context).thenThrows('UNIT_ASSESSMENT.UNKNOWN_SCHEME');
    spec.given([]).when(command('OpenUnitAssessment', { ...data, scaleId: 'civil-servant' }), context).thenThrows('UNIT_ASSESSMENT.NO_BANDS', { details: { allowed: ['task-completion'] } });
    spec.given([opened]).when(command('OpenUnitAssessment', data), context).thenThrows('UNIT_ASSESSMENT.ALREADY_OPEN');
  });

  it('checks each item against its points', () => {
    spec.given([opened]).when(command('RecordUnitScores', { raterId: 'r', scores: [{ indicatorId: 'training-delivery', points: 46 }] }), context).thenThrows('VALIDATION_FAILED', {
      details: { fields: [{ field: 'scores.0.points', allowed: '0 to 45' }] },
    });
    spec.given([]).when(command('RecordUnitBonus', { matter: '省级竞赛一等奖', points: 2, basis: '' }), context).thenThrows('UNIT_ASSESSMENT.NOT_FOUND');
  });

  it('bands the total: ≥ 90 完成, 60–89 基本完成, < 60 未完成, with provincial-contest bonus points capped', () => {
    expect(resultOf([opened, sheet(40)])).toMatchObject({ data: { score: 89, result: 'BASICALLY_COMPLETED', resultLabel: '基本完成' } });
    const bonus: UnitAssessmentEvent = { type: 'UnitBonusRecorded', data: { matter: '全省培训竞赛一等奖', points: 3, basis: '省委组织部通报' } };
    const withBonus = resultOf([opened, sheet(40), bonus]);
    expect(withBonus.data).toMatchObject({ score: 92, result: 'COMPLETED', resultLabel: '完成' });
    expect(withBonus.data.trace.map((step) => step.kind)).toEqual(['SCORE', 'BAND']);
    expect(resultOf([opened, sheet(10)])).toMatchObject({ data: { score: 59, result: 'NOT_COMPLETED' } });
    const bigBonus: UnitAssessmentEvent = { type: 'UnitBonusRecorded', data: { matter: '国家级表彰', points: 9, basis: '' } };
    expect(resultOf([opened, sheet(40), bigBonus]).data.score).toBe(94);
  });

  it('refuses a result before every item is scored, and a second result', () => {
    spec.given([opened]).when(command('DetermineUnitResult', {}), context).thenThrows('UNIT_ASSESSMENT.SCORES_INCOMPLETE');
    const determined = resultOf([opened, sheet(40)]);
    spec.given([opened, sheet(40), determined]).when(command('DetermineUnitResult', {}), context).thenThrows('UNIT_ASSESSMENT.ALREADY_DETERMINED');
  });
});
