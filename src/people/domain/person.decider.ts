import type { PersonCategory } from '../../appraisal/domain/vocabulary.js';
import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import { daysInclusive, daysInMonth, isCalendarDate } from '../../shared/calendar-date.js';
import { ApplicationError } from '../../shared/errors.js';
import {
  EMPTY_DISCIPLINE,
  decideDiscipline,
  evolveDiscipline,
  type DisciplineCommand,
  type DisciplineEvent,
  type DisciplineHistory,
} from './discipline-record.js';

/** 病假/事假; statutory leave (年休假, 婚假, 产假 …), which never counts toward "leave over half the period"; 工伤假. */
export type LeaveKind = 'SICK_OR_PERSONAL' | 'STATUTORY' | 'WORK_INJURY';
export type DepartureReason = 'LEFT' | 'RETIRED' | 'DIED' | 'DISMISSED';

/** The post a person holds: the unit, 职务, 职级, and whether they head the unit (科室负责人). */
export interface Post {
  organizationId: string;
  position: string;
  rank: string;
  isSectionHead: boolean;
}

/** Inclusive calendar dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

export type RegisterPerson = Command<
  'RegisterPerson',
  Post & { personId: string; name: string; category: PersonCategory; inPostSince: string }
>;
export type ChangePost = Command<'ChangePost', Post & { effectiveDate: string }>;
export type StartProbation = Command<'StartProbation', { startDate: string; endDate: string }>;
export type RecordLeave = Command<'RecordLeave', { kind: LeaveKind; from: string; to: string }>;
/** Without `to` the secondment lasts until EndSecondment. */
export type StartSecondment = Command<'StartSecondment', { receivingOrganizationId: string; from: string; to?: string }>;
/** `date` is the last day seconded. */
export type EndSecondment = Command<'EndSecondment', { date: string }>;
/** `date` is the first day out of service. */
export type RecordDeparture = Command<'RecordDeparture', { reason: DepartureReason; date: string }>;
export type PersonCommand =
  | RegisterPerson
  | ChangePost
  | StartProbation
  | RecordLeave
  | StartSecondment
  | EndSecondment
  | RecordDeparture
  | DisciplineCommand;

export type PersonRegistered = DecidedEvent<
  'PersonRegistered',
  {
    personId: string;
    name: string;
    category: PersonCategory;
    organizationId: string;
    position: string;
    rank: string;
    isSectionHead: boolean;
    inPostSince: string;
  }
>;
export type PostChanged = DecidedEvent<
  'PostChanged',
  { personId: string; organizationId: string; position: string; rank: string; isSectionHead: boolean; effectiveDate: string }
>;
export type ProbationStarted = DecidedEvent<'ProbationStarted', { personId: string; startDate: string; endDate: string }>;
export type LeaveRecorded = DecidedEvent<'LeaveRecorded', { personId: string; kind: LeaveKind; from: string; to: string }>;
export type SecondmentStarted = DecidedEvent<'SecondmentStarted', { personId: string; receivingOrganizationId: string; from: string; to?: string }>;
export type SecondmentEnded = DecidedEvent<'SecondmentEnded', { personId: string; receivingOrganizationId: string; date: string }>;
export type PersonDeparted = DecidedEvent<'PersonDeparted', { personId: string; reason: DepartureReason; date: string }>;
export type PersonEvent =
  | PersonRegistered
  | PostChanged
  | ProbationStarted
  | LeaveRecorded
  | SecondmentStarted
  | SecondmentEnded
  | PersonDeparted
  | DisciplineEvent;

export interface PostHeld extends Post {
  since: string;
}
export interface Leave extends DateRange {
  kind: LeaveKind;
}
export interface Secondment {
  receivingOrganizationId: string;
  from: string;
  /** Planned or, once `ended`, actual last day; absent while open-ended. */
  to?: string;
  ended: boolean;
}
export interface Departure {
  reason: DepartureReason;
  date: string;
}

export interface PersonRecord {
  personId: string;
  category: PersonCategory;
  /** Oldest first; the first starts on the registration's `inPostSince`. */
  posts: PostHeld[];
  probation?: DateRange;
  leaves: Leave[];
  secondments: Secondment[];
  /** Sanctions, lighter measures and investigations (DOMAIN.md §4.4). */
  discipline: DisciplineHistory;
}

/** A departed person keeps the record: appraisals of the periods before the departure still read it. */
export type PersonState =
  | { status: 'UNREGISTERED' }
  | ({ status: 'REGISTERED' } & PersonRecord)
  | ({ status: 'DEPARTED'; departure: Departure } & PersonRecord);

type PersonInService = Extract<PersonState, { status: 'REGISTERED' }>;

export const streamIdOfPerson = (personId: string): string => `person-${personId}`;

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'UNREGISTERED' }),
  decide,
  evolve,
};

/** Whether any day of the probation falls in the period; like every period query, `start` and `end` are inclusive days. */
export function onProbationDuring(state: PersonState, start: string, end: string): boolean {
  const probation = recordOf(state)?.probation;
  return probation !== undefined && overlapDays(probation, { from: start, to: end }) > 0;
}

/** Calendar days of leave inside the period, by kind. */
export function leaveDaysDuring(state: PersonState, start: string, end: string): Record<LeaveKind, number> {
  const days: Record<LeaveKind, number> = { SICK_OR_PERSONAL: 0, STATUTORY: 0, WORK_INJURY: 0 };
  for (const leave of recordOf(state)?.leaves ?? []) days[leave.kind] += overlapDays(leave, { from: start, to: end });
  return days;
}

/** The organization the person was seconded to for more than half the period, with the days spent there. */
export function secondedDuring(state: PersonState, start: string, end: string): { receivingOrganizationId: string; days: number } | undefined {
  const period = { from: start, to: end };
  const daysByOrganization = new Map<string, number>();
  for (const secondment of recordOf(state)?.secondments ?? []) {
    const { receivingOrganizationId } = secondment;
    const days = overlapDays(spanOf(secondment), period);
    daysByOrganization.set(receivingOrganizationId, (daysByOrganization.get(receivingOrganizationId) ?? 0) + days);
  }
  const periodDays = daysInclusive(period.from, period.to);
  for (const [receivingOrganizationId, days] of daysByOrganization) {
    if (days * 2 > periodDays) return { receivingOrganizationId, days };
  }
  return undefined;
}

/** The departure, if it took effect on or before the date. */
export function departedBy(state: PersonState, date: string): Departure | undefined {
  return state.status === 'DEPARTED' && state.departure.date <= date ? state.departure : undefined;
}

/** Full months from `inPostSince` to the date; a change of post within the service does not restart the count. */
export function monthsInPost(state: PersonState, date: string): number {
  const record = recordOf(state);
  return record === undefined ? 0 : fullMonthsBetween(record.posts[0].since, date);
}

/** The unit, position, rank and section-head status held on the date; none before registration or from the departure. */
export function postAt(state: PersonState, date: string): PostHeld | undefined {
  if (departedBy(state, date)) return undefined;
  return recordOf(state)?.posts.filter((post) => post.since <= date).at(-1);
}

function recordOf(state: PersonState): PersonRecord | undefined {
  return state.status === 'UNREGISTERED' ? undefined : state;
}

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      return [registerPerson(state, command.data)];
    case 'ChangePost':
      return [changePost(inService(state), command.data)];
    case 'StartProbation':
      return [startProbation(inService(state), command.data)];
    case 'RecordLeave':
      return [recordLeave(inService(state), command.data)];
    case 'StartSecondment':
      return [startSecondment(inService(state), command.data)];
    case 'EndSecondment':
      return [endSecondment(inService(state), command.data)];
    case 'RecordDeparture':
      return [recordDeparture(inService(state), command.data)];
    case 'RecordDisciplinaryMeasure':
    case 'LiftMeasure':
    case 'RevokeMeasure':
    case 'NoteInvestigationOpened':
    case 'NoteInvestigationClosed':
    case 'NoteAppraisalRecord': {
      // Discipline can be recorded after a departure too: a case may close, or a sanction take effect, later.
      const person = registered(state);
      return decideDiscipline(person.personId, person.discipline, command, requireDate);
    }
    default:
      return rejectUnknownCommand(command);
  }
}

function registerPerson(state: PersonState, data: RegisterPerson['data']): PersonRegistered {
  if (state.status === 'DEPARTED') throw departedError(state);
  if (state.status === 'REGISTERED') {
    throw new ApplicationError('PERSON.ALREADY_REGISTERED', `person ${state.personId} is already registered`, { personId: state.personId });
  }
  requireText('personId', data.personId);
  requireText('name', data.name);
  requirePostText(data);
  requireDate('inPostSince', data.inPostSince);
  const { personId, name, category, organizationId, position, rank, isSectionHead, inPostSince } = data;
  return {
    type: 'PersonRegistered',
    data: { personId, name, category, organizationId, position, rank, isSectionHead, inPostSince },
    effectiveAt: inPostSince,
  };
}

function changePost(person: PersonInService, data: ChangePost['data']): PostChanged {
  requirePostText(data);
  requireDate('effectiveDate', data.effectiveDate);
  const current = person.posts[person.posts.length - 1];
  if (data.effectiveDate <= current.since) {
    throw new ApplicationError(
      'PERSON.POST_CHANGE_OUT_OF_ORDER',
      `a post change effective ${data.effectiveDate} must come after the current post, held since ${current.since}`,
      { personId: person.personId, effectiveDate: data.effectiveDate, currentPostSince: current.since },
    );
  }
  if (samePost(current, data)) {
    throw new ApplicationError(
      'PERSON.POST_UNCHANGED',
      `person ${person.personId} already holds ${data.position} (${data.rank}) in ${data.organizationId}${data.isSectionHead ? ' as section head' : ''}`,
      { personId: person.personId, post: current },
    );
  }
  const { organizationId, position, rank, isSectionHead, effectiveDate } = data;
  return {
    type: 'PostChanged',
    data: { personId: person.personId, organizationId, position, rank, isSectionHead, effectiveDate },
    effectiveAt: effectiveDate,
  };
}

/** One probation per person: it belongs to the first appointment. */
function startProbation(person: PersonInService, data: StartProbation['data']): ProbationStarted {
  const { startDate, endDate } = data;
  requireDate('startDate', startDate);
  requireDate('endDate', endDate);
  requireOrdered('PERSON.INVALID_PROBATION_RANGE', 'probation', { from: startDate, to: endDate });
  if (person.probation !== undefined) {
    throw new ApplicationError(
      'PERSON.PROBATION_ALREADY_RECORDED',
      `person ${person.personId} already has a probation from ${person.probation.from} to ${person.probation.to}`,
      { personId: person.personId, existing: person.probation },
    );
  }
  return { type: 'ProbationStarted', data: { personId: person.personId, startDate, endDate }, effectiveAt: startDate };
}

function recordLeave(person: PersonInService, data: RecordLeave['data']): LeaveRecorded {
  requireDate('from', data.from);
  requireDate('to', data.to);
  requireOrdered('PERSON.INVALID_LEAVE_RANGE', 'leave', data);
  const clash = person.leaves.find((leave) => overlapDays(leave, data) > 0);
  if (clash !== undefined) {
    throw new ApplicationError(
      'PERSON.LEAVE_OVERLAPS',
      `leave from ${data.from} to ${data.to} overlaps the ${clash.kind} leave already recorded from ${clash.from} to ${clash.to}`,
      { personId: person.personId, requested: data, existing: clash },
    );
  }
  const { kind, from, to } = data;
  return { type: 'LeaveRecorded', data: { personId: person.personId, kind, from, to }, effectiveAt: from };
}

function startSecondment(person: PersonInService, data: StartSecondment['data']): SecondmentStarted {
  requireText('receivingOrganizationId', data.receivingOrganizationId);
  requireDate('from', data.from);
  if (data.to !== undefined) {
    requireDate('to', data.to);
    requireOrdered('PERSON.INVALID_SECONDMENT_RANGE', 'secondment', { from: data.from, to: data.to });
  }
  const clash = person.secondments.find((secondment) => overlapDays(spanOf(secondment), spanOf(data)) > 0);
  if (clash !== undefined) {
    const clashEnd = clash.to === undefined ? ', still open' : ` to ${clash.to}`;
    throw new ApplicationError(
      'PERSON.SECONDMENT_OVERLAPS',
      `secondment from ${data.from} overlaps the secondment to ${clash.receivingOrganizationId} from ${clash.from}${clashEnd}`,
      { personId: person.personId, requested: data, existing: clash },
    );
  }
  const { receivingOrganizationId, from, to } = data;
  return { type: 'SecondmentStarted', data: { personId: person.personId, receivingOrganizationId, from, to }, effectiveAt: from };
}

/** Ends the latest secondment, open-ended or planned, unless it was already ended. */
function endSecondment(person: PersonInService, data: EndSecondment['data']): SecondmentEnded {
  requireDate('date', data.date);
  const latest = person.secondments.at(-1);
  if (latest === undefined || latest.ended) {
    throw new ApplicationError('PERSON.NOT_SECONDED', `person ${person.personId} has no secondment in progress to end`, { personId: person.personId });
  }
  requireOrdered('PERSON.INVALID_SECONDMENT_RANGE', 'secondment', { from: latest.from, to: data.date });
  const { receivingOrganizationId } = latest;
  return { type: 'SecondmentEnded', data: { personId: person.personId, receivingOrganizationId, date: data.date }, effectiveAt: data.date };
}

function recordDeparture(person: PersonInService, data: RecordDeparture['data']): PersonDeparted {
  requireDate('date', data.date);
  const { reason, date } = data;
  return { type: 'PersonDeparted', data: { personId: person.personId, reason, date }, effectiveAt: date };
}

function registered(state: PersonState): Exclude<PersonState, { status: 'UNREGISTERED' }> {
  if (state.status === 'UNREGISTERED') {
    throw new ApplicationError('PERSON.NOT_REGISTERED', 'no person is registered in this stream: register the person first');
  }
  return state;
}

/** The record is closed from the departure on: every later command is refused. */
function inService(state: PersonState): PersonInService {
  if (state.status === 'UNREGISTERED') {
    throw new ApplicationError('PERSON.NOT_REGISTERED', 'no person is registered in this stream: register the person first');
  }
  if (state.status === 'DEPARTED') throw departedError(state);
  return state;
}

function departedError(state: Extract<PersonState, { status: 'DEPARTED' }>): ApplicationError {
  const { personId, departure } = state;
  return new ApplicationError('PERSON.DEPARTED', `person ${personId} departed (${departure.reason}) on ${departure.date}; the record is closed`, {
    personId,
    ...departure,
  });
}

function samePost(a: Post, b: Post): boolean {
  return a.organizationId === b.organizationId && a.position === b.position && a.rank === b.rank && a.isSectionHead === b.isSectionHead;
}

function requirePostText(post: Post): void {
  requireText('organizationId', post.organizationId);
  requireText('position', post.position);
  requireText('rank', post.rank);
}

function requireText(field: string, value: string): void {
  if (value.trim() === '') throw new ApplicationError('PERSON.EMPTY_FIELD', `${field} must not be empty`, { field });
}

function requireDate(field: string, value: string): void {
  if (!isCalendarDate(value)) {
    throw new ApplicationError('PERSON.INVALID_DATE', `${field} must be a calendar date YYYY-MM-DD, got "${value}"`, { field, value });
  }
}

function requireOrdered(code: string, what: string, range: DateRange): void {
  if (range.to < range.from) {
    throw new ApplicationError(code, `${what} from ${range.from} to ${range.to} ends before it starts`, { from: range.from, to: range.to });
  }
}

function rejectUnknownCommand(command: never): never {
  const { type } = command as { type: string };
  throw new ApplicationError('PERSON.UNKNOWN_COMMAND', `unknown person command ${type}`, { type });
}

function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personId, category, organizationId, position, rank, isSectionHead, inPostSince } = event.data;
      return {
        status: 'REGISTERED',
        personId,
        category,
        posts: [{ organizationId, position, rank, isSectionHead, since: inPostSince }],
        leaves: [],
        secondments: [],
        discipline: EMPTY_DISCIPLINE,
      };
    }
    case 'PostChanged': {
      const { organizationId, position, rank, isSectionHead, effectiveDate } = event.data;
      return withRecord(state, (person) => ({ posts: [...person.posts, { organizationId, position, rank, isSectionHead, since: effectiveDate }] }));
    }
    case 'ProbationStarted':
      return withRecord(state, () => ({ probation: { from: event.data.startDate, to: event.data.endDate } }));
    case 'LeaveRecorded': {
      const { kind, from, to } = event.data;
      return withRecord(state, (person) => ({ leaves: [...person.leaves, { kind, from, to }] }));
    }
    case 'SecondmentStarted': {
      const { receivingOrganizationId, from, to } = event.data;
      return withRecord(state, (person) => ({ secondments: [...person.secondments, { receivingOrganizationId, from, to, ended: false }] }));
    }
    case 'SecondmentEnded':
      return withRecord(state, (person) => ({ secondments: endLatest(person.secondments, event.data.date) }));
    case 'PersonDeparted': {
      const { reason, date } = event.data;
      return state.status === 'UNREGISTERED' ? state : { ...state, status: 'DEPARTED', departure: { reason, date } };
    }
    case 'PenaltyImposed':
    case 'AdmonitionIssued':
    case 'OrganizationalActionTaken':
    case 'EfficiencyWarningIssued':
    case 'MeasureLifted':
    case 'MeasureRevoked':
    case 'InvestigationOpened':
    case 'InvestigationClosed':
    case 'AppraisalRecordNoted':
      return withRecord(state, (person) => ({ discipline: evolveDiscipline(person.discipline, event) }));
    default:
      return keepStateForUnknownEvent(event, state);
  }
}

function withRecord(state: PersonState, change: (person: PersonRecord) => Partial<PersonRecord>): PersonState {
  return state.status === 'UNREGISTERED' ? state : { ...state, ...change(state) };
}

function endLatest(secondments: Secondment[], date: string): Secondment[] {
  if (secondments.length === 0) return secondments;
  return [...secondments.slice(0, -1), { ...secondments[secondments.length - 1], to: date, ended: true }];
}

/** History is the truth: an event this version does not know leaves the state as it was. */
const keepStateForUnknownEvent = (_event: never, state: PersonState): PersonState => state;

/** Stands for "no end yet"; compares after every real date. */
const OPEN_END = '9999-12-31';

/** Days in both ranges. */
function overlapDays(a: DateRange, b: DateRange): number {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to < b.to ? a.to : b.to;
  return to < from ? 0 : daysInclusive(from, to);
}

function spanOf(secondment: { from: string; to?: string }): DateRange {
  return { from: secondment.from, to: secondment.to ?? OPEN_END };
}

/** Whole months elapsed; a start on the 31st completes a month on the last day of a shorter month. */
function fullMonthsBetween(from: string, to: string): number {
  if (to < from) return 0;
  const [fromYear, fromMonth, fromDay] = from.split('-').map(Number);
  const [toYear, toMonth, toDay] = to.split('-').map(Number);
  const monthiversary = Math.min(fromDay, daysInMonth(toYear, toMonth));
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) - (toDay < monthiversary ? 1 : 0);
}
