import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AppraisalService } from '../application/appraisal-service.js';
import type { CasePenalty } from '../case/domain/case.decider.js';
import type { Actor } from '../event-store/event.js';
import { CurrentActor } from './actor.js';
import { CommandEdge } from './command-edge.js';
import {
  CloseCaseInput,
  LiftMeasureInput,
  OpenCaseInput,
  RecordDisciplinaryMeasureInput,
  RevokeMeasureInput,
  type MeasureDecisionInput,
} from './discipline.inputs.js';
import type { CommandOutcome } from './schema.types.js';

/** The decision as the domain takes it: a period or term the input leaves out is null, the rule set's default. */
function measureDecision(input: MeasureDecisionInput): CasePenalty {
  const { measureId, measure, decisionDate, effectiveDate, periodMonths, termYears, authority, documentNumber } = input;
  return { measureId, measure, decisionDate, effectiveDate, periodMonths: periodMonths ?? null, termYears: termYears ?? null, authority, documentNumber };
}

@Resolver()
export class DisciplineResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly edge: CommandEdge,
  ) {}

  @Mutation('recordDisciplinaryMeasure')
  recordDisciplinaryMeasure(@Args('input') input: RecordDisciplinaryMeasureInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const data = { ...measureDecision(input), caseId: input.caseId ?? null };
    return this.edge.run(actor, input.commandId, (metadata) => this.appraisal.recordMeasure(input.personId, data, metadata));
  }

  @Mutation('liftMeasure')
  liftMeasure(@Args('input') input: LiftMeasureInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.personCommand(personId, { type: 'LiftMeasure', data, metadata }));
  }

  @Mutation('revokeMeasure')
  revokeMeasure(@Args('input') input: RevokeMeasureInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, personId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.personCommand(personId, { type: 'RevokeMeasure', data, metadata }));
  }

  @Mutation('openCase')
  openCase(@Args('input') input: OpenCaseInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.openCase(data, metadata));
  }

  @Mutation('closeCase')
  closeCase(@Args('input') input: CloseCaseInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, caseId, closedOn, outcome, penalty } = input;
    const data = { closedOn, outcome, penalty: penalty ? measureDecision(penalty) : null };
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.closeCase(caseId, data, metadata));
  }
}
