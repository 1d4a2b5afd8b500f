import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import { ApplicationError } from '../../shared/errors.js';
import type { RuleSetDocument } from './rule-set.js';
import { validateRuleSet } from './validate-rule-set.js';

/** Stream `ruleset-<id>`: every adopted revision of one rule set, each a complete document. */
export type RuleSetEvent = DecidedEvent<'RuleSetPublished', { document: RuleSetDocument }>;
export type RuleSetCommand = Command<'PublishRuleSet', { document: unknown }>;

export interface RuleSetState {
  id?: string;
  versions: RuleSetDocument[];
}

function decide(command: RuleSetCommand, state: RuleSetState): RuleSetEvent[] {
  const validation = validateRuleSet(command.data.document);
  if (!validation.ok) {
    throw new ApplicationError('VALIDATION_FAILED', `the rule set is invalid: ${validation.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`, {
      fields: validation.errors.map((error) => ({ field: `document.${error.path}`, constraints: [{ name: 'ruleSet', message: error.message }] })),
    });
  }
  const document = validation.ruleSet;
  const latest = state.versions[state.versions.length - 1];
  const expectedVersion = (latest?.version ?? 0) + 1;
  if (document.version !== expectedVersion) {
    throw new ApplicationError('RULE_SET.VERSION_OUT_OF_ORDER', `rule set ${document.id} is at version ${latest?.version ?? 'none'}: the next version must be ${expectedVersion}, got ${document.version}`, {
      id: document.id,
      expected: expectedVersion,
      got: document.version,
    });
  }
  if (latest && document.effectiveFrom < latest.effectiveFrom) {
    throw new ApplicationError('RULE_SET.EFFECTIVE_DATE_BEFORE_PREVIOUS', `version ${document.version} takes effect ${document.effectiveFrom}, before version ${latest.version} (${latest.effectiveFrom})`, {
      effectiveFrom: document.effectiveFrom,
      previous: latest.effectiveFrom,
    });
  }
  return [{ type: 'RuleSetPublished', data: { document }, effectiveAt: document.effectiveFrom, ruleSetId: document.id }];
}

function evolve(state: RuleSetState, event: RuleSetEvent): RuleSetState {
  return { id: event.data.document.id, versions: [...state.versions, event.data.document] };
}

export const ruleSetDecider: Decider<RuleSetCommand, RuleSetEvent, RuleSetState> = {
  decide,
  evolve,
  initialState: () => ({ versions: [] }),
};

export function ruleSetStreamId(id: string): string {
  return `ruleset-${id}`;
}
