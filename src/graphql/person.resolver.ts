import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AppraisalService } from '../application/appraisal-service.js';
import type { CommandMetadata } from '../command/decider.js';
import type { Actor } from '../event-store/event.js';
import type { PersonCommand } from '../people/domain/person.decider.js';
import { CurrentActor } from './actor.js';
import { CommandEdge, present } from './command-edge.js';
import {
  ChangePostInput,
  EndSecondmentInput,
  RecordDepartureInput,
  RecordLeaveInput,
  RegisterPersonInput,
  StartProbationInput,
  StartSecondmentInput,
} from './person.inputs.js';
import type { CommandOutcome } from './schema.types.js';

@Resolver()
export class PersonResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly edge: CommandEdge,
  ) {}

  @Mutation('registerPerson')
  registerPerson(@Args('input') input: RegisterPersonInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.run(actor, commandId, data.personId, (metadata) => ({ type: 'RegisterPerson', data, metadata }));
  }

  @Mutation('changePost')
  changePost(@Args('input') input: ChangePostInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'ChangePost', data, metadata }));
  }

  @Mutation('startProbation')
  startProbation(@Args('input') input: StartProbationInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'StartProbation', data, metadata }));
  }

  @Mutation('recordLeave')
  recordLeave(@Args('input') input: RecordLeaveInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'RecordLeave', data, metadata }));
  }

  @Mutation('startSecondment')
  startSecondment(@Args('input') input: StartSecondmentInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'StartSecondment', data: present(data), metadata }));
  }

  @Mutation('endSecondment')
  endSecondment(@Args('input') input: EndSecondmentInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'EndSecondment', data, metadata }));
  }

  @Mutation('recordDeparture')
  recordDeparture(@Args('input') input: RecordDepartureInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.run(actor, commandId, personId, (metadata) => ({ type: 'RecordDeparture', data, metadata }));
  }

  private run(actor: Actor, commandId: string | null | undefined, personId: string, command: (metadata: CommandMetadata) => PersonCommand): Promise<CommandOutcome> {
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.personCommand(personId, command(metadata)));
  }
}
