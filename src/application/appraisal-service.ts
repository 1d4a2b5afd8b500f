import type { QuarterlyResult } from '../appraisal/domain/annual-linkage.js';
import { scaleFor } from '../appraisal/domain/derive-grade.js';
import { assessParticipation, type ParticipantFacts } from '../appraisal/domain/participation.js';
import { recordDecider, recordStreamId, type RecordCommand, type RecordContext, type RecordState } from '../appraisal/domain/record.decider.js';
import { outcomeSetBy } from '../appraisal/domain/record.events.js';
import { formatPeriod, parsePeriod, type GradeCode, type Outcome, type Period } from '../appraisal/domain/vocabulary.js';
import type { WorkCalendar } from '../calendar/domain/work-calendar.js';
import { foldEvents, type CommandHandler, type CommandResult } from '../command/command-handler.js';
import type { CommandMetadata } from '../command/decider.js';
import { caseDecider, caseStreamId, type CaseOutcome, type CasePenalty } from '../case/domain/case.decider.js';
import { cycleDecider, cycleStreamId, quotaPosition, type CycleCommand, type CycleState, type Participant } from '../cycle/domain/cycle.decider.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import {
  organizationDecider,
  organizationKindOf,
  ruleSetAdoptedFor,
  streamIdOfOrganization,
  type AdoptRuleSet,
  type RegisterOrganization,
  type RenameOrganization,
} from '../organization/domain/organization.decider.js';
import {
  departedBy,
  leaveDaysDuring,
  monthsInPost,
  onProbationDuring,
  personDecider,
  postAt,
  secondedDuring,
  streamIdOfPerson,
  type PersonCommand,
  type PersonState,
} from '../people/domain/person.decider.js';
import {
  EMPTY_DISCIPLINE,
  efficiencyWarningsIn,
  measuresOnRecord,
  openInvestigationCovering,
  type DisciplineHistory,
  type MeasureData,
} from '../people/domain/discipline-record.js';
import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import { ruleSetDecider, ruleSetStreamId } from '../rule-set/domain/rule-set.decider.js';
import { ApplicationError, NotFoundError } from '../shared/errors.js';
import {
  unitAssessmentDecider,
  unitAssessmentStreamId,
  type UnitAssessmentCommand,
} from '../unit-assessment/domain/unit-assessment.decider.js';
import { deepFreeze } from '../shared/deep-freeze.js';
import { StreamCache } from './stream-cache.js';
import { loadStream } from './stream-state.js';

const DEPARTURE_LABELS: Record<string, string> = { LEFT: '调离', RETIRED: '退休', DIED: '去世', DISMISSED: '辞退' };

/** Commands that run a derivation, and the grade each asks for. */
export function requestedGrade(command: RecordCommand, state: RecordState): { grade?: GradeCode } | undefined {
  switch (command.type) {
    case 'DetermineGrade':
      return { grade: command.data.grade ?? state.opened?.participation.fixedGrade ?? state.review?.grade };
    case 'RuleOnObjection':
      return command.data.ruling === 'REVISED' ? { grade: command.data.grade } : undefined;
    case 'DecideAppeal':
      return command.data.decision === 'REVISED' ? { grade: command.data.grade } : undefined;
    case 'BackfillGrade':
    case 'FlagGradeIfConflicting':
      return {};
    case 'CorrectFlaggedGrade':
      return { grade: command.data.grade };
    default:
      return undefined;
  }
}

/**
 * The write side of the appraisal: loads what each decision needs from other streams (rule set,
 * calendar, people, the cycle's quota), then runs the command through the generic handler. A top
 * grade first takes a slot on the cycle stream, the quota's consistency boundary; if the record
 * then refuses the grade, the slot is given back.
 */
export class AppraisalService {
  /**
   * Published rule set versions, by `<id>@<version>`: a version, once in the log, never changes
   * (the log is append-only and the next publication is the next version), so every record
   * command need not read and parse the rule set's stream again. Frozen, as every caller shares it.
   */
  private readonly ruleSets = new Map<string, Readonly<RuleSetDocument>>();
  /** The streams of the hot path (records, people, cycles): a read fetches only what was appended since the last. */
  private readonly streams: StreamCache;

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
    private readonly calendar: WorkCalendar,
  ) {
    this.streams = new StreamCache(store);
  }

  async ruleSet(id: string, version: number): Promise<RuleSetDocument> {
    const key = `${id}@${version}`;
    const cached = this.ruleSets.get(key);
    if (cached) return cached;
    const { state } = await loadStream(this.store, ruleSetDecider, ruleSetStreamId(id));
    const document = state.versions.find((candidate) => candidate.version === version);
    if (!document) throw new NotFoundError('rule set', `${id} version ${version}`);
    if (this.ruleSets.size >= 1000) this.ruleSets.clear();
    this.ruleSets.set(key, deepFreeze(document));
    return document;
  }

  publishRuleSet(document: unknown, metadata: CommandMetadata): Promise<CommandResult> {
    const id = (document as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) {
      throw new ApplicationError('VALIDATION_FAILED', 'the rule set needs an id of lower-case letters, digits and hyphens', {
        fields: [{ field: 'document.id', constraints: [{ name: 'matches', message: 'lower-case letters, digits and hyphens, 1 to 64' }] }],
      });
    }
    return this.commands.handle(ruleSetDecider, ruleSetStreamId(id), { type: 'PublishRuleSet', data: { document }, metadata }, undefined);
  }

  async registerOrganization(data: RegisterOrganization['data'], metadata: CommandMetadata): Promise<CommandResult> {
    const parentKind = data.parentId
      ? organizationKindOf((await loadStream(this.store, organizationDecider, streamIdOfOrganization(data.parentId))).state)
      : undefined;
    return this.commands.handle(organizationDecider, streamIdOfOrganization(data.organizationId), { type: 'RegisterOrganization', data, metadata }, { parentKind });
  }

  renameOrganization(organizationId: string, data: RenameOrganization['data'], metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.handle(organizationDecider, streamIdOfOrganization(organizationId), { type: 'RenameOrganization', data, metadata }, {});
  }

  async adoptRuleSet(organizationId: string, data: AdoptRuleSet['data'], metadata: CommandMetadata): Promise<CommandResult> {
    const { state } = await loadStream(this.store, ruleSetDecider, ruleSetStreamId(data.ruleSetId));
    const version = state.versions.find((candidate) => candidate.version === data.ruleSetVersion);
    return this.commands.handle(
      organizationDecider,
      streamIdOfOrganization(organizationId),
      { type: 'AdoptRuleSet', data, metadata },
      { ruleSet: { ruleSetExists: version !== undefined, effectiveFrom: version?.effectiveFrom } },
    );
  }

  async personCommand(personId: string, command: PersonCommand): Promise<CommandResult> {
    const streamId = streamIdOfPerson(personId);
    return this.commands.handle(personDecider, streamId, command, undefined, { events: await this.streams.read(streamId) });
  }

  /** Opens a cycle for the organization's participants and one record per participant. */
  async openCycle(data: { organizationId: string; period: string; personIds: string[] }, metadata: CommandMetadata): Promise<CommandResult> {
    const period = parsePeriod(data.period);
    if (!period) {
      throw new ApplicationError('VALIDATION_FAILED', `period ${data.period} is not a period`, {
        fields: [{ field: 'period', constraints: [{ name: 'isPeriod', message: 'YYYY, YYYYQn or YYYYMmm' }], allowed: '2025, 2025Q2, 2025M07' }],
      });
    }
    const ruleSet = await this.adoptedRuleSet(data.organizationId, period.year);
    const participants = await Promise.all(data.personIds.map((personId) => this.participant(data.organizationId, period, personId, ruleSet)));
    const cycleId = `${data.organizationId}.${data.period}`;
    const opened = await this.commands.handle(
      cycleDecider,
      cycleStreamId(data.organizationId, data.period),
      { type: 'OpenCycle', data: { cycleId, organizationId: data.organizationId, period: data.period, participants }, metadata },
      { ruleSet },
    );
    for (const participant of participants) {
      await this.commands.handle(
        recordDecider,
        recordStreamId(data.organizationId, participant.personId, data.period),
        {
          type: 'OpenRecord',
          data: {
            recordId: participant.recordId,
            cycleId,
            organizationId: data.organizationId,
            unitId: participant.unitId,
            personId: participant.personId,
            period: data.period,
            category: participant.category,
            subjectRole: participant.subjectRole,
            participation: participant.participation,
          },
          metadata: subCommand(metadata, `record/${participant.personId}`),
        },
        { ruleSet, calendar: this.calendar },
      );
      await this.personCommand(participant.personId, {
        type: 'NoteAppraisalRecord',
        data: { recordId: participant.recordId, period: data.period },
        metadata: subCommand(metadata, `person/${participant.personId}`),
      });
    }
    return opened;
  }

  private async participant(organizationId: string, period: Period, personId: string, ruleSet: RuleSetDocument): Promise<Participant> {
    const person = (await loadStream(this.store, personDecider, streamIdOfPerson(personId))).state;
    if (person.status === 'UNREGISTERED') throw new NotFoundError('person', personId);
    const post = postAt(person, period.end) ?? postAt(person, period.start) ?? person.posts[person.posts.length - 1];
    return {
      personId,
      recordId: `${organizationId}.${personId}.${formatPeriod(period)}`,
      unitId: post.organizationId,
      category: person.category,
      subjectRole: post.isSectionHead ? 'SECTION_HEAD' : 'STAFF',
      participation: assessParticipation(ruleSet, period, participantFacts(person, period)),
    };
  }

  /** Opens the assessment of an organization (e.g. its training work) under the rule set it adopted for the year. */
  async openUnitAssessment(data: { organizationId: string; year: number; schemeId: string; scaleId: string }, metadata: CommandMetadata): Promise<CommandResult> {
    const ruleSet = await this.adoptedRuleSet(data.organizationId, data.year);
    const assessmentId = `${data.organizationId}.${data.year}.${data.schemeId}`;
    return this.commands.handle(
      unitAssessmentDecider,
      unitAssessmentStreamId(data.organizationId, data.year, data.schemeId),
      { type: 'OpenUnitAssessment', data: { assessmentId, ...data }, metadata },
      { ruleSet },
    );
  }

  async unitAssessmentCommand(assessmentId: string, command: Exclude<UnitAssessmentCommand, { type: 'OpenUnitAssessment' }>): Promise<CommandResult> {
    const streamId = `unit-assessment-${assessmentId}`;
    const { state } = await loadStream(this.store, unitAssessmentDecider, streamId);
    if (!state.opened) throw new NotFoundError('unit assessment', assessmentId);
    const ruleSet = await this.ruleSet(state.opened.ruleSetId, state.opened.ruleSetVersion);
    return this.commands.handle(unitAssessmentDecider, streamId, command, { ruleSet });
  }

  private async adoptedRuleSet(organizationId: string, year: number): Promise<RuleSetDocument> {
    const organization = (await loadStream(this.store, organizationDecider, streamIdOfOrganization(organizationId))).state;
    if (organization.status !== 'REGISTERED') throw new NotFoundError('organization', organizationId);
    const adopted = ruleSetAdoptedFor(organization, year);
    if (!adopted) {
      throw new ApplicationError('CYCLE.NO_RULE_SET', `organization ${organizationId} has adopted no rule set for ${year}`, { organizationId, year });
    }
    return this.ruleSet(adopted.ruleSetId, adopted.ruleSetVersion);
  }

  /** Runs a command on an appraisal record, with the context its decision needs. */
  async recordCommand(recordId: string, command: RecordCommand): Promise<CommandResult> {
    const streamId = `appraisal-${recordId}`;
    const { events, personEvents, cycleEvents: prefetchedCycle } = await this.readForRecordCommand(streamId, command);
    // A command handled before returns its first result, before any quota slot is touched again
    // (its events are in the stream just read: what readByCommandId would answer).
    const earlier = events.filter((event) => event.metadata.commandId === command.metadata.commandId);
    if (earlier.length > 0) return { streamId, events: earlier, replayed: true };
    const state = foldEvents(recordDecider, events);
    if (!state.opened) throw new NotFoundError('appraisal record', recordId);
    const opened = state.opened;
    const period = parsePeriod(opened.period)!;
    const ruleSet = await this.ruleSet(opened.ruleSetId, opened.ruleSetVersion);
    const discipline = await this.disciplineOf(opened.personId, personEvents);
    const investigation = openInvestigationCovering(discipline, period.end);
    const context: RecordContext = {
      ruleSet,
      calendar: this.calendar,
      investigation: investigation && { caseId: investigation.caseId, openedOn: investigation.openedOn },
    };
    const request = requestedGrade(command, state);
    // The handler decides on the stream as read here; if it moved meanwhile, the append conflicts and it reads again.
    if (!request) return this.commands.handle(recordDecider, streamId, command, context, { events, state });

    const cycleStream = cycleStreamId(opened.organizationId, opened.period);
    const topGrade = scaleFor(ruleSet, { kind: opened.periodKind }, opened.category)?.grades[0].code;
    const graded = opened.participation.outcome === 'GRADED' && !context.investigation;
    // A backfill's grade is derived, so it may be the top grade: it takes a slot if one is free.
    const mayTakeTop = graded && (command.type === 'BackfillGrade' || (request.grade !== undefined && request.grade === topGrade));
    // Slot commands are named after both streams' revisions: a retry after a refusal (its slot
    // given back) takes a slot again instead of replaying the released one.
    const cycleEvents = prefetchedCycle ?? (await this.streams.read(cycleStream));
    const cycleBefore = { events: cycleEvents, state: foldEvents(cycleDecider, cycleEvents) };
    const step = (name: string) => `${name}@${events.length - 1}.${cycleBefore.events.length - 1}`;
    const slotCommand = (type: 'ReserveTopGrade' | 'ReleaseTopGrade' | 'NoteWithheld' | 'NoteReturnedToQuota', data: Record<string, string>, name: string, loaded?: { events: RecordedEvent[]; state: CycleState }) =>
      this.cycleCommand(cycleStream, { type, data } as never, command.metadata, step(name), ruleSet, loaded);
    const reserved = mayTakeTop
      ? await this.reserveTopGrade(() => slotCommand('ReserveTopGrade', { recordId }, 'reserve', cycleBefore), command.type === 'BackfillGrade')
      : false;
    const cycle = reserved ? foldEvents(cycleDecider, await this.streams.read(cycleStream)) : cycleBefore.state;
    context.derivation = {
      measures: measuresOnRecord(discipline),
      efficiencyWarnings: efficiencyWarningsIn(discipline, period.year),
      quarterlies: opened.periodKind === 'ANNUAL' ? await this.quarterlyResults(opened.organizationId, opened.personId, period.year) : undefined,
      quota: quotaPosition(cycle, ruleSet, recordId),
    };
    let result: CommandResult;
    try {
      result = await this.commands.handle(recordDecider, streamId, command, context, { events, state });
    } catch (error) {
      if (reserved && error instanceof ApplicationError) {
        await slotCommand('ReleaseTopGrade', { recordId, reason: `${command.type} refused: ${error.code}` }, 'release');
      }
      throw error;
    }
    const outcome = outcomeOf(result);
    if (outcome && cycle.reservations[recordId] !== undefined && !(outcome.kind === 'GRADE' && outcome.grade === topGrade)) {
      await slotCommand('ReleaseTopGrade', { recordId, reason: `${command.type}: not ${topGrade}` }, 'release');
    }
    if (outcome?.kind === 'WITHHELD_INVESTIGATION' && context.investigation) {
      const { caseId } = context.investigation;
      await slotCommand('NoteWithheld', { recordId, caseId }, 'withheld');
      await this.commands.handle(caseDecider, caseStreamId(caseId), { type: 'NoteRecordWithheld', data: { recordId }, metadata: subCommand(command.metadata, 'case') }, undefined);
    }
    if (command.type === 'BackfillGrade') await slotCommand('NoteReturnedToQuota', { recordId, caseId: command.data.caseId }, 'returned');
    return result;
  }

  /** Takes a top-grade slot; for a backfill a full quota is not an error (the derivation then lowers the grade). */
  private async reserveTopGrade(reserve: () => Promise<CommandResult>, fullQuotaIsFine: boolean): Promise<boolean> {
    try {
      return (await reserve()).events.length > 0;
    } catch (error) {
      if (fullQuotaIsFine && error instanceof ApplicationError && error.code === 'APPRAISAL.QUOTA_EXCEEDED') return false;
      throw error;
    }
  }

  /**
   * The record's stream and, once its first event is kept, in the same round trip the streams of
   * the person and the cycle that event names (the very ones `state.opened` names: the record's
   * first event is what it folds from): the person's for the discipline every decision on the
   * record needs, the cycle's (the quota) for a command that asks for a grade.
   */
  private async readForRecordCommand(
    streamId: string,
    command: RecordCommand,
  ): Promise<{ events: RecordedEvent[]; personEvents?: RecordedEvent[]; cycleEvents?: RecordedEvent[] }> {
    const opened = this.streams.kept(streamId)?.find((event) => event.type === 'RecordOpened')?.data as { personId: string; organizationId: string; period: string } | undefined;
    if (!opened) return { events: await this.streams.read(streamId) };
    // Whether a command asks for a grade depends on the command alone; the state only says which grade.
    const asksForGrade = requestedGrade(command, recordDecider.initialState()) !== undefined;
    const streamIds = [streamId, streamIdOfPerson(opened.personId), ...(asksForGrade ? [cycleStreamId(opened.organizationId, opened.period)] : [])];
    const [events, personEvents, cycleEvents] = await this.streams.readMany(streamIds);
    return { events, personEvents, cycleEvents };
  }

  /** The person's discipline history, from `events` (the person's stream just read) or read now. */
  private async disciplineOf(personId: string, events?: RecordedEvent[]): Promise<DisciplineHistory> {
    const person = foldEvents(personDecider, events ?? (await this.streams.read(streamIdOfPerson(personId))));
    return person.status === 'UNREGISTERED' ? EMPTY_DISCIPLINE : person.discipline;
  }

  /**
   * A fact recorded late (a measure, or an investigation) may conflict with grades already final:
   * each of the person's records checks its own grade against it and is flagged, never changed.
   */
  async flagLateFact(personId: string, fact: { eventId: string; type: string; globalPosition: string; investigationOpenedOn?: string }, metadata: Omit<CommandMetadata, 'commandId'>): Promise<void> {
    const discipline = await this.disciplineOf(personId);
    for (const recordId of discipline.records) {
      await this.recordCommand(recordId, {
        type: 'FlagGradeIfConflicting',
        data: { factEventId: fact.eventId, factType: fact.type, factGlobalPosition: fact.globalPosition, investigationOpenedOn: fact.investigationOpenedOn },
        metadata: { ...metadata, commandId: `flag/${fact.eventId}/${recordId}` },
      });
    }
  }

  /** Records a sanction or lighter measure on the person (effective dates may lie in the past). */
  recordMeasure(personId: string, data: MeasureData, metadata: CommandMetadata): Promise<CommandResult> {
    return this.personCommand(personId, { type: 'RecordDisciplinaryMeasure', data, metadata });
  }

  /** Opens a case against a person; the person's record notes the open investigation. */
  async openCase(data: { caseId: string; personId: string; openedOn: string; authority: string }, metadata: CommandMetadata): Promise<CommandResult> {
    const person = (await loadStream(this.store, personDecider, streamIdOfPerson(data.personId))).state;
    if (person.status === 'UNREGISTERED') throw new NotFoundError('person', data.personId);
    const opened = await this.commands.handle(caseDecider, caseStreamId(data.caseId), { type: 'OpenCase', data, metadata }, undefined);
    await this.personCommand(data.personId, { type: 'NoteInvestigationOpened', data: { caseId: data.caseId, openedOn: data.openedOn }, metadata: subCommand(metadata, 'person') });
    return opened;
  }

  /** Closes a case: the person's record notes it and, with a penalty, records the penalty; backfill follows from the log. */
  async closeCase(caseId: string, data: { closedOn: string; outcome: CaseOutcome; penalty: CasePenalty | null }, metadata: CommandMetadata): Promise<CommandResult> {
    const closed = await this.commands.handle(caseDecider, caseStreamId(caseId), { type: 'CloseCase', data, metadata }, undefined);
    const personId = String(closed.events[0].data.personId);
    await this.personCommand(personId, { type: 'NoteInvestigationClosed', data: { caseId, closedOn: data.closedOn, outcome: data.outcome }, metadata: subCommand(metadata, 'person') });
    if (data.penalty) await this.recordMeasure(personId, { ...data.penalty, caseId }, subCommand(metadata, 'penalty'));
    return closed;
  }

  /**
   * After a case closed: every record it withheld is backfilled (no penalty, exempted or a
   * warning, as the record's rule set lists) or left ungraded for good. Command ids derive from the
   * case and the record, so a replay or a retry never backfills twice.
   */
  async settleWithheldRecords(caseId: string, metadata: Omit<CommandMetadata, 'commandId'>): Promise<void> {
    const { state } = await loadStream(this.store, caseDecider, caseStreamId(caseId));
    if (state.status !== 'CLOSED' || !state.outcome) return;
    for (const recordId of state.withheldRecords) {
      const record = (await loadStream(this.store, recordDecider, `appraisal-${recordId}`)).state;
      if (record.withheldBy !== caseId) continue;
      const ruleSet = await this.ruleSet(record.opened!.ruleSetId, record.opened!.ruleSetVersion);
      const backfill = (ruleSet.discipline.backfillOutcomes as string[]).includes(state.outcome);
      const commandId = `${backfill ? 'backfill' : 'leave-ungraded'}/${caseId}/${recordId}`;
      const data = { caseId, caseOutcome: state.outcome };
      await this.recordCommand(recordId, backfill ? { type: 'BackfillGrade', data, metadata: { ...metadata, commandId } } : { type: 'LeaveUngraded', data, metadata: { ...metadata, commandId } });
    }
  }

  private cycleCommand(
    streamId: string,
    command: Omit<Exclude<CycleCommand, { type: 'OpenCycle' | 'CloseCycle' }>, 'metadata'>,
    metadata: CommandMetadata,
    step: string,
    ruleSet: RuleSetDocument,
    loaded?: { events: RecordedEvent[]; state: CycleState },
  ): Promise<CommandResult> {
    return this.commands.handle(
      cycleDecider,
      streamId,
      { ...command, metadata: subCommand(metadata, step) } as CycleCommand,
      { ruleSet },
      loaded,
    );
  }

  /** The year's quarterly results of the person in the organization (Q4 is merged into the annual appraisal). */
  private async quarterlyResults(organizationId: string, personId: string, year: number): Promise<QuarterlyResult[]> {
    const results: QuarterlyResult[] = [];
    for (const quarter of [1, 2, 3]) {
      const period = `${year}Q${quarter}`;
      const { state, events } = await loadStream(this.store, recordDecider, recordStreamId(organizationId, personId, period));
      if (!state.opened) continue;
      const final = [...events].reverse().find((event) => ['GradeFinalized', 'GradeRevised', 'GradeDetermined', 'GradeBackfilled'].includes(event.type));
      const score = [...events].reverse().find((event) => ['GradeDetermined', 'GradeRevised', 'GradeBackfilled'].includes(event.type))?.data.score;
      results.push({
        period,
        grade: state.outcome?.kind === 'GRADE' ? state.outcome.grade : undefined,
        score: typeof score === 'number' ? score : undefined,
        ref: final ? { eventId: final.eventId, globalPosition: final.globalPosition.toString(), recordedAt: final.recordedAt } : undefined,
      });
    }
    return results;
  }
}

/** A command issued as one step of another: its id derives from the parent's, its cause is the parent. */
export function subCommand(metadata: CommandMetadata, step: string): CommandMetadata {
  return { ...metadata, commandId: `${metadata.commandId}/${step}`, causationId: metadata.commandId, correlationId: metadata.correlationId ?? metadata.commandId };
}

/** The outcome a record command left in force, if it changed one. */
function outcomeOf(result: CommandResult): Outcome | undefined {
  for (const event of [...result.events].reverse()) {
    const outcome = outcomeSetBy(event);
    if (outcome) return outcome;
  }
  return undefined;
}

/** What the rule set's participation exceptions read of a person for a period. */
export function participantFacts(person: Exclude<PersonState, { status: 'UNREGISTERED' }>, period: Period): ParticipantFacts {
  const departure = departedBy(person, period.end);
  const seconded = secondedDuring(person, period.start, period.end);
  return {
    personId: person.personId,
    category: person.category,
    onProbation: onProbationDuring(person, period.start, period.end),
    leaveDays: leaveDaysDuring(person, period.start, period.end),
    secondedTo: seconded?.receivingOrganizationId,
    departed: departure ? { reason: DEPARTURE_LABELS[departure.reason] ?? departure.reason, date: departure.date } : undefined,
    monthsInPost: monthsInPost(person, period.end),
  };
}

