import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AppraisalService } from '../application/appraisal-service.js';
import type { Actor } from '../event-store/event.js';
import { CurrentActor } from './actor.js';
import { CommandEdge, present } from './command-edge.js';
import { AdoptRuleSetInput, RegisterOrganizationInput, RenameOrganizationInput } from './organization.inputs.js';
import type { CommandOutcome } from './schema.types.js';

@Resolver()
export class OrganizationResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly edge: CommandEdge,
  ) {}

  @Mutation('registerOrganization')
  registerOrganization(@Args('input') input: RegisterOrganizationInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.registerOrganization(present(data), metadata));
  }

  @Mutation('renameOrganization')
  renameOrganization(@Args('input') input: RenameOrganizationInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, organizationId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.renameOrganization(organizationId, data, metadata));
  }

  @Mutation('adoptRuleSet')
  adoptRuleSet(@Args('input') input: AdoptRuleSetInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, organizationId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.adoptRuleSet(organizationId, present(data), metadata));
  }
}
