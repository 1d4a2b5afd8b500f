import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { ApplicationError, VersionConflictError } from '../../shared/errors.js';
import { chainProblem, eventHash, GENESIS_HASH } from '../event-hash.js';
import { comparePositions, START_OF_LOG, type EventMetadata, type LogPosition, type NewEvent, type RecordedEvent } from '../event.js';
import type { AppendResult, EventStore, ExpectedRevision, ReadStreamOptions } from '../event-store.port.js';

/**
 * What travels in a KurrentDB event's metadata: ours (actor, command id, correlation and
 * causation, business date, rule set), the schema version, and the fields of the per-stream hash
 * chain. `recordedAt` is the adapter's clock at the append, so the hash can cover it before the
 * server stamps its own `created` time.
 */
interface StoredMetadata extends EventMetadata {
  schemaVersion: number;
  recordedAt: string;
  hash: string;
}

/** Event types that are ours: everything but the server's own `$`-prefixed types. */
export const OUR_EVENT_TYPES = '^[^$]';

export class EventStoreConfigurationError extends Error {}

export interface KurrentDbEventStoreOptions {
  /** Attempts of a read or append after a transient failure (unavailable, deadline, not leader). */
  maxAttempts?: number;
  /** First pause before a retry; doubled each time, with jitter. */
  retryDelayMs?: number;
  clock?: () => Date;
  /** How long a follower waits between polls when no subscription tells it of appends. */
  pollIntervalMs?: number;
}

function positionOf(position: Position): LogPosition {
  return { major: position.commit, minor: position.prepare };
}

function isTransient(error: unknown): boolean {
  return error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof NotLeaderError;
}

function describeExpected(expected: ExpectedRevision): string {
  return expected === 'no_stream' ? 'no stream' : String(expected);
}

/**
 * The event log in KurrentDB (EventStoreDB's successor) through `@kurrent/kurrentdb-client`.
 * Our event id is the server's event id, so the server deduplicates a retried append; our
 * metadata, schema version and hash ride in the event's metadata JSON. The global order is `$all`,
 * filtered server-side to our event types; a position is `$all`'s (commit, prepare) pair and the
 * number shown to people is the commit position.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly client: KurrentDBClient;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;

  constructor(connectionString: string, options: KurrentDbEventStoreOptions = {}) {
    this.client = KurrentDbEventStore.connect(connectionString);
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
  }

  /** Parses the connection string, or fails naming EVENTSTORE_URL, what is wrong and an example. */
  static connect(connectionString: string): KurrentDBClient {
    if (!/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//.test(connectionString)) {
      throw new EventStoreConfigurationError(
        `EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://127.0.0.1:2113?tls=false (schemes kurrentdb, kurrentdb+discover, esdb), got ${JSON.stringify(redact(connectionString))}`,
      );
    }
    try {
      return KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      throw new EventStoreConfigurationError(`EVENTSTORE_URL ${JSON.stringify(redact(connectionString))} is not a valid KurrentDB connection string: ${(error as Error).message}`);
    }
  }

  async appendToStream(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const ids = events.map((event) => event.eventId);
    if (new Set(ids).size !== ids.length) throw new ApplicationError('DUPLICATE_EVENT_ID', `an append to ${streamId} repeats an event id`);

    const tail = await this.readStreamBackwards(streamId, events.length);
    const repeated = this.alreadyAppended(tail, ids);
    if (repeated) return { streamId, nextExpectedRevision: tail[0].streamRevision, events: repeated, deduplicated: true };
    const reused = ids.filter((id) => tail.some((event) => event.eventId === id));
    if (reused.length > 0) {
      throw new ApplicationError('IDEMPOTENCY_MISMATCH', `event ids ${reused.join(', ')} are already in ${streamId}, appended with other events`, { streamId, eventIds: reused });
    }
    const head = tail[0];
    const headRevision = head ? head.streamRevision : -1;
    const expectedRevision = expected === 'no_stream' ? -1 : expected;
    if (expectedRevision !== 'any' && expectedRevision !== headRevision) {
      throw new VersionConflictError(streamId, describeExpected(expected), headRevision < 0 ? 'no stream' : String(headRevision));
    }

    const recordedAt = this.clock().toISOString();
    let previousHash = head ? head.hash : GENESIS_HASH;
    const prepared = events.map((event, index) => {
      const content = { ...event, streamId, streamRevision: headRevision + 1 + index, recordedAt };
      previousHash = eventHash(previousHash, content);
      return { ...content, hash: previousHash };
    });
    return this.write(streamId, headRevision, prepared, async (error) => {
      const appended = await this.readStreamBackwards(streamId, events.length);
      const same = this.alreadyAppended(appended, ids);
      if (same) return { streamId, nextExpectedRevision: appended[0].streamRevision, events: same, deduplicated: true };
      throw new VersionConflictError(streamId, describeExpected(expected), describeActual(error));
    });
  }

  /**
   * Appends events recorded in another log exactly as they are (ids, revisions, recorded times,
   * hashes), for moving a log between stores. Refused unless they continue the stream's head and
   * their hashes chain from it.
   */
  async appendRecorded(streamId: string, events: RecordedEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const ids = events.map((event) => event.eventId);
    const tail = await this.readStreamBackwards(streamId, events.length);
    const repeated = this.alreadyAppended(tail, ids);
    if (repeated) return { streamId, nextExpectedRevision: tail[0].streamRevision, events: repeated, deduplicated: true };
    const head = tail[0];
    const headRevision = head ? head.streamRevision : -1;
    const problem = chainProblem(streamId, headRevision, head ? head.hash : GENESIS_HASH, events);
    if (problem) throw new ApplicationError('INTEGRITY.CHAIN_BROKEN', problem, { streamId });
    return this.write(streamId, headRevision, events, async (error) => {
      throw new VersionConflictError(streamId, String(headRevision), describeActual(error));
    });
  }

  /** Appends prepared events after `headRevision` exactly, with our metadata and hash in the event metadata. */
  private async write(
    streamId: string,
    headRevision: number,
    prepared: Omit<RecordedEvent, 'globalPosition' | 'position'>[],
    onConflict: (error: WrongExpectedVersionError) => Promise<AppendResult>,
  ): Promise<AppendResult> {
    const payload = prepared.map((event) => {
      const metadata: StoredMetadata = { ...event.metadata, schemaVersion: event.schemaVersion, recordedAt: event.recordedAt, hash: event.hash };
      return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: metadata as unknown as Record<string, unknown> });
    });
    try {
      // The expected revision is always exact (the head was just read): a concurrent writer makes
      // the server refuse the append rather than chain two heads off one predecessor.
      await this.withRetries(() => this.client.appendToStream(streamId, payload, { streamState: headRevision < 0 ? NO_STREAM : BigInt(headRevision) }));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return onConflict(error);
      throw error;
    }
    const written = await this.readStream(streamId, { fromRevision: headRevision + 1, maxCount: prepared.length });
    return { streamId, nextExpectedRevision: headRevision + prepared.length, events: written, deduplicated: false };
  }

  /** The stream's last events, newest first, when they are exactly these ids (a retried append). */
  private alreadyAppended(newestFirst: RecordedEvent[], ids: string[]): RecordedEvent[] | undefined {
    if (newestFirst.length < ids.length) return undefined;
    const oldestFirst = newestFirst.slice(0, ids.length).reverse();
    return oldestFirst.every((event, index) => event.eventId === ids[index]) ? oldestFirst : undefined;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.withRetries(async () => {
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of this.client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: options.fromRevision === undefined ? START : BigInt(options.fromRevision),
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        })) {
          events.push(this.toRecordedEvent(resolved));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  readStreams(reads: { streamId: string; fromRevision: number }[]): Promise<RecordedEvent[][]> {
    return Promise.all(reads.map((read) => this.readStream(read.streamId, { fromRevision: read.fromRevision })));
  }

  private async readStreamBackwards(streamId: string, maxCount: number): Promise<RecordedEvent[]> {
    return this.withRetries(async () => {
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount })) {
          events.push(this.toRecordedEvent(resolved));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  /**
   * A command's events: KurrentDB has no index on metadata, so the stream the command ran on is
   * read newest first until the command's events are passed.
   */
  async readByCommandId(commandId: string, streamId: string): Promise<RecordedEvent[]> {
    const newestFirst = await this.readStreamBackwards(streamId, Number.MAX_SAFE_INTEGER);
    return newestFirst.filter((event) => event.metadata.commandId === commandId).reverse();
  }

  async readAll(after: LogPosition, maxCount: number): Promise<RecordedEvent[]> {
    const from = comparePositions(after, START_OF_LOG) === 0 ? START : { commit: after.major, prepare: after.minor };
    return this.withRetries(async () => {
      const events: RecordedEvent[] = [];
      // Reading forwards from a position includes the event at it: ask for one more and drop it.
      for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: maxCount + 1, filter: eventTypeFilter({ regex: OUR_EVENT_TYPES }) })) {
        const event = this.toRecordedEvent(resolved);
        if (comparePositions(event.position, after) > 0 && events.length < maxCount) events.push(event);
      }
      return events;
    });
  }

  /** Polls the end of `$all` until it moves, the time is up or the signal aborts; never rejects. */
  async waitForAppends(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const start = await this.lastPosition().catch(() => null);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      await pause(Math.min(this.pollIntervalMs, Math.max(0, deadline - Date.now())), signal);
      const now = await this.lastPosition().catch(() => start);
      if (now && (!start || comparePositions(now, start) > 0)) return;
    }
  }

  async countAfter(after: LogPosition): Promise<number> {
    let count = 0;
    let from = after;
    for (;;) {
      const batch = await this.readAll(from, 5000);
      count += batch.length;
      if (batch.length < 5000) return count;
      from = batch[batch.length - 1].position;
    }
  }

  async lastGlobalPosition(): Promise<bigint | null> {
    return (await this.lastPosition())?.major ?? null;
  }

  private async lastPosition(): Promise<LogPosition | null> {
    return this.withRetries(async () => {
      for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: eventTypeFilter({ regex: OUR_EVENT_TYPES }) })) {
        return this.toRecordedEvent(resolved).position;
      }
      return null;
    });
  }

  /** KurrentDB readers never wait behind an open transaction. */
  async oldestOpenTransactionSeconds(): Promise<null> {
    return null;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
    const event = resolved.event;
    if (!event) throw new Error('a link event without its target: our streams hold no links');
    const stored = event.metadata as unknown as StoredMetadata;
    const { schemaVersion, recordedAt, hash, ...metadata } = stored;
    const position = event.position ? positionOf(event.position) : { major: resolved.commitPosition ?? 0n, minor: resolved.commitPosition ?? 0n };
    return {
      eventId: event.id,
      streamId: event.streamId,
      streamRevision: Number(event.revision),
      globalPosition: position.major,
      position,
      type: event.type,
      schemaVersion,
      data: event.data as Record<string, unknown>,
      metadata,
      recordedAt,
      hash,
    };
  }

  /** Runs `operation`, retrying transient failures with a doubling, jittered pause. */
  private async withRetries<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!isTransient(error) || attempt >= this.maxAttempts) throw error;
        const pause = this.retryDelayMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * (pause / 2)));
      }
    }
  }
}

/** Resolves after `ms`, or at once when the signal aborts; leaves no listener behind. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function describeActual(error: WrongExpectedVersionError): string {
  const actual = error.actualState;
  return typeof actual === 'bigint' ? actual.toString() : String(actual);
}

/** The connection string without a password, for error messages. */
function redact(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
