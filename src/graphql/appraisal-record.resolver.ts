import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppraisalQueries, type AsOf } from '../application/appraisal-queries.js';
import { AppraisalService } from '../application/appraisal-service.js';
import type { RecordCommand } from '../appraisal/domain/record.decider.js';
import type { CommandMetadata } from '../command/decider.js';
import type { Actor } from '../event-store/event.js';
import { CurrentActor } from './actor.js';
import {
  AsOfInput,
  CorrectFlaggedGradeInput,
  RecordAsOfArgs,
  RecordDiffArgs,
  RecordHistoryArgs,
  DecideAppealInput,
  DetermineGradeInput,
  RecordReceivingOrganizationResultInput,
  FileAppealInput,
  FileObjectionInput,
  FinalizeGradeInput,
  NotifyPersonInput,
  ProposeGradeInput,
  PublishResultInput,
  RecordArgs,
  RecordDemocraticEvaluationInput,
  RecordDirectTriggerInput,
  RecordRefusalToSignInput,
  RecordScoreAdjustmentInput,
  RecordScoresInput,
  ReviewProposalInput,
  RuleOnObjectionInput,
  SignOffInput,
  StartPublicNoticeInput,
  SubmitSelfSummaryInput,
  WriteCommentInput,
  type GradeVotesInput,
} from './appraisal-record.inputs.js';
import { CommandEdge, present } from './command-edge.js';
import type { AppraisalRecord, CommandOutcome, EventConnection, GradeTrace, RecordDiff } from './schema.types.js';
import { streamPage, toGraphQLEvent } from './graphql-event.js';
import { INFRASTRUCTURE } from './tokens.js';
import type { Infrastructure } from '../infrastructure.js';
import type { EventStore } from '../event-store/event-store.port.js';

/** GraphQL has no map input: votes come as a list of (grade, votes) and the command takes them by grade. */
function votesByGrade(entries: GradeVotesInput[] | null | undefined): Record<string, number> | undefined {
  return entries ? Object.fromEntries(entries.map((entry) => [entry.grade, entry.votes])) : undefined;
}

function asOf(input: AsOfInput): AsOf {
  return {
    recordedAt: input.recordedAt ?? undefined,
    globalPosition: input.globalPosition === undefined || input.globalPosition === null ? undefined : BigInt(input.globalPosition),
  };
}

@Resolver()
export class AppraisalRecordResolver {
  private readonly store: EventStore;

  constructor(
    private readonly appraisal: AppraisalService,
    private readonly queries: AppraisalQueries,
    private readonly edge: CommandEdge,
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
  ) {
    this.store = infrastructure.store;
  }

  @Query('appraisalRecord')
  async appraisalRecord(@Args() args: RecordArgs): Promise<AppraisalRecord> {
    return this.queries.record(args.recordId);
  }

  @Query('gradeTrace')
  gradeTrace(@Args() args: RecordArgs): Promise<GradeTrace> {
    return this.queries.gradeTrace(args.recordId);
  }

  @Query('recordHistory')
  recordHistory(@Args() args: RecordHistoryArgs): Promise<EventConnection> {
    return streamPage(this.store, `appraisal-${args.recordId}`, args.after, args.first ?? 50);
  }

  @Query('recordAsOf')
  recordAsOf(@Args() args: RecordAsOfArgs): Promise<AppraisalRecord> {
    return this.queries.recordAsOf(args.recordId, asOf(args.at));
  }

  @Query('recordDiff')
  async recordDiff(@Args() args: RecordDiffArgs): Promise<RecordDiff> {
    const diff = await this.queries.recordDiff(args.recordId, asOf(args.from), asOf(args.to));
    return { ...diff, events: diff.events.map(toGraphQLEvent) };
  }

  @Mutation('submitSelfSummary')
  submitSelfSummary(@Args('input') input: SubmitSelfSummaryInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'SubmitSelfSummary', data, metadata }));
  }

  @Mutation('recordScores')
  recordScores(@Args('input') input: RecordScoresInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordScores', data, metadata }));
  }

  @Mutation('recordScoreAdjustment')
  recordScoreAdjustment(@Args('input') input: RecordScoreAdjustmentInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordScoreAdjustment', data, metadata }));
  }

  @Mutation('writeComment')
  writeComment(@Args('input') input: WriteCommentInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'WriteComment', data, metadata }));
  }

  @Mutation('recordDemocraticEvaluation')
  recordDemocraticEvaluation(@Args('input') input: RecordDemocraticEvaluationInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, voters, votes, averageScore } = input;
    const data = present({ voters, votes: votesByGrade(votes), averageScore });
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordDemocraticEvaluation', data, metadata }));
  }

  @Mutation('recordDirectTrigger')
  recordDirectTrigger(@Args('input') input: RecordDirectTriggerInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordDirectTrigger', data, metadata }));
  }

  @Mutation('proposeGrade')
  proposeGrade(@Args('input') input: ProposeGradeInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'ProposeGrade', data, metadata }));
  }

  @Mutation('reviewProposal')
  reviewProposal(@Args('input') input: ReviewProposalInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'ReviewProposal', data: present(data), metadata }));
  }

  @Mutation('determineGrade')
  determineGrade(@Args('input') input: DetermineGradeInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'DetermineGrade', data: present(data), metadata }));
  }

  @Mutation('recordReceivingOrganizationResult')
  recordReceivingOrganizationResult(@Args('input') input: RecordReceivingOrganizationResultInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordReceivingOrganizationResult', data, metadata }));
  }

  @Mutation('startPublicNotice')
  startPublicNotice(@Args('input') input: StartPublicNoticeInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'StartPublicNotice', data, metadata }));
  }

  @Mutation('finalizeGrade')
  finalizeGrade(@Args('input') input: FinalizeGradeInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    return this.run(actor, input.commandId, input.recordId, (metadata) => ({ type: 'FinalizeGrade', data: {}, metadata }));
  }

  @Mutation('publishResult')
  publishResult(@Args('input') input: PublishResultInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    return this.run(actor, input.commandId, input.recordId, (metadata) => ({ type: 'PublishResult', data: {}, metadata }));
  }

  @Mutation('notifyPerson')
  notifyPerson(@Args('input') input: NotifyPersonInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'NotifyPerson', data, metadata }));
  }

  @Mutation('signOff')
  signOff(@Args('input') input: SignOffInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'SignOff', data, metadata }));
  }

  @Mutation('recordRefusalToSign')
  recordRefusalToSign(@Args('input') input: RecordRefusalToSignInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RecordRefusalToSign', data, metadata }));
  }

  @Mutation('fileObjection')
  fileObjection(@Args('input') input: FileObjectionInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'FileObjection', data, metadata }));
  }

  @Mutation('ruleOnObjection')
  ruleOnObjection(@Args('input') input: RuleOnObjectionInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'RuleOnObjection', data: present(data), metadata }));
  }

  @Mutation('fileAppeal')
  fileAppeal(@Args('input') input: FileAppealInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'FileAppeal', data, metadata }));
  }

  @Mutation('decideAppeal')
  decideAppeal(@Args('input') input: DecideAppealInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'DecideAppeal', data: present(data), metadata }));
  }

  @Mutation('correctFlaggedGrade')
  correctFlaggedGrade(@Args('input') input: CorrectFlaggedGradeInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, recordId, ...data } = input;
    return this.run(actor, commandId, recordId, (metadata) => ({ type: 'CorrectFlaggedGrade', data: present(data), metadata }));
  }

  private run(actor: Actor, commandId: string | null | undefined, recordId: string, command: (metadata: CommandMetadata) => RecordCommand): Promise<CommandOutcome> {
    return this.edge.run(actor, commandId, (metadata) => this.appraisal.recordCommand(recordId, command(metadata)));
  }
}
