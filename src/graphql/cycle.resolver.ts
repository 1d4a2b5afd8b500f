import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppraisalQueries } from '../application/appraisal-queries.js';
import { AppraisalService } from '../application/appraisal-service.js';
import type { Actor } from '../event-store/event.js';
import { CurrentActor } from './actor.js';
import { CommandEdge } from './command-edge.js';
import { CycleArgs, OpenCycleInput } from './cycle.inputs.js';
import type { CommandOutcome, Cycle } from './schema.types.js';

@Resolver()
export class CycleResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly queries: AppraisalQueries,
    private readonly edge: CommandEdge,
  ) {}

  @Query('cycle')
  cycle(@Args() args: CycleArgs): Promise<Cycle> {
    return this.queries.cycle(args.organizationId, args.period);
  }

  @Mutation('openCycle')
  openCycle(@Args('input') input: OpenCycleInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.openCycle(data, metadata));
  }
}
