import { ruleSetDecider, type RuleSetCommand, type RuleSetEvent } from '../../src/rule-set/domain/rule-set.decider.js';
import { commandsOf, deciderSpec } from '../support/decider-spec.js';
import { testRuleSet } from '../support/rule-set.fixture.js';

const spec = deciderSpec(ruleSetDecider);
const command = commandsOf<RuleSetCommand>();
const version = (number: number, effectiveFrom = '2024-01-01') => testRuleSet({ version: number, effectiveFrom });
const published = (number: number, effectiveFrom?: string): RuleSetEvent => ({
  type: 'RuleSetPublished',
  data: { document: version(number, effectiveFrom) },
  effectiveAt: effectiveFrom ?? '2024-01-01',
  ruleSetId: 'test-rules',
});

describe('rule-set stream', () => {
  it('publishes the first version of a valid document, effective from its date', () => {
    spec.given([]).when(command('PublishRuleSet', { document: version(1) }), undefined).then([published(1)]);
  });

  it('refuses an invalid document, one field per problem', () => {
    const broken = { ...version(1), quotas: [{ periodKind: 'ANNUAL', cap: 1.5, scope: 'UNIT', denominator: 'ALL_PARTICIPANTS', rounding: 'SOMETIMES' }] };
    spec.given([]).when(command('PublishRuleSet', { document: broken }), undefined).thenThrows('VALIDATION_FAILED', {
      details: { fields: expect.arrayContaining([expect.objectContaining({ field: 'document.quotas[0].cap' }), expect.objectContaining({ field: 'document.quotas[0].rounding' })]) },
    });
  });

  it('versions follow each other and never take effect before the previous one', () => {
    spec.given([published(1)]).when(command('PublishRuleSet', { document: version(3) }), undefined).thenThrows('RULE_SET.VERSION_OUT_OF_ORDER', { details: { expected: 2, got: 3 } });
    spec.given([published(1, '2024-01-01')]).when(command('PublishRuleSet', { document: version(2, '2023-06-01') }), undefined).thenThrows('RULE_SET.EFFECTIVE_DATE_BEFORE_PREVIOUS');
    spec.given([published(1)]).when(command('PublishRuleSet', { document: version(2, '2025-01-01') }), undefined).then([published(2, '2025-01-01')]);
  });
});
