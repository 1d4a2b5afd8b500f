import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import { loadPresetRuleSets } from '../rule-set/presets.js';

/** The presets that ship with the service, by id, read once when the service starts. */
export const PRESET_RULE_SETS: ReadonlyMap<string, RuleSetDocument> = new Map(loadPresetRuleSets().map((document) => [document.id, document]));
