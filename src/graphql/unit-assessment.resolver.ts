import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppraisalQueries } from '../application/appraisal-queries.js';
import { AppraisalService } from '../application/appraisal-service.js';
import type { Actor } from '../event-store/event.js';
import { CurrentActor } from './actor.js';
import { CommandEdge } from './command-edge.js';
import type { CommandOutcome, UnitAssessment } from './schema.types.js';
import {
  DetermineUnitResultInput,
  OpenUnitAssessmentInput,
  RecordUnitBonusInput,
  RecordUnitScoresInput,
  UnitAssessmentArgs,
} from './unit-assessment.inputs.js';

@Resolver()
export class UnitAssessmentResolver {
  constructor(
    private readonly appraisal: AppraisalService,
    private readonly queries: AppraisalQueries,
    private readonly edge: CommandEdge,
  ) {}

  @Query('unitAssessment')
  unitAssessment(@Args() args: UnitAssessmentArgs): Promise<UnitAssessment> {
    return this.queries.unitAssessment(args.assessmentId);
  }

  @Mutation('openUnitAssessment')
  openUnitAssessment(@Args('input') input: OpenUnitAssessmentInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.openUnitAssessment(data, metadata));
  }

  @Mutation('recordUnitScores')
  recordUnitScores(@Args('input') input: RecordUnitScoresInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, assessmentId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.unitAssessmentCommand(assessmentId, { type: 'RecordUnitScores', data, metadata }));
  }

  @Mutation('recordUnitBonus')
  recordUnitBonus(@Args('input') input: RecordUnitBonusInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, assessmentId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.unitAssessmentCommand(assessmentId, { type: 'RecordUnitBonus', data, metadata }));
  }

  @Mutation('determineUnitResult')
  determineUnitResult(@Args('input') input: DetermineUnitResultInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, assessmentId } = input;
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.unitAssessmentCommand(assessmentId, { type: 'DetermineUnitResult', data: {}, metadata }));
  }
}
