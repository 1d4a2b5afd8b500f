import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppraisalService } from '../application/appraisal-service.js';
import type { Actor } from '../event-store/event.js';
import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import { CurrentActor } from './actor.js';
import { CommandEdge } from './command-edge.js';
import { PRESET_RULE_SETS } from './preset-rule-sets.js';
import { PublishPresetRuleSetInput, PublishRuleSetInput, RuleSetArgs } from './rule-set.inputs.js';
import type { CommandOutcome, RuleSetSummary } from './schema.types.js';

@Resolver()
export class RuleSetResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly edge: CommandEdge,
  ) {}

  @Query('presetRuleSets')
  presetRuleSets(): RuleSetSummary[] {
    return [...PRESET_RULE_SETS.values()].map(({ id, version, name, effectiveFrom }) => ({ id, version, name, effectiveFrom }));
  }

  @Query('ruleSet')
  ruleSet(@Args() args: RuleSetArgs): Promise<RuleSetDocument> {
    return this.appraisal.ruleSet(args.id, args.version);
  }

  @Mutation('publishRuleSet')
  publishRuleSet(@Args('input') input: PublishRuleSetInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    return this.edge.run(actor, input.commandId, (metadata) => this.appraisal.publishRuleSet(input.document, metadata));
  }

  /** The input names a preset id the validation has checked. */
  @Mutation('publishPresetRuleSet')
  publishPresetRuleSet(@Args('input') input: PublishPresetRuleSetInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    return this.edge.run(actor, input.commandId, (metadata) => this.appraisal.publishRuleSet(PRESET_RULE_SETS.get(input.id), metadata));
  }
}
