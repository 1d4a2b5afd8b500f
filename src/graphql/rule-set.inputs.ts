import { IsObject } from 'class-validator';
import { CommandInput, IsId, IsOneOf, IsWholeNumber } from './input-rules.js';
import { PRESET_RULE_SETS } from './preset-rule-sets.js';
import type * as Schema from './schema.types.js';

export class PublishRuleSetInput extends CommandInput implements Schema.PublishRuleSetInput {
  @IsObject({ context: { allowed: 'a rule set document (a JSON object)' } })
  document: Record<string, unknown>;
}

export class PublishPresetRuleSetInput extends CommandInput implements Schema.PublishPresetRuleSetInput {
  @IsOneOf([...PRESET_RULE_SETS.keys()])
  id: string;
}

export class RuleSetArgs {
  @IsId()
  id: string;

  @IsWholeNumber(1, 1_000_000)
  version: number;
}
