/**
 * The benchmark dataset: a year of appraisals (2025: the quarterly cycles Q1–Q3 and the annual
 * one) for `people` civil servants in `organizations` organs under one province-level root
 * organization (`province`, 全省机关), written straight into the `events` table of a migrated,
 * empty database. Default 300,000 people in 3,000 organs: the first organ has 1,000 people (the
 * "1,000-person organization"; at most half the people in small runs), the others share the rest
 * (about 100 each). Units of ~10 people, the first of each unit its section head.
 *
 * How the events are made: the service's own write side on an in-memory log. Everything but the
 * record commands goes through `AppraisalService` and `CommandHandler` (rule set, organizations,
 * people, cycles with participation, cases, measures, the process managers' backfills and flags);
 * the record commands go through `DirectEngine`, which is `AppraisalService.recordCommand` and
 * `CommandHandler.handle` step for step (the same context: rule set, official calendar,
 * investigation, discipline, quarterly linkage, the quota slots on the cycle stream with the same
 * sub-command ids) on states kept current instead of folding each stream again for each command.
 * Events are stamped as `PostgresEventStore.appendToStream` stamps them (revision, recorded time,
 * SHA-256 chain per stream, the command handler's event ids and metadata). The process managers
 * act where they would (`backfill_process` after each `CaseClosed`, `late_fact_flags` after each
 * measure or opened investigation, with their actors, times and command ids), so catching every
 * projection up on the dataset appends nothing. The test checks the rows against the same year
 * run command by command through `AppraisalService` on `PostgresEventStore`: identical.
 *
 * The year of an organ, in time order: register the organ (under the province), its units and people, adopt the rule
 * set; each cycle step by step (open with all the people, self summaries, scores and bonuses or
 * deductions, democratic evaluation, comments, proposal, review, determination with its trace,
 * public notice of the top grades over working days, finalisation, publication, notification,
 * sign-off or refusal, objections within the window, rulings, appeals); and on their dates: new
 * hires on probation, long sick leave, work-injury leave, secondments, retirements, sanctions
 * (2% of the people, varied measures), efficiency warnings, cases (1%: records withheld, half
 * closed with a warning and backfilled, some with no penalty, some heavier and left ungraded,
 * some still open), and admonitions recorded after the grade was final (flagged, half corrected).
 * The proposals keep to what the record's derivation allows and to the quota.
 *
 * Global order: the rule set at position 1, the province at 2, then one organ after another (an organ's streams are
 * its own); positions are contiguous, assigned here (traces cite them) and written with the rows;
 * the `global_position` sequence is moved past them at the end. Recorded times rise within an
 * organ's block, and so within every stream; they start again at each organ (the organs' years
 * run side by side, the log holds them one after the other).
 *
 * Deterministic: every choice comes from a PRNG seeded with the seed (per organ and per person),
 * times from the working days of 2025–26 in the official calendar, command ids from
 * `deterministicUuid('dataset', seed, …)`: the same seed and sizes give byte-identical rows,
 * whatever the number of worker threads.
 *
 * Fast: an organ is decided with positions counted from its start, then serialized (canonical
 * JSON, hash chain, COPY rows) once the position of its first event is known, so worker threads
 * can decide organs side by side. Only the organs in progress are in memory; rows go out with
 * COPY in transactions of about `chunkEvents` events, the next chunk being made while the last
 * is written.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppraisalService, requestedGrade, subCommand } from '../../src/application/appraisal-service.js';
import { loadStream } from '../../src/application/stream-state.js';
import type { QuarterlyResult } from '../../src/appraisal/domain/annual-linkage.js';
import { deriveGrade, quotaRuleFor, scaleFor, type Derivation } from '../../src/appraisal/domain/derive-grade.js';
import type { Participation } from '../../src/appraisal/domain/participation.js';
import { quotaAllowance } from '../../src/appraisal/domain/quota.js';
import { recordDecider, recordStreamId, type RecordCommand, type RecordContext, type RecordState } from '../../src/appraisal/domain/record.decider.js';
import { parsePeriod, type GradeCode, type Outcome, type PersonCategory } from '../../src/appraisal/domain/vocabulary.js';
import { addDays, deadline, publicNotice, type WorkCalendar } from '../../src/calendar/domain/work-calendar.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';
import { caseDecider, caseStreamId, type CaseOutcome, type CasePenalty } from '../../src/case/domain/case.decider.js';
import { CommandHandler, foldEvents, type CommandResult } from '../../src/command/command-handler.js';
import type { Command, CommandMetadata, DecidedEvent, Decider } from '../../src/command/decider.js';
import { cycleDecider, cycleStreamId, quotaPosition, type CycleCommand, type Participant } from '../../src/cycle/domain/cycle.decider.js';
import { BACKFILL_ACTOR } from '../../src/discipline/backfill.process.js';
import { canonicalJson, GENESIS_HASH } from '../../src/event-store/event-hash.js';
import type { Actor, LogPosition, NewEvent, RecordedEvent } from '../../src/event-store/event.js';
import type { AppendResult, EventStore, ExpectedRevision, ReadStreamOptions } from '../../src/event-store/event-store.port.js';
import {
  EMPTY_DISCIPLINE,
  efficiencyWarningsIn,
  measuresOnRecord,
  openInvestigationCovering,
  type DisciplineHistory,
  type MeasureData,
} from '../../src/people/domain/discipline-record.js';
import { streamIdOfOrganization } from '../../src/organization/domain/organization.decider.js';
import { personDecider, streamIdOfPerson, type PersonState } from '../../src/people/domain/person.decider.js';
import type { MeasureCode, RuleSetDocument } from '../../src/rule-set/domain/rule-set.js';
import { ruleSetDecider, ruleSetStreamId } from '../../src/rule-set/domain/rule-set.decider.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { shanghaiDate } from '../../src/shared/business-date.js';
import { ApplicationError, NotFoundError, VersionConflictError } from '../../src/shared/errors.js';
import { deterministicUuid } from '../../src/shared/deterministic-id.js';

// ---------------------------------------------------------------------------------------------
// Options, progress, summary
// ---------------------------------------------------------------------------------------------

export interface DatasetOptions {
  /** People (default 300,000). */
  people: number;
  /** Organs (default: one per 100 people, at least 1). */
  organizations?: number;
  /**
   * People of the first organ, the largest (default 1,000, at most half the people and at least
   * an even share); the other organs share the rest evenly.
   */
  largestOrganization?: number;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Called after each organ and each written chunk. */
  onProgress?: (progress: DatasetProgress) => void;
  /** Events per COPY transaction, about (default 50,000). */
  chunkEvents?: number;
  /**
   * `direct` (default): record commands decided as AppraisalService.recordCommand does, on states
   * kept current in memory; `service`: every command through AppraisalService (slower; the same rows).
   */
  engine?: 'direct' | 'service';
  /**
   * Worker threads that generate organs side by side; the rows are the same with any number.
   * Default 0: all on this thread, which on 2 cores (one of them busy with the COPY backend) is
   * as fast and lighter; more cores make workers worth it. A worker runs this module compiled
   * (dist); on the TypeScript sources it needs a loader (`workerExecArgv`).
   */
  workers?: number;
  /** Node options of the worker threads, e.g. a loader to run them on the TypeScript sources. */
  workerExecArgv?: string[];
}

export interface DatasetProgress {
  peopleDone: number;
  peopleTotal: number;
  organizationsDone: number;
  organizationsTotal: number;
  /** Events decided so far (some may still wait to be written). */
  eventsGenerated: number;
  /** Events committed to the database. */
  eventsWritten: number;
  elapsedSeconds: number;
}

export interface DatasetSummary {
  people: number;
  organizations: number;
  /** People of the largest organ (the first). */
  largestOrganization: number;
  units: number;
  /** Appraisal records (one per person and cycle). */
  records: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Events per type, most frequent first. */
  eventTypes: Record<string, number>;
}

export const DEFAULT_PEOPLE = 300_000;
export const PEOPLE_PER_ORGANIZATION = 100;
export const LARGEST_ORGANIZATION_PEOPLE = 1_000;
/** The root every organ sits under: a province-wide summary is one of this organization. */
export const PROVINCE_ID = 'province';
const PROVINCE_NAME = '全省机关';
const PEOPLE_PER_UNIT = 10;
const DEFAULT_CHUNK_EVENTS = 50_000;
const YEAR = 2025;
const RULE_SET_ID = 'national-current';

/** Shares of the people with a particular year (each group at least one person). */
const SPECIAL_SHARES: readonly [Special, number][] = [
  ['case', 0.01],
  ['sanction', 0.02],
  ['efficiency', 0.003],
  ['lateAdmonition', 0.002],
  ['probation', 0.01],
  ['sickLeave', 0.01],
  ['workInjury', 0.002],
  ['secondment', 0.003],
  ['retirement', 0.005],
];

type Special = 'case' | 'sanction' | 'efficiency' | 'lateAdmonition' | 'probation' | 'sickLeave' | 'workInjury' | 'secondment' | 'retirement';

/** How the cases end, in turn: half with a warning (backfill), the rest without penalty, exempted, heavier, or still open at the year's end. */
const CASE_OUTCOMES: readonly (CaseOutcome | 'OPEN')[] = ['WARNING', 'NO_PENALTY', 'WARNING', 'HEAVIER', 'WARNING', 'EXEMPTED', 'WARNING', 'OPEN', 'WARNING', 'HEAVIER'];

/** The measures of the sanctioned, in turn. */
const SANCTIONS: readonly MeasureCode[] = [
  'GOVERNMENT_WARNING',
  'GOVERNMENT_DEMERIT',
  'PARTY_WARNING',
  'PARTY_SERIOUS_WARNING',
  'GOVERNMENT_WARNING',
  'ADMONITION',
  'GOVERNMENT_MAJOR_DEMERIT',
  'PARTY_WARNING',
  'GOVERNMENT_DEMERIT',
  'PARTY_PROBATION',
  'GOVERNMENT_WARNING',
  'ORGANIZATIONAL_ADJUSTMENT',
  'PARTY_SERIOUS_WARNING',
  'GOVERNMENT_DEMOTION',
  'ADMONITION',
  'PARTY_POST_REMOVAL',
  'GOVERNMENT_WARNING',
  'GOVERNMENT_DEMERIT',
  'PARTY_WARNING',
  'ORGANIZATIONAL_DEMOTION',
];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/** sfc32, seeded from SHA-256 of the parts: the same parts give the same sequence. */
class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...parts: (string | number)[]) {
    const seed = createHash('sha256').update(parts.join('\u0000')).digest();
    this.a = seed.readUInt32LE(0);
    this.b = seed.readUInt32LE(4);
    this.c = seed.readUInt32LE(8);
    this.d = seed.readUInt32LE(12);
  }

  /** In [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  normal(mean: number, deviation: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** Which people have a particular year, and their rank in their group (outcomes and measures go in turn). */
function selectSpecials(people: number, seed: number): Map<number, { kind: Special; ordinal: number }> {
  const wanted = SPECIAL_SHARES.map(([kind, share]) => [kind, Math.ceil(share * people)] as const);
  const total = Math.min(
    people,
    wanted.reduce((sum, [, count]) => sum + count, 0),
  );
  // Floyd's sampling: `total` distinct people, in a random order.
  const random = new Random('dataset-specials', seed);
  const chosen = new Set<number>();
  for (let candidate = people - total; candidate < people; candidate += 1) {
    const pick = random.int(0, candidate);
    chosen.add(chosen.has(pick) ? candidate : pick);
  }
  const order = [...chosen];
  const specials = new Map<number, { kind: Special; ordinal: number }>();
  let next = 0;
  for (const [kind, count] of wanted) {
    for (let ordinal = 0; ordinal < count && next < order.length; ordinal += 1) specials.set(order[next++], { kind, ordinal });
  }
  return specials;
}

// ---------------------------------------------------------------------------------------------
// Time: a simulated clock on the working days of the official calendar
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;
/** 09:00 in Asia/Shanghai. */
const OFFICE_OPENS_UTC = 'T01:00:00.000Z';

/** The edge's clock for the commands and the store's for the appends: it only moves forward. */
class SimulatedClock {
  private time = 0;
  private formattedTime = Number.NaN;
  private formatted = '';

  /** Back to the given day (at the start of an organ's year). */
  reset(date: string): void {
    this.time = Date.parse(`${date}${OFFICE_OPENS_UTC}`);
  }

  /** To `minutes` after 09:00 (Shanghai) of the day, unless the clock is already past it. */
  moveTo(date: string, minutes: number): void {
    this.time = Math.max(this.time, Date.parse(`${date}${OFFICE_OPENS_UTC}`) + minutes * MINUTE);
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }

  now(): string {
    if (this.time !== this.formattedTime) {
      this.formatted = new Date(this.time).toISOString();
      this.formattedTime = this.time;
    }
    return this.formatted;
  }

  /** The recorded time of an append: a few milliseconds apart, as appends are. */
  stamp(): string {
    const now = this.now();
    this.time += 3;
    return now;
  }
}

/** The official calendar with its answers remembered (the deciders ask about the same few hundred days millions of times). */
function rememberingCalendar(calendar: WorkCalendar): WorkCalendar {
  const working = new Map<string, boolean>();
  const covered = new Map<string, boolean>();
  return {
    source: calendar.source,
    coveredRange: calendar.coveredRange,
    covers(date) {
      let answer = covered.get(date);
      if (answer === undefined) {
        answer = calendar.covers(date);
        covered.set(date, answer);
      }
      return answer;
    },
    isWorkingDay(date) {
      let answer = working.get(date);
      if (answer === undefined) {
        answer = calendar.isWorkingDay(date);
        working.set(date, answer);
      }
      return answer;
    },
  };
}

function workingDayOnOrAfter(calendar: WorkCalendar, date: string): string {
  let day = date;
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The `count`-th working day after `date` (0: `date` itself if it is a working day, else the next). */
function addWorkingDays(calendar: WorkCalendar, date: string, count: number): string {
  let day = workingDayOnOrAfter(calendar, date);
  for (let step = 0; step < count; step += 1) day = workingDayOnOrAfter(calendar, addDays(day, 1));
  return day;
}

function randomWorkingDay(calendar: WorkCalendar, random: Random, from: string, to: string): string {
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  const day = workingDayOnOrAfter(calendar, addDays(from, random.int(0, Math.max(0, span))));
  return day > to ? workingDayOnOrAfter(calendar, from) : day;
}

// ---------------------------------------------------------------------------------------------
// The in-memory log the service runs on while the dataset is generated
// ---------------------------------------------------------------------------------------------

const COPY_COLUMNS =
  'global_position, stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash';

/** The namespace of src/shared/deterministic-id.ts (checked against it below). */
const UUID_NAMESPACE = Buffer.from('4b1f6c0e9a7d4e2b8f3c5a6d7e8f9012', 'hex');
const UUID_INPUT = Buffer.alloc(4096);
UUID_NAMESPACE.copy(UUID_INPUT, 0);

/** deterministicUuid with a one-shot SHA-1 over a reused buffer (two ids per event make it count). */
function quickUuid(...parts: string[]): string {
  const text = parts.join('\u0000');
  if (16 + text.length * 3 > UUID_INPUT.length) return deterministicUuid(...parts);
  const length = 16 + UUID_INPUT.write(text, 16, 'utf8');
  const hex = oneShotHash('sha1', UUID_INPUT.subarray(0, length), 'hex');
  const version = ((parseInt(hex.slice(12, 14), 16) & 0x0f) | 0x50).toString(16);
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(14, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** The quick ids where they equal the project's (they do unless deterministic-id.ts changes). */
const uuid: typeof deterministicUuid = [['event', '0f1e2d3c-4b5a-4968-8776-655443322110', '0'], ['dataset', '1', 'org0001.p000001.2025Q1/summary'], ['评语', 'ü']].every(
  (parts) => quickUuid(...parts) === deterministicUuid(...parts),
)
  ? quickUuid
  : deterministicUuid;

let lastInstant = '';
let lastBusinessDate = '';

/** shanghaiDate, remembered for the instant asked last (all events of a command share it). */
function businessDate(instant: string): string {
  if (instant !== lastInstant) {
    lastBusinessDate = shanghaiDate(instant);
    lastInstant = instant;
  }
  return lastBusinessDate;
}

const ACTOR_JSON = new WeakMap<object, string>();
const METADATA_KEYS = new Set(['actor', 'causationId', 'commandId', 'correlationId', 'effectiveAt', 'ruleSetId']);

/** canonicalJson() of the metadata the command handler writes (fixed keys; the actor objects recur). */
function canonicalMetadata(metadata: NewEvent['metadata']): string {
  const plain =
    Object.keys(metadata).every((key) => METADATA_KEYS.has(key)) &&
    typeof metadata.actor === 'object' &&
    metadata.actor !== null &&
    [metadata.causationId, metadata.commandId, metadata.correlationId, metadata.effectiveAt].every((value) => typeof value === 'string') &&
    (metadata.ruleSetId === undefined || typeof metadata.ruleSetId === 'string');
  if (!plain) return canonicalJson(metadata);
  let actor = ACTOR_JSON.get(metadata.actor);
  if (actor === undefined) {
    actor = canonicalJson(metadata.actor);
    ACTOR_JSON.set(metadata.actor, actor);
  }
  return (
    `{"actor":${actor},"causationId":${JSON.stringify(metadata.causationId)},"commandId":${JSON.stringify(metadata.commandId)},` +
    `"correlationId":${JSON.stringify(metadata.correlationId)},"effectiveAt":${JSON.stringify(metadata.effectiveAt)}` +
    (metadata.ruleSetId === undefined ? '}' : `,"ruleSetId":${JSON.stringify(metadata.ruleSetId)}}`)
  );
}

/** COPY rows encoded into buffers as they are made: off the JavaScript heap until written. */
class RowBuffers {
  private static readonly SIZE = 1 << 20;
  private full: Buffer[] = [];
  private current = Buffer.allocUnsafe(RowBuffers.SIZE);
  private used = 0;
  rows = 0;

  push(row: string): void {
    const room = row.length * 3;
    if (this.used + room > this.current.length) {
      if (this.used > 0) this.full.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(Math.max(RowBuffers.SIZE, room));
      this.used = 0;
    }
    this.used += this.current.write(row, this.used, 'utf8');
    this.rows += 1;
  }

  /** The rows so far, emptied. */
  take(): { buffers: Buffer[]; rows: number } {
    if (this.used > 0) this.full.push(this.current.subarray(0, this.used));
    const taken = { buffers: this.full, rows: this.rows };
    this.full = [];
    this.current = Buffer.allocUnsafe(RowBuffers.SIZE);
    this.used = 0;
    this.rows = 0;
    return taken;
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return value.includes('\\') || /[\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (character) => COPY_ESCAPES[character]) : value;
}

/** copyText for canonical JSON, which has no raw tab, newline or carriage return (JSON escapes them). */
function copyJson(json: string): string {
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The data with the positions its trace cites moved by `offset` (traces cite inputs by id and position). */
function withPositionsMoved(data: Record<string, unknown>, offset: number): Record<string, unknown> {
  const trace = data.trace;
  if (!Array.isArray(trace)) return data;
  return {
    ...data,
    trace: (trace as { inputs?: { globalPosition: string }[] }[]).map((step) =>
      Array.isArray(step.inputs)
        ? { ...step, inputs: step.inputs.map((input) => ({ ...input, globalPosition: String(Number(input.globalPosition) + offset) })) }
        : step,
    ),
  };
}

/**
 * An EventStore in memory for one organ at a time (plus the streams kept across organs: the rule
 * set). Appends as `PostgresEventStore.appendToStream` does (expected revision, recorded time) with
 * positions counted from the organ's first event; `serialize` then moves them to their place in the
 * log, hashes each event onto its stream's chain and makes the COPY rows.
 */
class GeneratorLog implements EventStore {
  readonly kind = 'postgresql' as const;
  private streams = new Map<string, RecordedEvent[]>();
  private byCommand = new Map<string, RecordedEvent[]>();
  /** Folded states, kept current on every append (the direct engine decides on them). */
  private states = new Map<string, { decider: Folding<unknown>; state: unknown }>();
  /** Each stream's last hash, as far as serialized. */
  private heads = new Map<string, string>();
  private readonly kept = new Set<string>();
  /** Events appended since the last serialize, in order. */
  private pending: RecordedEvent[] = [];
  private position = 0;
  private keptEvents = 0;
  readonly eventTypes = new Map<string, number>();

  constructor(private readonly clock: SimulatedClock) {}

  /** Streams that outlive the organ they were written in (the rule set), with what they hold now. */
  keep(streamId: string): void {
    this.kept.add(streamId);
    this.keptEvents = this.position;
  }

  /**
   * Forgets every stream but the kept ones: the next organ's streams are all new, and its events
   * are numbered from the first position after the kept ones, to be moved to their place in the
   * log when serialized.
   */
  forgetOrganization(): void {
    const streams = new Map<string, RecordedEvent[]>();
    const byCommand = new Map<string, RecordedEvent[]>();
    for (const streamId of this.kept) {
      const events = this.streams.get(streamId) ?? [];
      streams.set(streamId, events);
      for (const event of events) {
        const key = commandKey(streamId, event.metadata.commandId);
        byCommand.set(key, [...(byCommand.get(key) ?? []), event]);
      }
    }
    this.streams = streams;
    this.byCommand = byCommand;
    this.states = new Map([...this.states].filter(([streamId]) => this.kept.has(streamId)));
    this.heads = new Map([...this.heads].filter(([streamId]) => this.kept.has(streamId)));
    this.position = this.keptEvents;
  }

  /** The stream's state as `foldEvents(decider, stream)` gives it, folded once and then kept current. */
  stateOf<S>(decider: Folding<S>, streamId: string): S {
    const cached = this.states.get(streamId);
    if (cached && cached.decider === decider) return cached.state as S;
    const state = foldEvents(decider, this.streams.get(streamId) ?? []);
    this.states.set(streamId, { decider: decider as Folding<unknown>, state });
    return state;
  }

  /** The stream's events themselves, not to be changed (readStream gives a copy). */
  eventsOf(streamId: string): readonly RecordedEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  get pendingEvents(): number {
    return this.pending.length;
  }

  /**
   * The events appended since the last call as COPY rows, `offset` added to their positions (in the
   * rows and in the traces that cite them: the only place a position enters an event), each hashed
   * onto its stream's previous event as PostgresEventStore.appendToStream hashes it.
   */
  serialize(offset: number): { buffers: Buffer[]; rows: number } {
    const rows = new RowBuffers();
    for (const event of this.pending) {
      const data = canonicalJson(offset === 0 ? event.data : withPositionsMoved(event.data, offset));
      const metadata = canonicalMetadata(event.metadata);
      const position = Number(event.globalPosition) + offset;
      // eventHash's canonical content, built from the canonical parts (its keys in code-unit order).
      const content =
        `{"data":${data},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadata},"recordedAt":${JSON.stringify(event.recordedAt)},` +
        `"schemaVersion":${JSON.stringify(event.schemaVersion)},"streamId":${JSON.stringify(event.streamId)},"streamRevision":${event.streamRevision},` +
        `"type":${JSON.stringify(event.type)}}`;
      const hash = oneShotHash('sha256', `${this.heads.get(event.streamId) ?? GENESIS_HASH}\n${content}`, 'hex');
      this.heads.set(event.streamId, hash);
      rows.push(
        `${position}\t${copyText(event.streamId)}\t${event.streamRevision}\t${event.eventId}\t${copyText(event.metadata.commandId)}\t${copyText(event.type)}\t` +
          `${event.schemaVersion}\t${copyJson(data)}\t${copyJson(metadata)}\t${event.recordedAt}\t${event.metadata.effectiveAt}\t${hash}\n`,
      );
      this.eventTypes.set(event.type, (this.eventTypes.get(event.type) ?? 0) + 1);
    }
    this.pending = [];
    return rows.take();
  }

  async appendToStream(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    return this.append(streamId, expected, events);
  }

  /** As PostgresEventStore.appendToStream, but the hash is made when the events are serialized (no decision reads it). */
  append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): AppendResult {
    const stream = this.streams.get(streamId) ?? [];
    const headRevision = stream.length - 1;
    const expectedRevision = expected === 'no_stream' ? -1 : expected;
    if (expectedRevision !== 'any' && expectedRevision !== headRevision) {
      throw new VersionConflictError(streamId, String(expected), headRevision < 0 ? 'no stream' : String(headRevision));
    }
    const recordedAt = this.clock.stamp();
    const appended = events.map((event, index): RecordedEvent => {
      this.position += 1;
      const globalPosition = BigInt(this.position);
      return {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        streamId,
        streamRevision: headRevision + 1 + index,
        globalPosition,
        position: { major: 0n, minor: globalPosition },
        recordedAt,
        hash: '',
      };
    });
    if (stream.length === 0) this.streams.set(streamId, stream);
    stream.push(...appended);
    this.pending.push(...appended);
    const cached = this.states.get(streamId);
    if (cached) cached.state = foldEvents({ evolve: cached.decider.evolve, initialState: () => cached.state }, appended);
    for (const event of appended) {
      const key = commandKey(streamId, event.metadata.commandId);
      const earlier = this.byCommand.get(key);
      if (earlier) earlier.push(event);
      else this.byCommand.set(key, [event]);
    }
    return { streamId, nextExpectedRevision: headRevision + appended.length, deduplicated: false, events: appended };
  }

  async appendRecorded(): Promise<AppendResult> {
    throw new Error('the dataset log takes no recorded events');
  }

  /** A copy, as a read from PostgreSQL is: callers compare lengths taken before and after appends. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const from = options.fromRevision ?? 0;
    return stream.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount);
  }

  readStreams(reads: { streamId: string; fromRevision: number }[]): Promise<RecordedEvent[][]> {
    return Promise.all(reads.map((read) => this.readStream(read.streamId, { fromRevision: read.fromRevision })));
  }

  async readByCommandId(commandId: string, streamId: string): Promise<RecordedEvent[]> {
    return this.commandEvents(streamId, commandId);
  }

  commandEvents(streamId: string, commandId: string): RecordedEvent[] {
    return [...(this.byCommand.get(commandKey(streamId, commandId)) ?? [])];
  }

  async readAll(_after: LogPosition, _maxCount: number): Promise<RecordedEvent[]> {
    throw new Error('the dataset log is not read in global order');
  }

  async waitForAppends(): Promise<void> {}

  async countAfter(): Promise<number> {
    return 0;
  }

  async oldestOpenTransactionSeconds(): Promise<number | null> {
    return null;
  }

  async lastGlobalPosition(): Promise<bigint | null> {
    return this.position === 0 ? null : BigInt(this.position);
  }

  async close(): Promise<void> {}
}

/** What folding a stream needs of a decider. */
type Folding<S> = Pick<Decider<never, DecidedEvent, S, never>, 'evolve' | 'initialState'>;

function commandKey(streamId: string, commandId: string): string {
  return `${streamId}\n${commandId}`;
}

// ---------------------------------------------------------------------------------------------
// Writing: COPY, one transaction per chunk, one chunk in flight while the next is generated
// ---------------------------------------------------------------------------------------------

class CopyWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;
  written = 0;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly onWritten: () => void,
  ) {}

  /** Waits for the chunk before to be written, then starts writing this one. */
  async submit(chunk: { buffers: Uint8Array[]; rows: number }): Promise<void> {
    await this.settled();
    if (chunk.rows === 0) return;
    this.inFlight = this.copy(chunk.buffers).then(
      () => {
        this.written += chunk.rows;
        this.onWritten();
      },
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  async settled(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async copy(buffers: Uint8Array[]): Promise<void> {
    await this.client.query('BEGIN');
    try {
      const stream = this.client.query(copyFrom(`COPY events (${COPY_COLUMNS}) FROM STDIN`));
      for (const buffer of buffers) {
        if (!stream.write(buffer)) await once(stream, 'drain');
      }
      stream.end();
      await finished(stream);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

/** Lets the socket take the COPY rows already handed to it while generation goes on. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------
// Engines: how a record command runs (through AppraisalService, or the same steps on kept states)
// ---------------------------------------------------------------------------------------------

/** How the generator runs record commands and reads the states it plans with. */
interface Engine {
  readonly store: EventStore;
  readonly appraisal: AppraisalService;
  /** Exactly AppraisalService.recordCommand. */
  recordCommand(recordId: string, command: RecordCommand): Promise<CommandResult>;
  record(streamId: string): Promise<{ state: RecordState; events: readonly RecordedEvent[] }>;
  person(personId: string): Promise<PersonState>;
}

/** Everything through the service on any event store: the reference the direct engine must equal. */
class ServiceEngine implements Engine {
  constructor(
    readonly store: EventStore,
    readonly appraisal: AppraisalService,
  ) {}

  recordCommand(recordId: string, command: RecordCommand): Promise<CommandResult> {
    return this.appraisal.recordCommand(recordId, command);
  }

  record(streamId: string): Promise<{ state: RecordState; events: RecordedEvent[] }> {
    return loadStream(this.store, recordDecider, streamId);
  }

  async person(personId: string): Promise<PersonState> {
    return (await loadStream(this.store, personDecider, streamIdOfPerson(personId))).state;
  }
}

/**
 * AppraisalService.recordCommand and CommandHandler.handle step for step, on the in-memory log's
 * kept states instead of folding every stream again for every command (what makes the service
 * path slow here, not the deciding): the same context, the same slot commands on the cycle stream
 * with the same ids, the same events. The test generates a dataset both ways and compares the rows.
 */
class DirectEngine implements Engine {
  constructor(
    private readonly log: GeneratorLog,
    readonly appraisal: AppraisalService,
    private readonly calendar: WorkCalendar,
  ) {}

  get store(): EventStore {
    return this.log;
  }

  async record(streamId: string): Promise<{ state: RecordState; events: readonly RecordedEvent[] }> {
    return { state: this.log.stateOf(recordDecider, streamId), events: this.log.eventsOf(streamId) };
  }

  async person(personId: string): Promise<PersonState> {
    return this.log.stateOf(personDecider, streamIdOfPerson(personId));
  }

  private ruleSet(id: string, version: number): RuleSetDocument {
    const document = this.log.stateOf(ruleSetDecider, ruleSetStreamId(id)).versions.find((candidate) => candidate.version === version);
    if (!document) throw new NotFoundError('rule set', `${id} version ${version}`);
    return document;
  }

  /** CommandHandler.handle (no concurrent writer here, so no retry). */
  private handle<C extends Command, E extends DecidedEvent, S, Context>(decider: Decider<C, E, S, Context>, streamId: string, command: C, context: Context): CommandResult {
    const earlier = this.log.commandEvents(streamId, command.metadata.commandId);
    if (earlier.length > 0) return { streamId, events: earlier, replayed: true };
    const state = this.log.stateOf(decider, streamId);
    const decided = decider.decide(command, state, context);
    if (decided.length === 0) return { streamId, events: [], replayed: false };
    const length = this.log.eventsOf(streamId).length;
    const result = this.log.append(streamId, length === 0 ? 'no_stream' : length - 1, toNewEvents(command, decided));
    return { streamId, events: result.events, replayed: result.deduplicated };
  }

  async recordCommand(recordId: string, command: RecordCommand): Promise<CommandResult> {
    const streamId = `appraisal-${recordId}`;
    const earlier = this.log.commandEvents(streamId, command.metadata.commandId);
    if (earlier.length > 0) return { streamId, events: earlier, replayed: true };
    const state = this.log.stateOf(recordDecider, streamId);
    const recordLength = this.log.eventsOf(streamId).length;
    if (!state.opened) throw new NotFoundError('appraisal record', recordId);
    const opened = state.opened;
    const period = parsePeriod(opened.period)!;
    const ruleSet = this.ruleSet(opened.ruleSetId, opened.ruleSetVersion);
    const person = this.log.stateOf(personDecider, streamIdOfPerson(opened.personId));
    const discipline = person.status === 'UNREGISTERED' ? EMPTY_DISCIPLINE : person.discipline;
    const investigation = openInvestigationCovering(discipline, period.end);
    const context: RecordContext = {
      ruleSet,
      calendar: this.calendar,
      investigation: investigation && { caseId: investigation.caseId, openedOn: investigation.openedOn },
    };
    const request = requestedGrade(command, state);
    if (!request) return this.handle(recordDecider, streamId, command, context);

    const cycleStream = cycleStreamId(opened.organizationId, opened.period);
    const topGrade = scaleFor(ruleSet, { kind: opened.periodKind }, opened.category)?.grades[0].code;
    const graded = opened.participation.outcome === 'GRADED' && !context.investigation;
    const mayTakeTop = graded && (command.type === 'BackfillGrade' || (request.grade !== undefined && request.grade === topGrade));
    const cycleBefore = this.log.stateOf(cycleDecider, cycleStream);
    const step = `@${recordLength - 1}.${this.log.eventsOf(cycleStream).length - 1}`;
    const slotCommand = (type: 'ReserveTopGrade' | 'ReleaseTopGrade' | 'NoteWithheld' | 'NoteReturnedToQuota', data: Record<string, string>, name: string) =>
      this.handle(cycleDecider, cycleStream, { type, data, metadata: subCommand(command.metadata, `${name}${step}`) } as CycleCommand, { ruleSet });
    let reserved = false;
    if (mayTakeTop) {
      try {
        reserved = slotCommand('ReserveTopGrade', { recordId }, 'reserve').events.length > 0;
      } catch (error) {
        if (!(command.type === 'BackfillGrade' && error instanceof ApplicationError && error.code === 'APPRAISAL.QUOTA_EXCEEDED')) throw error;
      }
    }
    const cycle = reserved ? this.log.stateOf(cycleDecider, cycleStream) : cycleBefore;
    context.derivation = {
      measures: measuresOnRecord(discipline),
      efficiencyWarnings: efficiencyWarningsIn(discipline, period.year),
      quarterlies: opened.periodKind === 'ANNUAL' ? await quarterlyResultsOf(this, opened.organizationId, opened.personId, period.year) : undefined,
      quota: quotaPosition(cycle, ruleSet, recordId),
    };
    let result: CommandResult;
    try {
      result = this.handle(recordDecider, streamId, command, context);
    } catch (error) {
      if (reserved && error instanceof ApplicationError) {
        slotCommand('ReleaseTopGrade', { recordId, reason: `${command.type} refused: ${error.code}` }, 'release');
      }
      throw error;
    }
    const outcome = outcomeOf(result.events);
    if (outcome && cycle.reservations[recordId] !== undefined && !(outcome.kind === 'GRADE' && outcome.grade === topGrade)) {
      slotCommand('ReleaseTopGrade', { recordId, reason: `${command.type}: not ${topGrade}` }, 'release');
    }
    if (outcome?.kind === 'WITHHELD_INVESTIGATION' && context.investigation) {
      const { caseId } = context.investigation;
      slotCommand('NoteWithheld', { recordId, caseId }, 'withheld');
      this.handle(caseDecider, caseStreamId(caseId), { type: 'NoteRecordWithheld', data: { recordId }, metadata: subCommand(command.metadata, 'case') }, undefined);
    }
    if (command.type === 'BackfillGrade') slotCommand('NoteReturnedToQuota', { recordId, caseId: command.data.caseId }, 'returned');
    return result;
  }
}

/** CommandHandler's toNewEvents. */
function toNewEvents(command: Command, decided: DecidedEvent[]): NewEvent[] {
  const { commandId, actor, now } = command.metadata;
  return decided.map((event, index) => ({
    eventId: uuid('event', commandId, String(index)),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata: {
      commandId,
      actor,
      correlationId: command.metadata.correlationId ?? commandId,
      causationId: command.metadata.causationId ?? commandId,
      effectiveAt: event.effectiveAt ?? businessDate(now),
      ...(event.ruleSetId ? { ruleSetId: event.ruleSetId } : {}),
    },
  }));
}

/** AppraisalService's quarterlyResults: the year's quarterly results of the person in the organization. */
async function quarterlyResultsOf(engine: Pick<Engine, 'record'>, organizationId: string, personId: string, year: number): Promise<QuarterlyResult[]> {
  const results: QuarterlyResult[] = [];
  for (const quarter of [1, 2, 3]) {
    const period = `${year}Q${quarter}`;
    const { state, events } = await engine.record(recordStreamId(organizationId, personId, period));
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

// ---------------------------------------------------------------------------------------------
// The organ's people and their year
// ---------------------------------------------------------------------------------------------

interface PersonSpec {
  index: number;
  personId: string;
  name: string;
  unitId: string;
  unitName: string;
  category: PersonCategory;
  isSectionHead: boolean;
  position: string;
  rank: string;
  inPostSince: string;
  /** Latent level of performance (points out of 100): quarterly scores scatter around it. */
  ability: number;
  special?: Special;
  ordinal: number;
  random: Random;
  caseFile?: CaseFile;
  records: Map<string, RecordTrack>;
  actor: Actor;
}

interface CaseFile {
  caseId: string;
  openedOn: string;
  outcome: CaseOutcome | 'OPEN';
  closedOn?: string;
  penalty: CasePenalty | null;
}

type RecordStatus = RecordState['status'];

/** What the generator keeps of a record to choose the next command; the record's truth is its stream. */
interface RecordTrack {
  recordId: string;
  streamId: string;
  period: string;
  annual: boolean;
  person: PersonSpec;
  participation: Participation;
  status: RecordStatus;
  outcome?: Outcome;
  proposed?: GradeCode;
  reviewGrade?: GradeCode;
  reviewed: boolean;
  withheld: boolean;
  publishedOn?: string;
  notified: boolean;
  signed: boolean;
  objects: boolean;
  objection?: 'FILED' | 'UPHELD' | 'REVISED';
  appeal?: 'FILED' | 'DECIDED';
  /** The quarter's latent score the rater's sheet is drawn around. */
  target?: number;
}

interface CycleSchedule {
  period: string;
  annual: boolean;
  start: string;
  end: string;
  open: string;
  summaries: string;
  scores: string;
  democratic: string;
  comments: string;
  leaderComments?: string;
  proposals: string;
  reviews: string;
  determinations: string;
  notices: string;
  finalize: string;
  notify: string;
  sign: string;
  signLate: string;
  objections: string;
  rulings: string;
  appeals: string;
  appealDecisions: string;
  /** Working days in the period, for the attendance of the self summaries. */
  workingDays: number;
}

interface CycleTrack {
  schedule: CycleSchedule;
  records: RecordTrack[];
  allowedTop: number;
  plannedTop: number;
}

interface Step {
  date: string;
  minutes: number;
  order: number;
  run: () => Promise<void>;
}

/** What every organ shares. */
interface GeneratorContext {
  seed: number;
  people: number;
  organizations: number;
  largestOrganization: number;
  engine: Engine;
  clock: SimulatedClock;
  calendar: WorkCalendar;
  ruleSet: RuleSetDocument;
  specials: Map<number, { kind: Special; ordinal: number }>;
  quarterDays: Map<string, number>;
}

const organizationIdOf = (index: number) => `org${String(index + 1).padStart(4, '0')}`;
const personIdOf = (index: number) => `p${String(index + 1).padStart(6, '0')}`;

/** The index of the organ's first person: the largest organ first, then the rest shared evenly. */
function firstPersonOf(organization: number, sizes: Pick<Sizes, 'people' | 'organizations' | 'largestOrganization'>): number {
  const { people, organizations, largestOrganization } = sizes;
  if (organization === 0) return 0;
  if (organization >= organizations) return people;
  const others = organizations - 1;
  return largestOrganization + Math.floor(((organization - 1) * (people - largestOrganization)) / others);
}

const GRADE_CHANGING = new Set(['APPRAISAL.TOP_GRADE_BARRED', 'APPRAISAL.GRADE_FORCED', 'APPRAISAL.QUOTA_EXCEEDED']);
const FLAGGING_ACTOR: Actor = { id: 'system:late-facts', role: 'SYSTEM', organizationId: 'system' };

/** One organ's year, run as the service would see it, in time order. */
class OrganizationYear {
  private readonly organizationId: string;
  private readonly random: Random;
  private readonly people: PersonSpec[] = [];
  private readonly units: { unitId: string; name: string; people: PersonSpec[] }[] = [];
  private readonly steps: Step[] = [];
  private readonly cycles = new Map<string, CycleTrack>();
  private readonly hr: Actor;
  private readonly leader: Actor;
  private readonly committee: Actor;
  private readonly inspector: Actor;
  private readonly jitter: number;
  private stepOrder = 0;
  private sinceYield = 0;
  private tickScale = 1;

  constructor(
    private readonly context: GeneratorContext,
    private readonly index: number,
  ) {
    this.organizationId = organizationIdOf(index);
    this.random = new Random('dataset-organization', context.seed, index);
    this.jitter = index % 3;
    this.hr = { id: `hr.${this.organizationId}`, role: 'HR', organizationId: this.organizationId };
    this.leader = { id: `leader.${this.organizationId}`, role: 'SUPERVISING_LEADER', organizationId: this.organizationId };
    this.committee = { id: `committee.${this.organizationId}`, role: 'COMMITTEE', organizationId: this.organizationId };
    this.inspector = { id: `inspection.${this.organizationId}`, role: 'DISCIPLINE_INSPECTION', organizationId: this.organizationId };
    this.createPeople();
    this.tickScale = Math.min(1, PEOPLE_PER_ORGANIZATION / Math.max(1, this.people.length));
  }

  get size(): number {
    return this.people.length;
  }

  get unitCount(): number {
    return this.units.length;
  }

  async run(): Promise<void> {
    this.context.clock.reset(`${YEAR}-01-06`);
    this.plan();
    this.steps.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.minutes - b.minutes || a.order - b.order));
    for (let next = 0; next < this.steps.length; next += 1) {
      const step = this.steps[next];
      this.context.clock.moveTo(step.date, step.minutes);
      await step.run();
      await yieldToEventLoop();
    }
  }

  // ----- people ------------------------------------------------------------------------------

  private createPeople(): void {
    const first = firstPersonOf(this.index, this.context);
    const last = firstPersonOf(this.index + 1, this.context);
    const count = last - first;
    const unitCount = Math.max(1, Math.round(count / PEOPLE_PER_UNIT));
    for (let unit = 0; unit < unitCount; unit += 1) {
      this.units.push({ unitId: `${this.organizationId}-u${String(unit + 1).padStart(2, '0')}`, name: UNIT_NAMES[unit % UNIT_NAMES.length] + (unit >= UNIT_NAMES.length ? String(Math.floor(unit / UNIT_NAMES.length) + 1) : ''), people: [] });
    }
    for (let offset = 0; offset < count; offset += 1) {
      const index = first + offset;
      const random = new Random('dataset-person', this.context.seed, index);
      const unit = this.units[Math.floor((offset * unitCount) / count)];
      const isSectionHead = unit.people.length === 0;
      const special = this.context.specials.get(index);
      const categoryRoll = random.next();
      const category: PersonCategory = categoryRoll < 0.85 ? 'CIVIL_SERVANT' : categoryRoll < 0.95 ? 'REFERENCE_MANAGED' : 'PUBLIC_INSTITUTION';
      const struggling = random.chance(0.03);
      const ability = special?.kind === 'lateAdmonition' ? 95 : struggling ? random.normal(68, 5) : random.normal(85.5, 4.5);
      const personId = personIdOf(index);
      const hired = special?.kind === 'probation';
      const person: PersonSpec = {
        index,
        personId,
        name: random.pick(SURNAMES) + random.pick(GIVEN_NAMES) + (random.chance(0.6) ? random.pick(GIVEN_NAMES) : ''),
        unitId: unit.unitId,
        unitName: unit.name,
        category,
        isSectionHead,
        position: isSectionHead ? '科长' : category === 'PUBLIC_INSTITUTION' ? '专业技术岗' : random.pick(['科员', '科员', '副科长']),
        rank: isSectionHead ? random.pick(['一级主任科员', '二级主任科员', '四级调研员']) : random.pick(RANKS),
        inPostSince: hired ? `${YEAR}-02-17` : `${random.int(1998, 2023)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
        ability: Math.min(99, Math.max(45, ability)),
        special: special?.kind,
        ordinal: special?.ordinal ?? 0,
        random,
        records: new Map(),
        actor: { id: personId, role: 'APPRAISED', organizationId: unit.unitId },
      };
      unit.people.push(person);
      this.people.push(person);
    }
  }

  private raterOf(person: PersonSpec): { actor: Actor; role: 'UNIT_HEAD' | 'SUPERIOR' } {
    if (person.isSectionHead) return { actor: this.leader, role: 'SUPERIOR' };
    const head = this.units.find((unit) => unit.unitId === person.unitId)!.people[0];
    return { actor: { id: head.personId, role: 'UNIT_HEAD', organizationId: person.unitId }, role: 'UNIT_HEAD' };
  }

  // ----- the year's plan ---------------------------------------------------------------------

  private at(date: string, minutes: number, run: () => Promise<void>): void {
    this.steps.push({ date, minutes, order: this.stepOrder++, run });
  }

  private plan(): void {
    const { calendar } = this.context;
    const setup = workingDayOnOrAfter(calendar, addDays(`${YEAR}-01-06`, this.jitter));
    this.at(setup, 0, () => this.registerOrganization());
    this.at(setup, 60, () => this.registerPeople(this.people.filter((person) => person.special !== 'probation')));

    const quarters = [1, 2, 3].map((quarter) => this.quarterSchedule(quarter));
    const annual = this.annualSchedule();
    for (const schedule of [...quarters, annual]) this.planCycle(schedule);
    for (const person of this.people) this.planPerson(person, quarters);
  }

  private quarterSchedule(quarter: number): CycleSchedule {
    const { calendar } = this.context;
    const period = `${YEAR}Q${quarter}`;
    const { start, end } = parsePeriod(period)!;
    const open = addWorkingDays(calendar, `${YEAR}-${pad(quarter * 3 + 1)}-01`, this.jitter);
    const day = (count: number) => addWorkingDays(calendar, open, count);
    return this.windowsAfterDetermination({
      period,
      annual: false,
      start,
      end,
      open,
      summaries: day(1),
      scores: day(3),
      democratic: day(3),
      comments: day(4),
      proposals: day(5),
      reviews: day(6),
      determinations: day(7),
      notices: day(8),
      workingDays: this.workingDaysIn(start, end),
    });
  }

  private annualSchedule(): CycleSchedule {
    const { calendar } = this.context;
    const period = String(YEAR);
    const { start, end } = parsePeriod(period)!;
    const open = addWorkingDays(calendar, `${YEAR}-12-01`, this.jitter);
    const day = (count: number) => addWorkingDays(calendar, open, count);
    const determinations = addWorkingDays(calendar, `${YEAR + 1}-01-05`, this.jitter);
    return this.windowsAfterDetermination({
      period,
      annual: true,
      start,
      end,
      open,
      summaries: day(2),
      scores: day(4),
      democratic: day(6),
      comments: day(8),
      leaderComments: day(9),
      proposals: day(11),
      reviews: day(12),
      determinations,
      notices: addWorkingDays(calendar, determinations, 1),
      workingDays: 0,
    });
  }

  /** Finalisation after the public notice, publication, notification, and the objection and appeal windows. */
  private windowsAfterDetermination(
    schedule: Omit<CycleSchedule, 'finalize' | 'notify' | 'sign' | 'signLate' | 'objections' | 'rulings' | 'appeals' | 'appealDecisions'>,
  ): CycleSchedule {
    const { calendar, ruleSet } = this.context;
    const notice = publicNotice(calendar, schedule.notices, ruleSet.windows.publicNoticeWorkingDays);
    const finalize = workingDayOnOrAfter(calendar, notice.finalFrom);
    const later = (from: string, count: number) => addWorkingDays(calendar, from, count);
    const objectionDays = ruleSet.windows.objectionDays[schedule.annual ? 'ANNUAL' : 'QUARTERLY'];
    const objections = minDate(later(finalize, 5), deadline(calendar, finalize, objectionDays, ruleSet.windows.deadlineRollsToNextWorkingDay).deadline);
    const rulings = later(objections, 8);
    const appeals = minDate(later(rulings, 3), deadline(calendar, rulings, ruleSet.windows.appealDays, ruleSet.windows.deadlineRollsToNextWorkingDay).deadline);
    return {
      ...schedule,
      finalize,
      notify: later(finalize, 1),
      sign: later(finalize, 2),
      signLate: later(finalize, 4),
      objections,
      rulings,
      appeals,
      appealDecisions: later(appeals, 15),
    };
  }

  private workingDaysIn(start: string, end: string): number {
    const cached = this.context.quarterDays.get(start);
    if (cached !== undefined) return cached;
    let count = 0;
    for (let day = start; day <= end; day = addDays(day, 1)) if (this.context.calendar.isWorkingDay(day)) count += 1;
    this.context.quarterDays.set(start, count);
    return count;
  }

  private planCycle(schedule: CycleSchedule): void {
    const cycle: CycleTrack = { schedule, records: [], allowedTop: 0, plannedTop: 0 };
    this.cycles.set(schedule.period, cycle);
    const each = (run: (record: RecordTrack) => Promise<void>) => async () => {
      for (const record of cycle.records) {
        await run(record);
        await this.breathe();
      }
    };
    this.at(schedule.open, 0, () => this.openCycle(cycle));
    this.at(schedule.summaries, 0, each((record) => this.submitSummary(record, schedule)));
    if (!schedule.annual) this.at(schedule.scores, 0, each((record) => this.recordScores(record)));
    this.at(schedule.democratic, 120, each((record) => this.recordDemocraticEvaluation(record)));
    this.at(schedule.comments, 0, each((record) => this.writeComment(record, 'rater')));
    if (schedule.leaderComments) this.at(schedule.leaderComments, 0, each((record) => this.writeComment(record, 'leader')));
    this.at(schedule.proposals, 0, () => this.proposeGrades(cycle));
    this.at(schedule.reviews, 0, each((record) => this.reviewProposal(record)));
    this.at(schedule.determinations, 0, each((record) => this.determine(cycle, record)));
    this.at(schedule.notices, 0, each((record) => this.startNotice(record)));
    this.at(schedule.finalize, 0, each((record) => this.finalize(record)));
    this.at(schedule.finalize, 240, each((record) => this.publish(record, true)));
    this.at(schedule.notify, 0, each((record) => this.notify(record)));
    this.at(schedule.sign, 0, each((record) => this.signOff(record, false)));
    this.at(schedule.signLate, 0, each((record) => this.signOff(record, true)));
    this.at(schedule.objections, 0, each((record) => this.fileObjection(record)));
    this.at(schedule.rulings, 0, each((record) => this.ruleOnObjection(record)));
    this.at(schedule.appeals, 0, each((record) => this.fileAppeal(record)));
    this.at(schedule.appealDecisions, 0, each((record) => this.decideAppeal(record)));
  }

  /** The dated facts of one person's year: hiring, leave, secondment, retirement, sanctions, cases. */
  private planPerson(person: PersonSpec, quarters: CycleSchedule[]): void {
    const { calendar } = this.context;
    const random = person.random;
    switch (person.special) {
      case 'probation':
        this.at(`${YEAR}-02-17`, 30, () => this.registerPeople([person]));
        break;
      case 'sickLeave':
        this.at(`${YEAR}-04-14`, 420, () => this.recordLeave(person, 'SICK_OR_PERSONAL', `${YEAR}-04-14`, `${YEAR}-06-13`));
        break;
      case 'workInjury':
        this.at(`${YEAR}-07-14`, 420, () => this.recordLeave(person, 'WORK_INJURY', `${YEAR}-07-14`, `${YEAR}-09-19`));
        break;
      case 'secondment':
        this.at(`${YEAR}-03-28`, 420, () => this.startSecondment(person));
        break;
      case 'retirement':
        this.at(`${YEAR}-07-25`, 420, () => this.recordDeparture(person));
        break;
      case 'efficiency':
        for (const date of [`${YEAR}-03-12`, `${YEAR}-06-11`, `${YEAR}-09-10`]) {
          this.at(date, 420, () => this.recordMeasure(person, 'EFFICIENCY_WARNING', date, date, `效能告诫〔${YEAR}〕${date.slice(5, 7)}号`));
        }
        break;
      case 'sanction': {
        const measure = SANCTIONS[person.ordinal % SANCTIONS.length];
        const effective = randomWorkingDay(calendar, random, `${YEAR}-01-20`, `${YEAR}-11-28`);
        const decided = addDays(effective, -random.int(0, 6));
        this.at(effective, 420, () => this.recordMeasure(person, measure, decided, effective, `${this.organizationId}纪〔${YEAR}〕${random.int(1, 99)}号`));
        break;
      }
      case 'lateAdmonition':
        // Decided in December, reaching the log after the annual grade is final (DOMAIN §9 scenario 7).
        this.at(`${YEAR + 1}-01-20`, 420, () => this.recordMeasure(person, 'ADMONITION', `${YEAR}-12-26`, `${YEAR}-12-28`, `诫勉〔${YEAR}〕${random.int(1, 40)}号`));
        this.at(`${YEAR + 1}-01-27`, 60, () => this.correctFlaggedGrade(person));
        break;
      case 'case':
        this.planCase(person, quarters);
        break;
      default:
        break;
    }
  }

  private planCase(person: PersonSpec, quarters: CycleSchedule[]): void {
    const { calendar } = this.context;
    const random = person.random;
    const openedOn = randomWorkingDay(calendar, random, `${YEAR}-04-25`, `${YEAR}-09-19`);
    const outcome = CASE_OUTCOMES[person.ordinal % CASE_OUTCOMES.length];
    const caseId = `${person.personId}-${YEAR}-${person.ordinal + 1}`;
    // It closes after it has withheld at least the first quarter it covers.
    const firstCovered = quarters.find((schedule) => openedOn <= schedule.end && openedOn < schedule.determinations)!;
    const closedOn = outcome === 'OPEN' ? undefined : randomWorkingDay(calendar, random, addWorkingDays(calendar, firstCovered.determinations, 5), `${YEAR}-11-25`);
    const documentNumber = `${this.organizationId}纪处〔${YEAR}〕${random.int(1, 60)}号`;
    const penalty = (measure: MeasureCode): CasePenalty => ({
      measureId: `${caseId}-m`,
      measure,
      decisionDate: closedOn!,
      effectiveDate: closedOn!,
      periodMonths: null,
      termYears: null,
      authority: '市纪委监委',
      documentNumber,
    });
    person.caseFile = {
      caseId,
      openedOn,
      outcome,
      closedOn,
      penalty:
        outcome === 'WARNING'
          ? penalty(random.pick(['GOVERNMENT_WARNING', 'PARTY_WARNING'] as const))
          : outcome === 'HEAVIER'
            ? penalty(random.pick(['GOVERNMENT_DEMERIT', 'PARTY_SERIOUS_WARNING', 'GOVERNMENT_MAJOR_DEMERIT'] as const))
            : null,
    };
    this.at(openedOn, 480, () => this.openCase(person));
    if (closedOn) this.at(closedOn, 480, () => this.closeCase(person));
  }

  // ----- commands ----------------------------------------------------------------------------

  /** Metadata of a command the edge receives now: a deterministic id, the actor, the clock. */
  private meta(actor: Actor, key: string): CommandMetadata {
    // About 45 s a command; quicker in large organs, so that a step's commands stay within its day.
    this.context.clock.advance(Math.round(this.random.int(15_000, 75_000) * this.tickScale));
    return { commandId: uuid('dataset', String(this.context.seed), key), actor, now: this.context.clock.now() };
  }

  private today(): string {
    return businessDate(this.context.clock.now());
  }

  private async breathe(): Promise<void> {
    this.sinceYield += 1;
    if (this.sinceYield >= 25) {
      this.sinceYield = 0;
      await yieldToEventLoop();
    }
  }

  private async recordCommand<T extends RecordCommand['type']>(
    record: RecordTrack,
    type: T,
    data: Extract<RecordCommand, { type: T }>['data'],
    actor: Actor,
    key: string,
  ) {
    try {
      return await this.context.engine.recordCommand(record.recordId, { type, data, metadata: this.meta(actor, `${record.recordId}/${key}`) } as Extract<RecordCommand, { type: T }>);
    } catch (error) {
      if (error instanceof ApplicationError && GRADE_CHANGING.has(error.code)) throw error;
      throw withContext(error, `${type} on ${record.recordId}`);
    }
  }

  private async registerOrganization(): Promise<void> {
    const { ruleSet } = this.context;
    const { appraisal } = this.context.engine;
    const name = organizationName(this.index);
    await appraisal.registerOrganization({ organizationId: this.organizationId, name, kind: 'ORGAN', parentId: PROVINCE_ID }, this.meta(this.hr, `${this.organizationId}/register`));
    for (const unit of this.units) {
      await appraisal.registerOrganization({ organizationId: unit.unitId, name: unit.name, kind: 'UNIT', parentId: this.organizationId }, this.meta(this.hr, `${unit.unitId}/register`));
    }
    await appraisal.adoptRuleSet(this.organizationId, { year: YEAR, ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version }, this.meta(this.hr, `${this.organizationId}/adopt/${YEAR}`));
  }

  private async registerPeople(people: PersonSpec[]): Promise<void> {
    for (const person of people) {
      const { personId, name, category, unitId, position, rank, isSectionHead, inPostSince } = person;
      await this.context.engine.appraisal.personCommand(personId, {
        type: 'RegisterPerson',
        data: { personId, name, category, organizationId: unitId, position, rank, isSectionHead, inPostSince },
        metadata: this.meta(this.hr, `${personId}/register`),
      });
      if (person.special === 'probation') {
        await this.context.engine.appraisal.personCommand(personId, {
          type: 'StartProbation',
          data: { startDate: inPostSince, endDate: addDays(addDays(inPostSince, 365), -1) },
          metadata: this.meta(this.hr, `${personId}/probation`),
        });
      }
      await this.breathe();
    }
  }

  private async recordLeave(person: PersonSpec, kind: 'SICK_OR_PERSONAL' | 'WORK_INJURY', from: string, to: string): Promise<void> {
    await this.context.engine.appraisal.personCommand(person.personId, { type: 'RecordLeave', data: { kind, from, to }, metadata: this.meta(this.hr, `${person.personId}/leave/${from}`) });
  }

  private async startSecondment(person: PersonSpec): Promise<void> {
    const { organizations } = this.context;
    const receivingOrganizationId = organizations > 1 ? organizationIdOf((this.index + 1) % organizations) : 'secondment-host';
    await this.context.engine.appraisal.personCommand(person.personId, {
      type: 'StartSecondment',
      data: { receivingOrganizationId, from: `${YEAR}-04-01`, to: `${YEAR}-06-30` },
      metadata: this.meta(this.hr, `${person.personId}/secondment`),
    });
  }

  private async recordDeparture(person: PersonSpec): Promise<void> {
    await this.context.engine.appraisal.personCommand(person.personId, {
      type: 'RecordDeparture',
      data: { reason: 'RETIRED', date: `${YEAR}-08-01` },
      metadata: this.meta(this.hr, `${person.personId}/departure`),
    });
  }

  private async recordMeasure(person: PersonSpec, measure: MeasureCode, decisionDate: string, effectiveDate: string, documentNumber: string): Promise<void> {
    const data: MeasureData = {
      measureId: `${person.personId}-${measure.toLowerCase()}-${effectiveDate}`,
      measure,
      decisionDate,
      effectiveDate,
      periodMonths: null,
      termYears: measure === 'PARTY_PROBATION' ? (person.ordinal % 2) + 1 : null,
      authority: measure.startsWith('PARTY_') ? '市纪委' : measure === 'EFFICIENCY_WARNING' ? '市机关效能办' : measure === 'ADMONITION' || measure.startsWith('ORGANIZATIONAL_') ? '市委组织部' : '市监委',
      caseId: null,
      documentNumber,
    };
    const actor = measure === 'EFFICIENCY_WARNING' || measure.startsWith('ORGANIZATIONAL_') ? this.hr : this.inspector;
    await this.context.engine.appraisal.recordMeasure(person.personId, data, this.meta(actor, `${person.personId}/measure/${data.measureId}`));
    await this.afterLateFactCandidate(person);
  }

  /** `late_fact_flags` as it would run on the person's newest fact. */
  private async afterLateFactCandidate(person: PersonSpec): Promise<void> {
    const events = await this.context.engine.store.readStream(streamIdOfPerson(person.personId));
    const fact = events[events.length - 1];
    await this.context.engine.appraisal.flagLateFact(
      person.personId,
      {
        eventId: fact.eventId,
        type: fact.type,
        globalPosition: fact.globalPosition.toString(),
        investigationOpenedOn: fact.type === 'InvestigationOpened' ? String(fact.data.openedOn) : undefined,
      },
      { actor: FLAGGING_ACTOR, now: fact.recordedAt, correlationId: fact.metadata.correlationId, causationId: fact.eventId },
    );
    await this.refreshRecords(person);
  }

  private async openCase(person: PersonSpec): Promise<void> {
    const file = person.caseFile!;
    await this.context.engine.appraisal.openCase(
      { caseId: file.caseId, personId: person.personId, openedOn: file.openedOn, authority: '市纪委监委' },
      this.meta(this.inspector, `case/${file.caseId}/open`),
    );
    this.context.clock.advance(20_000);
    await this.afterLateFactCandidate(person);
  }

  private async closeCase(person: PersonSpec): Promise<void> {
    const file = person.caseFile!;
    const closed = await this.context.engine.appraisal.closeCase(
      file.caseId,
      { closedOn: file.closedOn!, outcome: file.outcome as CaseOutcome, penalty: file.penalty },
      this.meta(this.inspector, `case/${file.caseId}/close`),
    );
    const event = closed.events[0];
    // backfill_process, a moment later, stamped with the closing event's time.
    this.context.clock.advance(15_000);
    await this.context.engine.appraisal.settleWithheldRecords(file.caseId, {
      actor: BACKFILL_ACTOR,
      now: event.recordedAt,
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
    });
    if (file.penalty) {
      this.context.clock.advance(5_000);
      await this.afterLateFactCandidate(person);
    }
    await this.refreshRecords(person);
    // The settled periods are published (backfilled) or the person told they stay ungraded.
    const { calendar } = this.context;
    const settled = [...person.records.values()].filter((record) => record.status === 'FINAL' && !record.withheld && !record.publishedOn);
    if (settled.length === 0) return;
    const publishOn = addWorkingDays(calendar, file.closedOn!, 2);
    this.at(publishOn, 300, async () => {
      for (const record of settled) if (record.outcome?.kind === 'GRADE') await this.publish(record, false);
    });
    this.at(addWorkingDays(calendar, publishOn, 1), 300, async () => {
      for (const record of settled) await this.notify(record);
    });
    this.at(addWorkingDays(calendar, publishOn, 2), 300, async () => {
      for (const record of settled) await this.signOff(record, true);
    });
    this.steps.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.minutes - b.minutes || a.order - b.order));
  }

  /** After a process manager acted on the person's records: what they now hold. */
  private async refreshRecords(person: PersonSpec): Promise<void> {
    for (const record of person.records.values()) {
      const { state } = await this.context.engine.record(record.streamId);
      record.status = state.status;
      record.outcome = state.outcome;
      record.withheld = state.withheldBy !== undefined;
    }
  }

  private async correctFlaggedGrade(person: PersonSpec): Promise<void> {
    const record = person.records.get(String(YEAR));
    if (!record) return;
    const { state } = await this.context.engine.record(record.streamId);
    // Half the flagged grades are corrected, the other half wait in conflictingGrades.
    if (state.openFlags.length === 0 || person.ordinal % 2 === 1) return;
    const grade = await this.admissibleGrade(record, this.scale(record).grades[1].code);
    const result = await this.recordCommand(record, 'CorrectFlaggedGrade', { grade, reasons: '受诫勉，依规不得确定为优秀，予以更正' }, this.committee, 'correct');
    record.outcome = outcomeOf(result.events) ?? record.outcome;
  }

  // ----- cycles ------------------------------------------------------------------------------

  private async openCycle(cycle: CycleTrack): Promise<void> {
    const { period } = cycle.schedule;
    const personIds = this.people.map((person) => person.personId);
    const opened = await this.context.engine.appraisal.openCycle({ organizationId: this.organizationId, period, personIds }, this.meta(this.hr, `${this.organizationId}.${period}/open`));
    const participants = opened.events[0].data.participants as Participant[];
    const byId = new Map(this.people.map((person) => [person.personId, person]));
    for (const participant of participants) {
      const person = byId.get(participant.personId)!;
      const record: RecordTrack = {
        recordId: participant.recordId,
        streamId: `appraisal-${participant.recordId}`,
        period,
        annual: cycle.schedule.annual,
        person,
        participation: participant.participation,
        status: 'OPEN',
        reviewed: false,
        withheld: false,
        notified: false,
        signed: false,
        objects: false,
        target: cycle.schedule.annual ? undefined : Math.min(100, Math.max(40, person.random.normal(person.ability, 3.5))),
      };
      person.records.set(period, record);
      cycle.records.push(record);
    }
  }

  private async submitSummary(record: RecordTrack, schedule: CycleSchedule): Promise<void> {
    if (record.participation.outcome === 'NOT_PARTICIPATING') return;
    const random = record.person.random;
    const sick = random.chance(0.2) ? random.int(1, 4) : 0;
    const personal = random.chance(0.15) ? random.int(1, 3) : 0;
    const days = schedule.annual ? this.workingDaysIn(schedule.start, schedule.end) : schedule.workingDays;
    await this.recordCommand(
      record,
      'SubmitSelfSummary',
      {
        text: selfSummary(random, record.person, schedule.annual),
        attendance: {
          daysPresent: Math.max(0, days - sick - personal - (record.participation.outcome === 'COMMENT_ONLY' && record.person.special === 'sickLeave' ? 45 : 0)),
          sickLeaveDays: sick,
          personalLeaveDays: personal,
          lateCount: random.chance(0.2) ? random.int(1, 3) : 0,
          earlyLeaveCount: random.chance(0.1) ? 1 : 0,
          trainings: random.chance(0.6) ? [random.pick(TRAININGS)] : [],
        },
      },
      record.person.actor,
      'summary',
    );
  }

  private gradable(record: RecordTrack): boolean {
    return record.participation.outcome === 'GRADED' && record.participation.appraisedBy === undefined;
  }

  private async recordScores(record: RecordTrack): Promise<void> {
    if (!this.gradable(record)) return;
    const scheme = this.context.ruleSet.scoringSchemes.find((candidate) => candidate.id === 'five-element-100')!;
    const random = record.person.random;
    const rater = this.raterOf(record.person);
    const share = record.target! / 100;
    const scores = scheme.indicators.map((indicator) => ({
      indicatorId: indicator.id,
      points: Math.min(indicator.points, Math.max(0, Math.round(indicator.points * (share + random.normal(0, 0.035)) * 2) / 2)),
    }));
    await this.recordCommand(record, 'RecordScores', { raterId: rater.actor.id, raterRole: rater.role, scores }, rater.actor, 'scores');
    const adjustments = random.chance(0.12) ? 1 + (random.chance(0.2) ? 1 : 0) : 0;
    const matters = new Set<string>();
    for (let count = 0; count < adjustments; count += 1) {
      const bonus = random.chance(0.6);
      const matter = random.pick(bonus ? BONUS_MATTERS : DEDUCTION_MATTERS);
      if (matters.has(matter)) continue;
      matters.add(matter);
      await this.recordCommand(
        record,
        'RecordScoreAdjustment',
        { kind: bonus ? 'BONUS' : 'DEDUCTION', matter, points: bonus ? random.int(1, 3) : random.int(1, 4) / 2, basis: bonus ? '有关部门通报文件' : '考勤及督查记录' },
        this.hr,
        `adjustment-${count}`,
      );
    }
    if (random.chance(0.003)) {
      const trigger = random.chance(0.5) ? 'COMMENDATION' : 'OUTSTANDING_IN_URGENT_TASK';
      await this.recordCommand(
        record,
        'RecordDirectTrigger',
        { trigger, basis: trigger === 'COMMENDATION' ? `${YEAR}年受到市委市政府通报表扬` : '在防汛抢险任务中表现突出' },
        this.hr,
        'trigger',
      );
    }
  }

  private async recordDemocraticEvaluation(record: RecordTrack): Promise<void> {
    if (!this.gradable(record)) return;
    const random = record.person.random;
    const scale = this.scale(record);
    const voters = record.annual ? Math.max(5, Math.min(60, this.people.length)) : Math.max(3, this.units.find((unit) => unit.unitId === record.person.unitId)!.people.length);
    const level = record.annual ? record.person.ability : record.target!;
    const favoured = level >= 90 ? 0 : level >= 78 ? 1 : level >= 62 ? 2 : 3;
    const votes: Record<string, number> = {};
    let cast = 0;
    for (const [rank, grade] of scale.grades.entries()) {
      const weight = rank === favoured ? 0.6 : Math.abs(rank - favoured) === 1 ? 0.18 : 0.02;
      const count = Math.min(voters - cast, Math.round(voters * weight * (0.8 + random.next() * 0.4)));
      votes[grade.code] = count;
      cast += count;
    }
    await this.recordCommand(
      record,
      'RecordDemocraticEvaluation',
      { voters, votes, averageScore: Math.round(Math.min(100, Math.max(0, level + random.normal(0, 2))) * 10) / 10 },
      this.hr,
      'democratic',
    );
  }

  private async writeComment(record: RecordTrack, author: 'rater' | 'leader'): Promise<void> {
    if (record.participation.outcome === 'NOT_PARTICIPATING' || record.participation.appraisedBy) return;
    if (await this.underInvestigation(record)) return;
    const actor = author === 'leader' ? this.leader : this.raterOf(record.person).actor;
    const level = record.annual ? record.person.ability : record.target!;
    const text =
      record.participation.outcome === 'COMMENT_ONLY'
        ? record.person.random.pick(COMMENT_ONLY_COMMENTS)
        : record.person.random.pick(level >= 90 ? COMMENTS[0] : level >= 76 ? COMMENTS[1] : level >= 62 ? COMMENTS[2] : COMMENTS[3]);
    await this.recordCommand(record, 'WriteComment', { text }, actor, `comment-${author}`);
  }

  /** The unit head proposes what the record's facts allow (the derivation's suggestion), within the quota. */
  private async proposeGrades(cycle: CycleTrack): Promise<void> {
    cycle.allowedTop = this.allowedTop(cycle);
    const candidates: { record: RecordTrack; grade: GradeCode; topAllowed: boolean }[] = [];
    for (const record of cycle.records) {
      if (!this.gradable(record) || (await this.underInvestigation(record))) continue;
      const choice = await this.plannedGrade(record);
      if (choice) candidates.push({ record, ...choice });
      await this.breathe();
    }
    // Top grades go to the best within the quota; the others get the next grade the facts allow.
    const ranked = [...candidates].filter((candidate) => candidate.topAllowed).sort((a, b) => level(b.record) - level(a.record));
    const tops = new Set(ranked.slice(0, Math.max(0, cycle.allowedTop - cycle.plannedTop)).map((candidate) => candidate.record));
    for (const candidate of candidates) {
      let grade = candidate.grade;
      if (candidate.topAllowed) {
        if (tops.has(candidate.record)) cycle.plannedTop += 1;
        else grade = await this.admissibleGrade(candidate.record, this.scale(candidate.record).grades[1].code);
      }
      await this.propose(candidate.record, grade, 'propose');
      await this.breathe();
    }
  }

  /**
   * The grade to propose: the record's derivation with no grade requested (score band, discipline,
   * linkage, direct determinations); for an annual record, which has no score, the top grade where
   * the facts allow it (the quota decides) and the next grade otherwise. Undefined: no grade.
   */
  private async plannedGrade(record: RecordTrack): Promise<{ grade: GradeCode; topAllowed: boolean } | undefined> {
    const derivation = await this.derive(record);
    if (!derivation.ok) throw new Error(`cannot plan ${record.recordId}: ${derivation.message}`);
    if (derivation.outcome && derivation.outcome.kind !== 'GRADE') return undefined;
    const scale = this.scale(record);
    const top = scale.grades[0].code;
    if (record.participation.fixedGrade) return { grade: record.participation.fixedGrade, topAllowed: false };
    if (derivation.outcome) {
      const grade = derivation.outcome.grade;
      return { grade, topAllowed: grade === top };
    }
    const topAllowed = (await this.derive(record, top)).ok;
    return { grade: topAllowed ? top : await this.admissibleGrade(record, scale.grades[1].code), topAllowed };
  }

  private async propose(record: RecordTrack, grade: GradeCode, key: string): Promise<void> {
    const random = record.person.random;
    const scale = this.scale(record);
    const rank = scale.grades.findIndex((candidate) => candidate.code === grade);
    // Now and then the unit head proposes a grade higher and the leader brings it back.
    const proposed = rank > 1 && random.chance(0.04) ? scale.grades[rank - 1].code : grade;
    await this.recordCommand(record, 'ProposeGrade', { grade: proposed, reason: record.annual ? '综合年度表现、平时考核结果和民主测评情况提出' : '依据量化评分和平时表现提出' }, this.raterOf(record.person).actor, key);
    record.proposed = proposed;
    record.reviewGrade = grade;
    record.reviewed = false;
  }

  private async reviewProposal(record: RecordTrack, key = 'review'): Promise<void> {
    if (!record.proposed || record.reviewed) return;
    const agrees = record.proposed === record.reviewGrade;
    await this.recordCommand(
      record,
      'ReviewProposal',
      agrees ? { agrees, reason: '同意' } : { agrees, grade: record.reviewGrade, reason: '与量化评分和平时表现不符，予以调整' },
      this.leader,
      key,
    );
    record.reviewed = true;
  }

  private async determine(cycle: CycleTrack, record: RecordTrack): Promise<void> {
    if (record.participation.appraisedBy) {
      const random = record.person.random;
      const result = await this.recordCommand(
        record,
        'RecordReceivingOrganizationResult',
        {
          receivingOrganizationId: record.participation.appraisedBy,
          grade: this.scale(record).grades[random.chance(0.3) ? 0 : 1].code,
          document: `${record.participation.appraisedBy}关于借调人员考核结果的函〔${YEAR}〕${random.int(1, 30)}号`,
        },
        this.hr,
        'receiving-result',
      );
      this.noteDetermination(record, result.events);
      return;
    }
    const investigated = await this.underInvestigation(record);
    if (this.gradable(record) && !investigated && !record.reviewed) {
      // Not proposed before (e.g. a case closed in between): proposed and reviewed now.
      const choice = await this.plannedGrade(record);
      if (choice) {
        const grade = choice.topAllowed && cycle.plannedTop < cycle.allowedTop ? choice.grade : choice.topAllowed ? await this.admissibleGrade(record, this.scale(record).grades[1].code) : choice.grade;
        if (choice.topAllowed && grade === choice.grade) cycle.plannedTop += 1;
        await this.propose(record, grade, 'propose-late');
        await this.reviewProposal(record, 'review-late');
      }
    }
    let result;
    try {
      result = await this.recordCommand(record, 'DetermineGrade', {}, this.committee, 'determine');
    } catch (error) {
      if (!(error instanceof ApplicationError) || !GRADE_CHANGING.has(error.code)) throw error;
      // A fact reached the log since the proposal: the committee sends it back for a grade it allows.
      const next = this.scale(record).grades[1].code;
      await this.propose(record, error.code === 'APPRAISAL.GRADE_FORCED' ? String(error.details.required) : await this.admissibleGrade(record, next), 'propose-again');
      await this.reviewProposal(record, 'review-again');
      result = await this.recordCommand(record, 'DetermineGrade', {}, this.committee, 'determine-again');
    }
    this.noteDetermination(record, result.events);
  }

  private noteDetermination(record: RecordTrack, events: RecordedEvent[]): void {
    const determined = events.find((event) => event.type === 'GradeDetermined');
    if (!determined) throw new Error(`${record.recordId}: no determination among ${events.map((event) => event.type).join(', ')}`);
    record.outcome = determined.data.outcome as Outcome;
    record.status = events.some((event) => event.type === 'GradeFinalized') ? 'FINAL' : 'AWAITING_NOTICE';
    record.withheld = record.outcome.kind === 'WITHHELD_INVESTIGATION';
  }

  private async startNotice(record: RecordTrack): Promise<void> {
    if (record.status !== 'AWAITING_NOTICE') return;
    await this.recordCommand(record, 'StartPublicNotice', { startDate: this.today() }, this.hr, 'notice');
  }

  private async finalize(record: RecordTrack): Promise<void> {
    if (record.status !== 'AWAITING_NOTICE') return;
    await this.recordCommand(record, 'FinalizeGrade', {}, this.committee, 'finalize');
    record.status = 'FINAL';
  }

  /** `regular`: with the cycle's publication, so that an objection may follow in the cycle's window. */
  private async publish(record: RecordTrack, regular: boolean): Promise<void> {
    if (record.status !== 'FINAL' || record.withheld || record.publishedOn || !record.outcome || record.outcome.kind === 'NOT_PARTICIPATING') return;
    await this.recordCommand(record, 'PublishResult', {}, this.hr, 'publish');
    record.status = 'PUBLISHED';
    record.publishedOn = this.today();
    const random = record.person.random;
    const grade = record.outcome.kind === 'GRADE' ? record.outcome.grade : undefined;
    const scale = this.scale(record);
    const rank = grade === undefined ? -1 : scale.grades.findIndex((candidate) => candidate.code === grade);
    // Unfavourable results are contested now and then (复核); a plain one rarely.
    record.objects = !regular ? false : rank >= 2 ? random.chance(record.annual ? 0.3 : 0.2) : rank === 1 ? random.chance(0.004) : false;
  }

  private async notify(record: RecordTrack): Promise<void> {
    if (record.notified || (record.status !== 'PUBLISHED' && record.status !== 'FINAL') || record.withheld) return;
    if (record.outcome?.kind === 'NOT_PARTICIPATING') return;
    await this.recordCommand(record, 'NotifyPerson', { method: record.person.random.chance(0.8) ? 'WRITTEN' : 'IN_PERSON' }, this.hr, 'notify');
    record.notified = true;
  }

  private async signOff(record: RecordTrack, late: boolean): Promise<void> {
    if (!record.notified || record.signed) return;
    const random = record.person.random;
    if (!late && random.chance(0.3)) return;
    if (random.chance(0.015)) {
      await this.recordCommand(record, 'RecordRefusalToSign', { note: '本人拒绝签署意见，已由两名工作人员在场见证并记录' }, this.hr, 'refusal');
    } else {
      await this.recordCommand(
        record,
        'SignOff',
        record.objects ? { agrees: false, opinion: '对考核结果有不同意见，将申请复核' } : { agrees: true, opinion: random.pick(['同意', '同意考核结果', '本人无异议']) },
        record.person.actor,
        'sign',
      );
    }
    record.signed = true;
  }

  private async fileObjection(record: RecordTrack): Promise<void> {
    if (!record.objects || record.status !== 'PUBLISHED' || record.objection || !record.publishedOn || this.today() <= record.publishedOn) return;
    await this.recordCommand(record, 'FileObjection', { reasons: record.person.random.pick(OBJECTION_REASONS) }, record.person.actor, 'objection');
    record.objection = 'FILED';
  }

  private async ruleOnObjection(record: RecordTrack): Promise<void> {
    if (record.objection !== 'FILED' || record.outcome?.kind !== 'GRADE') return;
    const random = record.person.random;
    const scale = this.scale(record);
    const rank = scale.grades.findIndex((candidate) => candidate.code === (record.outcome as { grade: GradeCode }).grade);
    const better = rank > 1 ? scale.grades[rank - 1].code : undefined;
    if (better && !record.annual && random.chance(0.3) && (await this.derive(record, better)).ok) {
      const result = await this.recordCommand(record, 'RuleOnObjection', { ruling: 'REVISED', grade: better, reasons: '经复核，量化评分存在计分差错，予以更正' }, this.committee, 'ruling');
      record.outcome = outcomeOf(result.events) ?? record.outcome;
      record.objection = 'REVISED';
      return;
    }
    await this.recordCommand(record, 'RuleOnObjection', { ruling: 'UPHELD', reasons: '经复核，原考核结果事实清楚、依据充分，维持原结果' }, this.committee, 'ruling');
    record.objection = 'UPHELD';
  }

  private async fileAppeal(record: RecordTrack): Promise<void> {
    if (record.objection !== 'UPHELD' || record.appeal || !record.person.random.chance(0.25)) return;
    await this.recordCommand(record, 'FileAppeal', { reasons: '对复核决定不服，向同级公务员主管部门提出申诉' }, record.person.actor, 'appeal');
    record.appeal = 'FILED';
  }

  private async decideAppeal(record: RecordTrack): Promise<void> {
    if (record.appeal !== 'FILED') return;
    await this.recordCommand(
      record,
      'DecideAppeal',
      { decision: 'UPHELD', reasons: '申诉理由不成立，维持原复核决定', authority: '市公务员局' },
      { id: 'regulator.city', role: 'REGULATOR', organizationId: this.organizationId },
      'appeal-decision',
    );
    record.appeal = 'DECIDED';
  }

  // ----- what the record's facts allow ---------------------------------------------------------

  private scale(record: RecordTrack) {
    return scaleFor(this.context.ruleSet, { kind: record.annual ? 'ANNUAL' : 'QUARTERLY' }, record.person.category)!;
  }

  /** Whether the person is under an investigation covering the record's period now, as the service decides it. */
  private async underInvestigation(record: RecordTrack): Promise<boolean> {
    if (!record.person.caseFile) return false;
    return openInvestigationCovering(await this.discipline(record.person), parsePeriod(record.period)!.end) !== undefined;
  }

  private async discipline(person: PersonSpec): Promise<DisciplineHistory> {
    const state = await this.context.engine.person(person.personId);
    return state.status === 'UNREGISTERED' ? EMPTY_DISCIPLINE : state.discipline;
  }

  /** The record's derivation from the log as it stands, as the service would run it (quota aside: the generator keeps to it). */
  private async derive(record: RecordTrack, requested?: GradeCode): Promise<Derivation> {
    const { state } = await this.context.engine.record(record.streamId);
    const opened = state.opened!;
    const period = parsePeriod(record.period)!;
    const discipline = await this.discipline(record.person);
    return deriveGrade({
      ruleSet: this.context.ruleSet,
      period,
      subject: { category: opened.category, subjectRole: opened.subjectRole },
      participation: { outcome: opened.participation.outcome, reason: opened.participation.reason, ref: opened.ref },
      scores: state.scores,
      adjustments: state.adjustments,
      democratic: state.democratic,
      measures: measuresOnRecord(discipline),
      efficiencyWarnings: efficiencyWarningsIn(discipline, period.year),
      directTriggers: state.directTriggers,
      quarterlies: record.annual ? await quarterlyResultsOf(this.context.engine, this.organizationId, record.person.personId, YEAR) : undefined,
      requested: requested === undefined ? undefined : { grade: requested },
    });
  }

  /** The first grade from `from` down the scale that the record's facts allow (a forced grade if one is). */
  private async admissibleGrade(record: RecordTrack, from: GradeCode): Promise<GradeCode> {
    const grades = this.scale(record).grades.map((grade) => grade.code);
    for (const grade of grades.slice(grades.indexOf(from))) {
      const derivation = await this.derive(record, grade);
      if (derivation.ok) return grade;
      if (derivation.code === 'APPRAISAL.GRADE_FORCED') return String(derivation.details.required);
    }
    throw new Error(`${record.recordId}: no grade from ${from} down is allowed`);
  }

  /**
   * Top grades the cycle allows once the records under investigation at the determinations are
   * withheld (the service counts them out as they are noted, so this is the smallest allowance).
   */
  private allowedTop(cycle: CycleTrack): number {
    const rule = quotaRuleFor(this.context.ruleSet, { kind: cycle.schedule.annual ? 'ANNUAL' : 'QUARTERLY' });
    if (!rule) return Number.MAX_SAFE_INTEGER;
    const inScope = cycle.records.filter((record) => record.participation.outcome !== 'NOT_PARTICIPATING');
    const day = cycle.schedule.determinations;
    const withheld = inScope.filter((record) => {
      const file = record.person.caseFile;
      return (
        record.participation.outcome === 'GRADED' &&
        file !== undefined &&
        file.openedOn <= cycle.schedule.end &&
        file.openedOn < day &&
        (file.closedOn === undefined || file.closedOn >= day)
      );
    }).length;
    const graded = inScope.filter((record) => record.participation.outcome === 'GRADED').length - withheld;
    return quotaAllowance(rule, { participants: inScope.length, withheld, graded }).allowed;
  }
}

function level(record: RecordTrack): number {
  return record.annual ? record.person.ability : (record.target ?? 0);
}

function outcomeOf(events: RecordedEvent[]): Outcome | undefined {
  for (const event of [...events].reverse()) {
    if (event.type === 'GradeDetermined' || event.type === 'GradeBackfilled' || event.type === 'GradeFinalized') return event.data.outcome as Outcome;
    if (event.type === 'GradeRevised') return event.data.to as Outcome;
  }
  return undefined;
}

function withContext(error: unknown, what: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(`dataset: ${what} failed: ${message}`);
  if (error instanceof Error) wrapped.stack = `${wrapped.message}\n${error.stack ?? ''}`;
  return wrapped;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}


// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

const CITIES = ['东城', '西城', '南湖', '北塘', '临江', '青山', '白河', '清源', '长宁', '新安', '永和', '安平', '河西', '江北', '云台', '金山', '玉泉', '凤鸣', '龙湾', '石桥'];
const DEPARTMENTS = [
  '统计局', '财政局', '人力资源和社会保障局', '发展和改革委员会', '教育局', '民政局', '司法局', '自然资源局', '生态环境局', '住房和城乡建设局',
  '交通运输局', '水务局', '农业农村局', '商务局', '文化和旅游局', '卫生健康委员会', '退役军人事务局', '应急管理局', '审计局', '市场监督管理局',
  '医疗保障局', '林业局', '信访局', '机关事务管理局', '档案局', '科学技术局', '工业和信息化局', '税务局', '粮食和物资储备局', '体育局',
];
const UNIT_NAMES = ['办公室', '综合科', '人事科', '财务科', '法规科', '政策研究科', '信息科', '督查科', '业务一科', '业务二科', '业务三科', '监督检查科'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕'];
const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '萍', '红', '鹏', '辉', '建', '文', '斌', '宇', '浩', '凯', '晨', '欣', '雪', '琳', '婷'];
const RANKS = ['一级科员', '二级科员', '四级主任科员', '三级主任科员', '二级主任科员', '一级主任科员'];
const TRAININGS = ['公文写作专题培训', '统计法治专题培训', '保密知识培训', '数字政府能力提升培训', '党纪学习教育专题培训', '安全生产知识培训'];
const BONUS_MATTERS = ['信息被市委办采用', '受到市级通报表扬', '参与重点项目攻坚表现突出', '调研报告获领导批示', '在业务竞赛中获奖'];
const DEDUCTION_MATTERS = ['迟到早退', '公文差错', '未按时报送材料', '会议无故缺席', '工作台账不规范'];
const OBJECTION_REASONS = [
  '本人认为量化评分中工作实绩一项计分偏低，未充分考虑本人承担的专项任务，申请复核。',
  '考核期间本人因公出差较多，出勤计分有误，申请复核。',
  '对民主测评结果有异议，认为未反映本人实际工作表现，申请复核。',
];
const COMMENTS: readonly (readonly string[])[] = [
  ['政治立场坚定，业务能力突出，工作积极主动，圆满完成各项任务，表现优秀。', '工作标准高、效率高，敢于担当，多项工作走在前列，群众评价好。', '业务精通，作风扎实，创新意识强，较好发挥了骨干作用。'],
  ['能够认真履行岗位职责，工作态度端正，较好完成了各项工作任务。', '遵守纪律，团结同事，业务较熟练，工作完成质量较好。', '工作踏实，服从安排，能按时完成交办任务。'],
  ['基本能够履行岗位职责，但工作主动性不足，完成任务质量一般。', '工作作风有待改进，业务能力需进一步提高。'],
  ['工作责任心不强，多项任务未按时完成，需加强学习、改进作风。', '纪律观念淡薄，工作质量较差，经提醒后改进不明显。'],
];
const COMMENT_ONLY_COMMENTS = ['试用期内表现良好，能够尽快熟悉岗位业务，遵守各项纪律。', '考核期内较长时间休假，在岗期间能够完成交办任务。', '在岗时间较短，只写评语、不定等次。'];
const SUMMARY_OPENINGS = [
  '本人坚持以习近平新时代中国特色社会主义思想为指导，认真学习贯彻党的二十大和二十届历次全会精神，',
  '本人认真落实全面从严治党要求，严守政治纪律和政治规矩，',
  '本人始终把学习放在重要位置，不断提高政治素质和业务能力，',
];
const SUMMARY_WORK = [
  '按时完成了本岗位的日常业务工作，',
  '牵头起草了多份综合性文稿，',
  '参与了年度重点项目的推进和督办，',
  '认真做好数据统计和报表报送工作，',
  '配合做好信访接待和矛盾化解工作，',
  '积极参与专项整治和督查检查工作，',
];
const SUMMARY_CLOSINGS = [
  '廉洁自律，无违规违纪行为。今后将进一步改进工作方法，提高工作效率。',
  '遵守考勤制度，出勤良好。存在的不足是调查研究不够深入，今后加以改进。',
  '团结协作，服从安排。下一步将加强学习，努力在本职岗位上做出更大成绩。',
];

function selfSummary(random: Random, person: PersonSpec, annual: boolean): string {
  const when = annual ? `${YEAR}年度，` : '本季度，';
  return `${when}${random.pick(SUMMARY_OPENINGS)}在${person.unitName}${person.position}岗位上${random.pick(SUMMARY_WORK)}${random.pick(SUMMARY_WORK)}${random.pick(SUMMARY_CLOSINGS)}`;
}

function organizationName(index: number): string {
  const city = CITIES[index % CITIES.length];
  const department = DEPARTMENTS[Math.floor(index / CITIES.length) % DEPARTMENTS.length];
  const round = Math.floor(index / (CITIES.length * DEPARTMENTS.length));
  return `${city}区${department}${round > 0 ? `（${round + 1}）` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

interface Sizes {
  people: number;
  organizations: number;
  largestOrganization: number;
  seed: number;
}

function sizesOf(options: Pick<DatasetOptions, 'people' | 'organizations' | 'largestOrganization' | 'seed'>): Sizes {
  const people = positiveInteger('people', options.people);
  const organizations = positiveInteger('organizations', options.organizations ?? Math.max(1, Math.round(people / PEOPLE_PER_ORGANIZATION)));
  if (organizations > people) throw new RangeError(`${organizations} organizations for ${people} people: every organization needs someone`);
  const evenShare = Math.ceil(people / organizations);
  const largestOrganization =
    organizations === 1
      ? people
      : positiveInteger('largestOrganization', options.largestOrganization ?? Math.max(evenShare, Math.min(LARGEST_ORGANIZATION_PEOPLE, Math.floor(people / 2))));
  if (organizations > 1 && people - largestOrganization < organizations - 1) {
    throw new RangeError(`largestOrganization ${largestOrganization} leaves ${people - largestOrganization} people for the other ${organizations - 1} organizations: each needs someone`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return { people, organizations, largestOrganization, seed };
}

/**
 * What every organ shares, written once before them all (the same events wherever they are
 * generated): the rule set every organ adopts (position 1) and the province every organ sits under (2).
 */
async function publishShared(engine: Engine, clock: SimulatedClock, seed: number): Promise<RuleSetDocument> {
  const preset = loadPresetRuleSets().find((document) => document.id === RULE_SET_ID);
  if (!preset) throw new Error(`no preset rule set ${RULE_SET_ID}`);
  clock.reset(`${YEAR}-01-02`);
  const admin: Actor = { id: 'hr.admin', role: 'HR', organizationId: '*' };
  const published = await engine.appraisal.publishRuleSet(preset, {
    commandId: uuid('dataset', String(seed), 'ruleset', preset.id, String(preset.version)),
    actor: admin,
    now: clock.now(),
  });
  await engine.appraisal.registerOrganization(
    { organizationId: PROVINCE_ID, name: PROVINCE_NAME, kind: 'ORGAN' },
    { commandId: uuid('dataset', String(seed), 'organization', PROVINCE_ID), actor: admin, now: clock.now() },
  );
  return published.events[0].data.document as RuleSetDocument;
}

type Rows = { buffers: Uint8Array[]; rows: number };

/**
 * Generates organs one at a time on an in-memory log: decides an organ's year with positions
 * local to it, then serializes it once the position of its first event is known. The main thread
 * runs one, or each worker thread one for its share of the organs; the rows are the same either way.
 */
class DatasetGenerator {
  private readonly clock = new SimulatedClock();
  private readonly log = new GeneratorLog(this.clock);
  private readonly calendar = rememberingCalendar(officialCalendar());
  private readonly engine: Engine;
  private context: GeneratorContext | undefined;

  constructor(
    private readonly sizes: Sizes,
    engine: 'direct' | 'service',
  ) {
    const appraisal = new AppraisalService(this.log, new CommandHandler(this.log), this.calendar);
    this.engine = engine === 'service' ? new ServiceEngine(this.log, appraisal) : new DirectEngine(this.log, appraisal, this.calendar);
  }

  /** Publishes the rule set and registers the province; their rows (positions 1 and 2). */
  async start(): Promise<Rows> {
    const ruleSet = await publishShared(this.engine, this.clock, this.sizes.seed);
    this.log.keep(ruleSetStreamId(RULE_SET_ID));
    this.log.keep(streamIdOfOrganization(PROVINCE_ID));
    this.context = {
      ...this.sizes,
      engine: this.engine,
      clock: this.clock,
      calendar: this.calendar,
      ruleSet,
      specials: selectSpecials(this.sizes.people, this.sizes.seed),
      quarterDays: new Map(),
    };
    return this.log.serialize(0);
  }

  /** Decides organ `index`'s year. */
  async decide(index: number): Promise<{ events: number; people: number; units: number }> {
    this.log.forgetOrganization();
    const organization = new OrganizationYear(this.context!, index);
    await organization.run();
    return { events: this.log.pendingEvents, people: organization.size, units: organization.unitCount };
  }

  /** The decided organ's rows, its first event at `firstPosition`. */
  serialize(firstPosition: number): Rows {
    return this.log.serialize(firstPosition - FIRST_ORGANIZATION_POSITION);
  }

  get eventTypes(): Map<string, number> {
    return this.log.eventTypes;
  }
}

/** Where an organ's events are numbered from while it is decided (after the rule set's and the province's events). */
const FIRST_ORGANIZATION_POSITION = 3;

/** Rows gathered into one COPY transaction. */
class Chunk {
  buffers: Uint8Array[] = [];
  rows = 0;

  add(rows: Rows): void {
    this.buffers.push(...rows.buffers);
    this.rows += rows.rows;
  }

  take(): Rows {
    const taken = { buffers: this.buffers, rows: this.rows };
    this.buffers = [];
    this.rows = 0;
    return taken;
  }
}

interface WorkerInput {
  datasetWorker: true;
  sizes: Sizes;
  engine: 'direct' | 'service';
  worker: number;
  workers: number;
}

type WorkerMessage =
  | { type: 'decided'; index: number; events: number; people: number; units: number }
  | { type: 'rows'; index: number; buffers: Uint8Array[]; rows: number; eventTypes: [string, number][] };

type MainMessage = { type: 'base'; index: number; base: number } | { type: 'ack' };

/** Organs a worker may have decided beyond what the writer took. */
const WORKER_AHEAD = 2;

/** A worker thread: decides its organs (index ≡ worker mod workers), serializes each once the main thread gives its first position. */
async function runWorker(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const bases = new Map<number, number>();
  let credit = WORKER_AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', (message: MainMessage) => {
    if (message.type === 'base') bases.set(message.index, message.base);
    else credit += 1;
    wake?.();
  });
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise<void>((resolve) => (wake = resolve));
  };
  const generator = new DatasetGenerator(input.sizes, input.engine);
  await generator.start();
  for (let index = input.worker; index < input.sizes.organizations; index += input.workers) {
    await until(() => credit > 0);
    credit -= 1;
    const decided = await generator.decide(index);
    port.postMessage({ type: 'decided', index, ...decided } satisfies WorkerMessage);
    await until(() => bases.has(index));
    const rows = generator.serialize(bases.get(index)!);
    bases.delete(index);
    const eventTypes = [...generator.eventTypes.entries()];
    generator.eventTypes.clear();
    const transfer = [...new Set(rows.buffers.map((buffer) => buffer.buffer as ArrayBuffer))];
    port.postMessage({ type: 'rows', index, ...rows, eventTypes } satisfies WorkerMessage, transfer);
  }
  port.close();
}

if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.datasetWorker) {
  void runWorker(workerData as WorkerInput);
}

/** The organs' rows in order, from worker threads that generate them side by side. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly decided = new Map<number, number>();
  private readonly rows = new Map<number, Rows & { people: number; units: number; eventTypes: [string, number][] }>();
  private readonly people = new Map<number, { people: number; units: number }>();
  /** Organs 0 to sentUpTo have been told where they start; lastBase is where sentUpTo starts. */
  private sentUpTo = -1;
  private lastBase = FIRST_ORGANIZATION_POSITION;
  private readonly organizations: number;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(sizes: Sizes, engine: 'direct' | 'service', count: number, execArgv?: string[]) {
    this.organizations = sizes.organizations;
    for (let worker = 0; worker < count; worker += 1) {
      const thread = new Worker(new URL(import.meta.url), {
        workerData: { datasetWorker: true, sizes, engine, worker, workers: count } satisfies WorkerInput,
        ...(execArgv ? { execArgv } : {}),
      });
      thread.on('message', (message: WorkerMessage) => this.receive(message));
      thread.on('error', (error) => this.fail(error));
      thread.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`dataset worker ${worker} stopped with exit code ${code}`));
      });
      this.workers.push(thread);
    }
    this.sendBases();
  }

  private owner(index: number): Worker {
    return this.workers[index % this.workers.length];
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'decided') {
      this.decided.set(message.index, message.events);
      this.people.set(message.index, { people: message.people, units: message.units });
      this.sendBases();
    } else {
      const counts = this.people.get(message.index)!;
      this.rows.set(message.index, { buffers: message.buffers, rows: message.rows, eventTypes: message.eventTypes, ...counts });
    }
    this.wake?.();
  }

  /** Each organ starts where the one before ended: known as soon as that one is decided. */
  private sendBases(): void {
    if (this.sentUpTo < 0) {
      this.owner(0).postMessage({ type: 'base', index: 0, base: this.lastBase } satisfies MainMessage);
      this.sentUpTo = 0;
    }
    for (;;) {
      const next = this.sentUpTo + 1;
      const events = this.decided.get(this.sentUpTo);
      if (next >= this.organizations || events === undefined) return;
      this.lastBase += events;
      this.owner(next).postMessage({ type: 'base', index: next, base: this.lastBase } satisfies MainMessage);
      this.sentUpTo = next;
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  /** Organ `index`'s rows, once its worker has them. */
  async take(index: number): Promise<Rows & { people: number; units: number; eventTypes: [string, number][] }> {
    for (;;) {
      if (this.failure) throw this.failure;
      const rows = this.rows.get(index);
      if (rows) {
        this.rows.delete(index);
        this.owner(index).postMessage({ type: 'ack' } satisfies MainMessage);
        return rows;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * Generates the dataset into the `events` table of `pool`'s database, which must be migrated and
 * hold no event yet. Returns what was written and how fast.
 */
export async function generateDataset(pool: pg.Pool, options: DatasetOptions): Promise<DatasetSummary> {
  const sizes = sizesOf(options);
  const chunkEvents = positiveInteger('chunkEvents', options.chunkEvents ?? DEFAULT_CHUNK_EVENTS);
  const workers = options.workers ?? 0;
  if (!Number.isSafeInteger(workers) || workers < 0) throw new RangeError(`workers must be 0 or more, got ${workers}`);
  const engine = options.engine ?? 'direct';
  const client = await pool.connect();
  const threads = workers > 0 ? new WorkerPool(sizes, engine, Math.min(workers, sizes.organizations), options.workerExecArgv) : undefined;
  try {
    const existing = await client.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS present');
    if (existing.rows[0].present) throw new Error('the events table already holds events: generate the dataset into a fresh, migrated database');

    const started = performance.now();
    let peopleDone = 0;
    let organizationsDone = 0;
    let units = 0;
    let generated = 0;
    const eventTypes = new Map<string, number>();
    const writer = new CopyWriter(client, () => report());
    const report = () =>
      options.onProgress?.({
        peopleDone,
        peopleTotal: sizes.people,
        organizationsDone,
        organizationsTotal: sizes.organizations,
        eventsGenerated: generated,
        eventsWritten: writer.written,
        elapsedSeconds: (performance.now() - started) / 1000,
      });

    // The rule set's row comes from a generator on this thread in both modes.
    const local = new DatasetGenerator(sizes, engine);
    const chunk = new Chunk();
    const first = await local.start();
    chunk.add(first);
    generated += first.rows;
    let next = FIRST_ORGANIZATION_POSITION;
    for (let index = 0; index < sizes.organizations; index += 1) {
      let rows: Rows;
      if (threads) {
        const taken = await threads.take(index);
        rows = taken;
        peopleDone += taken.people;
        units += taken.units;
        for (const [type, count] of taken.eventTypes) eventTypes.set(type, (eventTypes.get(type) ?? 0) + count);
      } else {
        const decided = await local.decide(index);
        rows = local.serialize(next);
        peopleDone += decided.people;
        units += decided.units;
      }
      next += rows.rows;
      generated += rows.rows;
      organizationsDone += 1;
      chunk.add(rows);
      if (chunk.rows >= chunkEvents) await writer.submit(chunk.take());
      report();
    }
    await writer.submit(chunk.take());
    await writer.settled();
    // Appends after the dataset continue after it.
    await client.query(`SELECT setval(pg_get_serial_sequence('events', 'global_position'), $1::bigint)`, [generated]);
    // Statistics for the planner, as after any bulk load: without them it guesses a stream holds
    // a large part of the log and compiles every stream read with JIT (about 28 ms each).
    await client.query('ANALYZE events');
    report();

    for (const [type, count] of local.eventTypes) eventTypes.set(type, (eventTypes.get(type) ?? 0) + count);
    const seconds = (performance.now() - started) / 1000;
    return {
      people: sizes.people,
      organizations: sizes.organizations,
      largestOrganization: sizes.largestOrganization,
      units,
      records: eventTypes.get('RecordOpened') ?? 0,
      events: generated,
      seconds,
      eventsPerSecond: generated / seconds,
      eventTypes: Object.fromEntries([...eventTypes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    };
  } finally {
    client.release();
    await threads?.close();
  }
}

/**
 * The same year through AppraisalService on an event store the caller makes with the simulated
 * clock (e.g. `new PostgresEventStore(pool, { clock })`): slow, command by command, as the service
 * appends. The test compares it row for row with `generateDataset`.
 */
export async function generateThroughStore(
  makeStore: (clock: () => Date) => EventStore,
  options: Pick<DatasetOptions, 'people' | 'organizations' | 'largestOrganization' | 'seed'>,
): Promise<void> {
  const sizes = sizesOf(options);
  const clock = new SimulatedClock();
  const store = makeStore(() => new Date(clock.stamp()));
  const calendar = rememberingCalendar(officialCalendar());
  const engine = new ServiceEngine(store, new AppraisalService(store, new CommandHandler(store), calendar));
  const ruleSet = await publishShared(engine, clock, sizes.seed);
  const context: GeneratorContext = { ...sizes, engine, clock, calendar, ruleSet, specials: selectSpecials(sizes.people, sizes.seed), quarterDays: new Map() };
  for (let index = 0; index < sizes.organizations; index += 1) await new OrganizationYear(context, index).run();
}

// ---------------------------------------------------------------------------------------------
// Progress bar
// ---------------------------------------------------------------------------------------------

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${hours}h${pad(minutes)}m${pad(rest)}s` : `${minutes}m${pad(rest)}s`;
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * A progress bar for `onProgress` on stderr: people done / total, events written (and generated),
 * events/s, ETA. Redrawn in place on a terminal (at most 5 times a second), a line every 10 s otherwise.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, label = 'dataset'): (progress: DatasetProgress) => void {
  let lastDrawn = -Infinity;
  let finished = false;
  return (progress) => {
    if (finished) return;
    const done = progress.peopleDone === progress.peopleTotal && progress.eventsWritten === progress.eventsGenerated;
    const now = performance.now();
    if (!done && now - lastDrawn < (stream.isTTY ? 200 : 10_000)) return;
    lastDrawn = now;
    const fraction = progress.peopleTotal === 0 ? 1 : progress.peopleDone / progress.peopleTotal;
    const width = 24;
    const filled = Math.round(fraction * width);
    const rate = progress.elapsedSeconds > 0 ? progress.eventsWritten / progress.elapsedSeconds : 0;
    const eta = fraction > 0 ? (progress.elapsedSeconds * (1 - fraction)) / fraction : Number.POSITIVE_INFINITY;
    const line =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ` +
      `people ${thousands(progress.peopleDone)}/${thousands(progress.peopleTotal)} · ` +
      `events ${thousands(progress.eventsWritten)} written (${thousands(progress.eventsGenerated)} made) · ` +
      `${thousands(rate)} ev/s · ${done ? `done in ${duration(progress.elapsedSeconds)}` : `ETA ${duration(eta)}`}`;
    stream.write(stream.isTTY ? `\r${line}\x1b[K${done ? '\n' : ''}` : `${line}\n`);
    if (done) finished = true;
  };
}
