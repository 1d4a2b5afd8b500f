import type pg from 'pg';
import { ApplicationError, VersionConflictError } from '../../shared/errors.js';
import { canonicalJson, chainProblem, GENESIS_HASH, hashEvent } from '../event-hash.js';
import type { LogPosition, NewEvent, RecordedEvent } from '../event.js';
import type { AppendResult, EventStore, ExpectedRevision, ReadStreamOptions } from '../event-store.port.js';

// The transaction id travels as text under another name: ORDER BY transaction_id must sort the
// xid8 column, not a text alias of it ('997' > '1002' as text).
/**
 * The columns of a recorded event. The recorded time comes as the text `toISOString` gives (UTC,
 * milliseconds, what the hash covers), not as a timestamp the driver parses into a Date: that
 * parse was a large part of reading the log.
 */
export const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id_text, stream_id, stream_revision, event_id,
  type, schema_version, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, hash`;

/** Rows below this horizon belong to finished transactions, so the global order before it is final. */
const READABLE = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;

interface EventRow {
  global_position: string;
  transaction_id_text: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: string;
  hash: string;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: Number(row.stream_revision),
    globalPosition: BigInt(row.global_position),
    position: { major: BigInt(row.transaction_id_text), minor: BigInt(row.global_position) },
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && (pgError.constraint === 'events_stream_revision_unique' || pgError.constraint === 'events_event_id_unique');
}

function describeExpected(expected: ExpectedRevision): string {
  return expected === 'no_stream' ? 'no stream' : String(expected);
}

/** The last event of a stream as far as this store knows: its revision and hash (-1 and genesis: none). */
interface StreamHead {
  revision: number;
  hash: string;
}

const NO_STREAM_HEAD: StreamHead = { revision: -1, hash: GENESIS_HASH };

/** Streams whose head this store remembers, most recently used last. */
const REMEMBERED_HEADS = 10_000;

/**
 * The stream's head as the log has it, beside the head an append was computed from: the last event
 * by the (stream, revision) key, read backwards, one index probe per stream. Written as a lateral
 * read with ORDER BY … LIMIT 1 so that no plan can turn it into a scan of the whole log: prepared
 * statements keep the plan made on their first runs, and on a young log a plain NOT EXISTS became a
 * hashed sequential scan that every later append repeated on the grown table.
 */
const HEAD_STILL_AT = (head: string) => `LEFT JOIN LATERAL (SELECT stream_revision, hash FROM events WHERE events.stream_id = ${head}.stream_id
                                      ORDER BY stream_revision DESC LIMIT 1) AS last ON true
              WHERE CASE WHEN ${head}.revision < 0 THEN last.stream_revision IS NULL
                         ELSE last.stream_revision = ${head}.revision AND last.hash = ${head}.hash END`;

/**
 * The append: one statement, and so one round trip, that inserts the events only if the stream's
 * head is still the one their revisions and hashes were computed from (revision and hash, or no
 * event at all for a new stream); otherwise it inserts nothing. A writer that passes the check at
 * the same time as another collides with it on the unique (stream, revision) key, and an event id
 * already in the log collides on the event id key; either fails the statement as a whole. Prepared
 * once per connection (named), so PostgreSQL parses it once.
 */
const APPEND_STATEMENT = {
  name: 'events_append_v4',
  text: `INSERT INTO events (stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata,
                         recorded_at, effective_at, hash)
     SELECT $1, revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash
       FROM ROWS FROM (unnest($2::bigint[]), unnest($3::uuid[]), unnest($4::text[]), unnest($5::text[]), unnest($6::int[]),
                       jsonb_array_elements($7::jsonb), jsonb_array_elements($8::jsonb), unnest($9::timestamptz[]),
                       unnest($10::date[]), unnest($11::text[]))
            AS appended(revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash)
      WHERE EXISTS (SELECT 1 FROM (SELECT $1::text, $12::bigint, $13::text) AS head(stream_id, revision, hash)
                    ${HEAD_STILL_AT('head')})
     RETURNING global_position, transaction_id::text AS transaction_id, event_id`,
};

/**
 * Several appends to different streams in one statement, each inserted only if its own stream is
 * still at its head; rows go in in the order given, so each stream's events take increasing global
 * positions. An event id already in the log fails the whole statement (unique key), and the appends
 * are then tried one by one, where the single statement tells which one it was.
 */
const APPEND_MANY_STATEMENT = {
  name: 'events_append_many_v3',
  text: `INSERT INTO events (stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata,
                         recorded_at, effective_at, hash)
     SELECT stream_id, revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash
       FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), unnest($3::uuid[]), unnest($4::text[]), unnest($5::text[]),
                       unnest($6::int[]), jsonb_array_elements($7::jsonb), jsonb_array_elements($8::jsonb),
                       unnest($9::timestamptz[]), unnest($10::date[]), unnest($11::text[])) WITH ORDINALITY
            AS appended(stream_id, revision, event_id, command_id, type, schema_version, data, metadata, recorded_at,
                        effective_at, hash, n)
      WHERE appended.stream_id IN (
              SELECT head.stream_id
                FROM unnest($12::text[], $13::bigint[], $14::text[]) AS head(stream_id, revision, hash)
                ${HEAD_STILL_AT('head')})
      ORDER BY appended.n
     RETURNING global_position, transaction_id::text AS transaction_id, event_id, stream_id`,
};

/*
 * The reads the command path and the projections send all the time are prepared once per
 * connection (named), so PostgreSQL parses and plans them once instead of on every call (planning
 * cost it more than running them).
 */
const READ_STREAM_STATEMENT = {
  name: 'events_read_stream_v1',
  text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`,
};

/**
 * Several streams, each from its own revision, by the (stream_id, stream_revision) key as
 * READ_STREAM_STATEMENT reads one: a lateral read per stream, which no plan made on a young log can
 * turn into a hash join over the whole table.
 */
const READ_STREAMS_STATEMENT = {
  name: 'events_read_streams_v2',
  text: `SELECT read.*
           FROM unnest($1::text[], $2::bigint[]) AS wanted(stream_id, from_revision)
           CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM events
                                WHERE events.stream_id = wanted.stream_id AND events.stream_revision >= wanted.from_revision
                                ORDER BY stream_revision) AS read
          ORDER BY read.stream_id, read.stream_revision`,
};

const READ_ALL_STATEMENT = {
  name: 'events_read_all_v1',
  text: `SELECT ${EVENT_COLUMNS} FROM events
          WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND ${READABLE}
          ORDER BY transaction_id, global_position LIMIT $3`,
};

/**
 * The statements the store prepares once per connection. Their plans are made on the log as it is
 * when a connection first runs them and kept while the table grows, so none may rest on the log
 * being small (a test checks their generic plans on a young log).
 */
export const PREPARED_LOG_STATEMENTS = {
  append: APPEND_STATEMENT,
  appendMany: APPEND_MANY_STATEMENT,
  readStream: READ_STREAM_STATEMENT,
  readStreams: READ_STREAMS_STATEMENT,
  readAll: READ_ALL_STATEMENT,
} as const;

/**
 * Small appends from concurrent callers are written together: while a statement of them is on its
 * way, further ones queue, and the next statement takes all that are queued (one per stream, up to
 * `MAX_COALESCED_EVENTS` events). Every commit of the log waits for its WAL flush and, through the
 * notification trigger, for the commits before it (PostgreSQL serializes the commits of notifying
 * transactions), and every statement costs a round trip; so for small appends, fewer statements
 * and commits is what makes them fast (measured: one statement on its way at a time beats two).
 * An append with nothing else waiting goes out at once, alone; so does a large one
 * (`ALONE_FROM_EVENTS` events or more), whose commit is a small part of its cost and which would
 * only hold up the others. Appends in a caller's transaction never join others.
 */
const MAX_APPEND_STATEMENTS = 1;
const MAX_COALESCED_EVENTS = 500;
const ALONE_FROM_EVENTS = 32;

/** A stream read waiting for the next read statement. */
interface QueuedRead {
  streamId: string;
  fromRevision: number;
  resolve(events: RecordedEvent[]): void;
  reject(error: unknown): void;
}

/** Each stream asked for once, from the lowest revision any read asks. */
function lowestRevisions(reads: { streamId: string; fromRevision: number }[]): [streamId: string, fromRevision: number][] {
  const lowest = new Map<string, number>();
  for (const read of reads) lowest.set(read.streamId, Math.min(lowest.get(read.streamId) ?? read.fromRevision, read.fromRevision));
  return [...lowest];
}

/** The events of a stream, read from some revision on, that are at `from` or later. */
function eventsFrom(events: RecordedEvent[], from: number): RecordedEvent[] {
  return events.length > 0 && events[0].streamRevision >= from ? events : events.filter((event) => event.streamRevision >= from);
}

/** An event ready to insert, with the canonical JSON of its data and metadata that its hash covers. */
type PreparedEvent = Omit<RecordedEvent, 'globalPosition' | 'position'> & { dataJson: string; metadataJson: string };

interface InsertedRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id?: string;
}

/** An append waiting for the next statement; resolved with its rows, or undefined when it was not inserted. */
interface QueuedAppend {
  streamId: string;
  head: StreamHead;
  prepared: PreparedEvent[];
  resolve(rows: InsertedRow[] | undefined): void;
  reject(error: unknown): void;
}

/**
 * A PostgreSQL array literal of the values, each element quoted (and its quotes and backslashes
 * escaped), a missing one NULL: what pg makes of a JavaScript array, without its two regular
 * expression replacements per element.
 */
export function arrayLiteral(values: readonly (string | number | null | undefined)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    if (value === null || value === undefined) {
      literal += 'NULL';
    } else {
      const text = String(value);
      literal += text.includes('"') || text.includes('\\') ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
    }
  }
  return `${literal}}`;
}

/** PostgreSQL's type ids of the array elements sent in binary. */
const ELEMENT_TYPE_IDS = { text: 25, int8: 20, int4: 23 } as const;

/** Bytes of the array header: dimensions, null flag, element type, then length and lower bound of the one dimension. */
const ARRAY_HEADER_BYTES = 20;

/**
 * A one-dimensional array in PostgreSQL's binary format (what array_recv reads), a missing value
 * NULL. pg sends a Buffer parameter as it is, in binary, and the server takes each element's bytes
 * as they come, where it scans a text literal character by character for quotes, escapes and
 * delimiters (that scan was a seventh of the server's time for a batched append).
 */
export function binaryArray(type: keyof typeof ELEMENT_TYPE_IDS, values: readonly (string | number | null | undefined)[]): Buffer {
  // At most 3 bytes of UTF-8 per UTF-16 code unit; 8 bytes for an int8, 4 for an int4.
  let capacity = ARRAY_HEADER_BYTES;
  for (const value of values) capacity += 4 + (value === null || value === undefined ? 0 : type === 'text' ? 3 * String(value).length : 8);
  const buffer = Buffer.allocUnsafe(capacity);
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(values.some((value) => value === null || value === undefined) ? 1 : 0, 4);
  buffer.writeInt32BE(ELEMENT_TYPE_IDS[type], 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16);
  let offset = ARRAY_HEADER_BYTES;
  for (const value of values) {
    if (value === null || value === undefined) {
      offset = buffer.writeInt32BE(-1, offset);
    } else if (type === 'text') {
      const length = buffer.write(String(value), offset + 4, 'utf8');
      buffer.writeInt32BE(length, offset);
      offset += 4 + length;
    } else if (type === 'int8') {
      offset = buffer.writeInt32BE(8, offset);
      offset = buffer.writeBigInt64BE(BigInt(value), offset);
    } else {
      if (!Number.isInteger(value)) throw new RangeError(`an int4 array element must be a whole number, got ${value}`);
      offset = buffer.writeInt32BE(4, offset);
      offset = buffer.writeInt32BE(Number(value), offset);
    }
  }
  return buffer.subarray(0, offset);
}

/**
 * The statements' per-event arrays, the stream id of each event first; data and metadata go as one
 * JSON array each (cheaper to send and to read than arrays of JSON texts), made of the canonical
 * JSON the events' hashes covered.
 */
function appendValues(prepared: PreparedEvent[]): unknown[] {
  return [
    binaryArray('text', prepared.map((event) => event.streamId)),
    binaryArray('int8', prepared.map((event) => event.streamRevision)),
    arrayLiteral(prepared.map((event) => event.eventId)),
    binaryArray('text', prepared.map((event) => event.metadata.commandId)),
    binaryArray('text', prepared.map((event) => event.type)),
    binaryArray('int4', prepared.map((event) => event.schemaVersion)),
    `[${prepared.map((event) => event.dataJson).join(',')}]`,
    `[${prepared.map((event) => event.metadataJson).join(',')}]`,
    arrayLiteral(prepared.map((event) => event.recordedAt)),
    arrayLiteral(prepared.map((event) => event.metadata.effectiveAt)),
    binaryArray('text', prepared.map((event) => event.hash)),
  ];
}

/**
 * The event log in PostgreSQL. Each append is part of a single INSERT statement (so it is the first
 * and only write of its transaction, which may hold concurrent appends to other streams); stream
 * order is protected by the unique (stream, revision) key.
 *
 * An append costs one round trip when the store knows the stream's head: a new stream (expected
 * `no_stream`), or a stream whose head it appended or read last. The head it remembers is only a
 * guess, checked by the INSERT itself: a stale one (another process appended, a transaction rolled
 * back) makes it insert nothing, and the append then reads the head and decides as before.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgresql' as const;
  private listener: pg.PoolClient | undefined;
  private listenerConnecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly heads = new Map<string, StreamHead>();
  private queued: QueuedAppend[] = [];
  private appendStatements = 0;
  private readonly streamsBeingAppended = new Set<string>();
  private queuedReads: QueuedRead[] = [];

  private readonly db: Pick<pg.Pool, 'query'>;
  /** Appends run in the caller's transaction, one statement each, never with others. */
  private readonly inCallersTransaction: boolean;
  private readonly clock: () => Date;

  /**
   * `options.executor` runs the statements instead of the pool, e.g. a client inside a transaction
   * the caller controls (an append the log's unique keys refuse then aborts that transaction);
   * notifications are still listened for on the pool.
   */
  constructor(
    private readonly pool: pg.Pool,
    options: { executor?: Pick<pg.PoolClient, 'query'>; clock?: () => Date } = {},
  ) {
    this.db = (options.executor as Pick<pg.Pool, 'query'> | undefined) ?? pool;
    this.inCallersTransaction = options.executor !== undefined;
    this.clock = options.clock ?? (() => new Date());
  }

  async appendToStream(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const ids = events.map((event) => event.eventId);
    if (new Set(ids).size !== ids.length) {
      throw new ApplicationError('DUPLICATE_EVENT_ID', `an append to ${streamId} repeats an event id`);
    }
    let head: StreamHead;
    if (expected === 'no_stream') {
      head = NO_STREAM_HEAD;
    } else {
      const remembered = this.heads.get(streamId);
      head = remembered && remembered.revision === expected ? remembered : await this.readHead(streamId);
      if (expected !== 'any' && head.revision !== expected) return this.refuse(streamId, expected, ids);
    }
    return this.appendAfter(streamId, expected, head, events, ids, false);
  }

  /** Hashes the events onto `head` and inserts them; `fresh` when the head was just read from the log. */
  private async appendAfter(
    streamId: string,
    expected: ExpectedRevision,
    head: StreamHead,
    events: NewEvent[],
    ids: string[],
    fresh: boolean,
  ): Promise<AppendResult> {
    const recordedAt = this.clock().toISOString();
    let previousHash = head.hash;
    const prepared = events.map((event, index): PreparedEvent => {
      const content: PreparedEvent = {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        streamId,
        streamRevision: head.revision + 1 + index,
        recordedAt,
        hash: '',
        dataJson: '',
        metadataJson: '',
      };
      const hashed = hashEvent(previousHash, content);
      content.hash = previousHash = hashed.hash;
      content.dataJson = hashed.dataJson;
      content.metadataJson = hashed.metadataJson;
      return content;
    });
    const appended = await this.insert(streamId, head, prepared);
    if (appended) return appended;

    // Nothing was inserted: a retry of this very append, a conflict, or a head remembered wrongly.
    const earlier = await this.findAppended(streamId, ids);
    if (earlier) return earlier;
    const actual = await this.readHead(streamId);
    if (expected === 'any' || (!fresh && actual.revision === head.revision)) {
      return this.appendAfter(streamId, expected, actual, events, ids, true);
    }
    throw new VersionConflictError(streamId, describeExpected(expected), actual.revision < 0 ? 'no stream' : String(actual.revision));
  }

  /** The stream is not at the expected revision: the append was made before, or it conflicts. */
  private async refuse(streamId: string, expected: ExpectedRevision, ids: string[]): Promise<AppendResult> {
    const earlier = await this.findAppended(streamId, ids);
    if (earlier) return earlier;
    const actual = await this.readHead(streamId);
    throw new VersionConflictError(streamId, describeExpected(expected), actual.revision < 0 ? 'no stream' : String(actual.revision));
  }

  /** The stream's last event in the log, remembered for the next append. */
  private async readHead(streamId: string): Promise<StreamHead> {
    const result = await this.db.query<{ stream_revision: string; hash: string }>(
      'SELECT stream_revision, hash FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1',
      [streamId],
    );
    if (result.rows.length === 0) return NO_STREAM_HEAD;
    const head = { revision: Number(result.rows[0].stream_revision), hash: result.rows[0].hash };
    this.remember(streamId, head);
    return head;
  }

  private remember(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  /**
   * Appends events recorded in another log exactly as they are (ids, revisions, recorded times,
   * hashes), for moving a log between stores. Refused unless they continue the stream's head and
   * their hashes chain from it.
   */
  async appendRecorded(streamId: string, events: RecordedEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const ids = events.map((event) => event.eventId);
    const earlier = await this.findAppended(streamId, ids);
    if (earlier) return earlier;
    const head = await this.readHead(streamId);
    const problem = chainProblem(streamId, head.revision, head.hash, events);
    if (problem) throw new ApplicationError('INTEGRITY.CHAIN_BROKEN', problem, { streamId });
    const prepared = events.map((event): PreparedEvent => ({ ...event, dataJson: canonicalJson(event.data), metadataJson: canonicalJson(event.metadata) }));
    const appended = await this.insert(streamId, head, prepared);
    if (appended) return appended;
    const again = await this.findAppended(streamId, ids);
    if (again) return again;
    throw new VersionConflictError(streamId, String(head.revision), 'a later revision');
  }

  /** Inserts the events if the stream is still at `head`; undefined when it inserted nothing. */
  private async insert(streamId: string, head: StreamHead, prepared: PreparedEvent[]): Promise<AppendResult | undefined> {
    const alone = this.inCallersTransaction || prepared.length >= ALONE_FROM_EVENTS;
    const rows = alone
      ? await this.insertAlone(streamId, head, prepared)
      : await new Promise<InsertedRow[] | undefined>((resolve, reject) => {
          this.queued.push({ streamId, head, prepared, resolve, reject });
          this.sendQueued();
        });
    if (!rows) return undefined;

    const last = prepared[prepared.length - 1];
    this.remember(streamId, { revision: last.streamRevision, hash: last.hash });
    const byId = new Map(rows.map((row) => [row.event_id, row]));
    return {
      streamId,
      nextExpectedRevision: last.streamRevision,
      deduplicated: false,
      events: prepared.map((event): RecordedEvent => {
        const row = byId.get(event.eventId)!;
        const globalPosition = BigInt(row.global_position);
        return {
          eventId: event.eventId,
          streamId: event.streamId,
          streamRevision: event.streamRevision,
          globalPosition,
          position: { major: BigInt(row.transaction_id), minor: globalPosition },
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          recordedAt: event.recordedAt,
          hash: event.hash,
        };
      }),
    };
  }

  /** One append, one statement. */
  private async insertAlone(streamId: string, head: StreamHead, prepared: PreparedEvent[]): Promise<InsertedRow[] | undefined> {
    let inserted: pg.QueryResult<InsertedRow>;
    try {
      inserted = await this.db.query({
        ...APPEND_STATEMENT,
        values: [streamId, ...appendValues(prepared).slice(1), head.revision, head.hash],
      });
    } catch (error) {
      // Another writer passed the same check at the same time and committed first.
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    if (inserted.rows.length === 0) return undefined;
    if (inserted.rows.length !== prepared.length) {
      throw new Error(`append to ${streamId} inserted ${inserted.rows.length} of ${prepared.length} events`);
    }
    return inserted.rows;
  }

  /** Starts statements for the queued appends while fewer than MAX_APPEND_STATEMENTS are on their way. */
  private sendQueued(): void {
    while (this.appendStatements < MAX_APPEND_STATEMENTS && this.queued.length > 0) {
      const group: QueuedAppend[] = [];
      const waiting: QueuedAppend[] = [];
      let events = 0;
      for (const append of this.queued) {
        // A stream's next append waits for its previous one: it was computed from the same head.
        const free = !this.streamsBeingAppended.has(append.streamId);
        if (free && (group.length === 0 || events + append.prepared.length <= MAX_COALESCED_EVENTS)) {
          group.push(append);
          this.streamsBeingAppended.add(append.streamId);
          events += append.prepared.length;
        } else {
          waiting.push(append);
        }
      }
      this.queued = waiting;
      if (group.length === 0) return;
      this.appendStatements += 1;
      void this.send(group).finally(() => {
        this.appendStatements -= 1;
        for (const append of group) this.streamsBeingAppended.delete(append.streamId);
        // On the next turn, when the callers that just had their results have queued their next appends.
        setImmediate(() => this.sendQueued());
      });
    }
  }

  private async send(group: QueuedAppend[]): Promise<void> {
    const alone = (append: QueuedAppend) =>
      this.insertAlone(append.streamId, append.head, append.prepared).then(append.resolve, append.reject);
    if (group.length === 1) return alone(group[0]);

    let rows: InsertedRow[];
    try {
      const result = await this.db.query<InsertedRow>({
        ...APPEND_MANY_STATEMENT,
        values: [
          ...appendValues(group.flatMap((append) => append.prepared)),
          group.map((append) => append.streamId),
          group.map((append) => append.head.revision),
          group.map((append) => append.head.hash),
        ],
      });
      rows = result.rows;
    } catch {
      // A race with another process, a deadlock with one, an event the table refuses: whatever it
      // was, it must not become the other appends' failure. Each is tried again on its own.
      await Promise.all(group.map(alone));
      return;
    }
    const byStream = new Map<string, InsertedRow[]>();
    for (const row of rows) {
      const streamRows = byStream.get(row.stream_id!) ?? [];
      streamRows.push(row);
      byStream.set(row.stream_id!, streamRows);
    }
    for (const append of group) {
      const streamRows = byStream.get(append.streamId) ?? [];
      if (streamRows.length === 0) append.resolve(undefined);
      else if (streamRows.length === append.prepared.length) append.resolve(streamRows);
      else append.reject(new Error(`append to ${append.streamId} inserted ${streamRows.length} of ${append.prepared.length} events`));
    }
  }

  /** The original result of an append whose event ids are all in the log already. */
  private async findAppended(streamId: string, ids: string[]): Promise<AppendResult | undefined> {
    const found = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY stream_revision`,
      [ids],
    );
    if (found.rows.length === 0) return undefined;
    const mismatch =
      found.rows.length !== ids.length ||
      found.rows.some((row) => row.stream_id !== streamId) ||
      found.rows.some((row, index) => row.event_id !== ids[index]);
    if (mismatch) {
      throw new ApplicationError(
        'IDEMPOTENCY_MISMATCH',
        `an append to ${streamId} reuses event ids already stored with other content or in another stream`,
        { streamId },
      );
    }
    const recorded = found.rows.map(toRecordedEvent);
    return {
      streamId,
      nextExpectedRevision: recorded[recorded.length - 1].streamRevision,
      deduplicated: true,
      events: recorded,
    };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.selectStream(streamId, options);
  }

  private async selectStream(streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    if (options.maxCount === undefined && !this.inCallersTransaction) return this.queueRead(streamId, options.fromRevision ?? 0);
    const result = await this.db.query<EventRow>({
      ...READ_STREAM_STATEMENT,
      values: [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    });
    const events = result.rows.map(toRecordedEvent);
    // The command path reads a stream and then appends to it: its head is the last event read.
    const last = events[events.length - 1];
    if (last) this.remember(streamId, { revision: last.streamRevision, hash: last.hash });
    return events;
  }

  async readStreams(reads: { streamId: string; fromRevision: number }[]): Promise<RecordedEvent[][]> {
    if (reads.length === 0) return [];
    if (this.inCallersTransaction) {
      const byStream = await this.selectStreams(lowestRevisions(reads));
      return reads.map((read) => eventsFrom(byStream.get(read.streamId)!, read.fromRevision));
    }
    return Promise.all(reads.map((read) => this.queueRead(read.streamId, read.fromRevision)));
  }

  /** A stream read to its end, sent with the other reads asked for in the same turn of the event loop. */
  private queueRead(streamId: string, from: number): Promise<RecordedEvent[]> {
    return new Promise((resolve, reject) => {
      this.queuedReads.push({ streamId, fromRevision: from, resolve, reject });
      if (this.queuedReads.length === 1) setImmediate(() => void this.sendQueuedReads());
    });
  }

  /**
   * The queued reads in one statement. Each sees every event committed before it was asked for
   * (the statement starts after), as a statement of its own would. A stream asked for twice is read
   * once, from the lower revision; each later asker gets its own copies of the events.
   */
  private async sendQueuedReads(): Promise<void> {
    const reads = this.queuedReads;
    this.queuedReads = [];
    let byStream: Map<string, RecordedEvent[]>;
    try {
      byStream = await this.selectStreams(lowestRevisions(reads));
    } catch (error) {
      for (const read of reads) read.reject(error);
      return;
    }
    const answered = new Set<string>();
    for (const read of reads) {
      const events = eventsFrom(byStream.get(read.streamId)!, read.fromRevision);
      read.resolve(answered.has(read.streamId) ? structuredClone(events) : events);
      answered.add(read.streamId);
    }
  }

  /** Distinct streams, each from its revision to its end, in one statement; remembers each head read. */
  private async selectStreams(reads: [streamId: string, fromRevision: number][]): Promise<Map<string, RecordedEvent[]>> {
    const result =
      reads.length === 1
        ? await this.db.query<EventRow>({ ...READ_STREAM_STATEMENT, values: [reads[0][0], reads[0][1], null] })
        : await this.db.query<EventRow>({
            ...READ_STREAMS_STATEMENT,
            values: [reads.map(([streamId]) => streamId), reads.map(([, from]) => from)],
          });
    const byStream = new Map<string, RecordedEvent[]>(reads.map(([streamId]) => [streamId, []]));
    for (const row of result.rows) {
      const event = toRecordedEvent(row);
      byStream.get(event.streamId)!.push(event);
    }
    // The command path reads a stream and then appends to it: its head is the last event read.
    for (const [streamId, events] of byStream) {
      const last = events[events.length - 1];
      if (last) this.remember(streamId, { revision: last.streamRevision, hash: last.hash });
    }
    return byStream;
  }

  async readByCommandId(commandId: string, streamId: string): Promise<RecordedEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE command_id = $1 AND stream_id = $2 ORDER BY stream_revision`,
      [commandId, streamId],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(after: LogPosition, maxCount: number): Promise<RecordedEvent[]> {
    const result = await this.db.query<EventRow>({
      ...READ_ALL_STATEMENT,
      values: [after.major.toString(), after.minor.toString(), maxCount],
    });
    return result.rows.map(toRecordedEvent);
  }

  async countAfter(after: LogPosition): Promise<number> {
    const result = await this.db.query<{ count: string }>(
      `SELECT count(*) AS count FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND ${READABLE}`,
      [after.major.toString(), after.minor.toString()],
    );
    return Number(result.rows[0].count);
  }

  async lastGlobalPosition(): Promise<bigint | null> {
    const result = await this.db.query<{ position: string | null }>(
      'SELECT max(global_position) AS position FROM events',
    );
    return result.rows[0].position === null ? null : BigInt(result.rows[0].position);
  }

  /** Age of the oldest transaction holding an id: readers cannot pass it until it ends. */
  async oldestOpenTransactionSeconds(): Promise<number> {
    const result = await this.db.query<{ seconds: number | null }>(
      `SELECT extract(epoch FROM now() - min(xact_start))::float8 AS seconds
         FROM pg_stat_activity WHERE backend_xid IS NOT NULL`,
    );
    return result.rows[0].seconds ?? 0;
  }

  waitForAppends(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      if (signal?.aborted) return finish();
      signal?.addEventListener('abort', finish);
      this.waiters.add(finish);
      this.ensureListening().catch(() => undefined);
    });
  }

  private ensureListening(): Promise<void> {
    if (this.listener) return Promise.resolve();
    this.listenerConnecting ??= (async () => {
      try {
        const client = await this.pool.connect();
        client.on('notification', () => this.wakeWaiters());
        client.on('error', () => {
          client.release(true);
          this.listener = undefined;
        });
        await client.query('LISTEN events_appended');
        this.listener = client;
        // An append committed while this connection was opening was announced to no one: whoever
        // waits looks at the log again.
        this.wakeWaiters();
      } finally {
        this.listenerConnecting = undefined;
      }
    })();
    return this.listenerConnecting;
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  async close(): Promise<void> {
    this.wakeWaiters();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.query('UNLISTEN *').catch(() => undefined);
      listener.release();
    }
  }
}
