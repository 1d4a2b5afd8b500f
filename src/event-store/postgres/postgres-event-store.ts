import type pg from 'pg';
import { ApplicationError, VersionConflictError } from '../../shared/errors.js';
import { chainProblem, eventHash, GENESIS_HASH } from '../event-hash.js';
import type { LogPosition, NewEvent, RecordedEvent } from '../event.js';
import type { AppendResult, EventStore, ExpectedRevision, ReadStreamOptions } from '../event-store.port.js';

// The transaction id travels as text under another name: ORDER BY transaction_id must sort the
// xid8 column, not a text alias of it ('997' > '1002' as text).
const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id_text, stream_id, stream_revision, event_id,
  type, schema_version, data, metadata, recorded_at, hash`;

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
  recorded_at: Date;
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
    recordedAt: row.recorded_at.toISOString(),
    hash: row.hash,
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === constraint;
}

function describeExpected(expected: ExpectedRevision): string {
  return expected === 'no_stream' ? 'no stream' : String(expected);
}

/**
 * The event log in PostgreSQL. Each append is a single INSERT statement (so it is the first and
 * only write of its transaction); stream order is protected by the unique (stream, revision) key.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgresql' as const;
  private listener: pg.PoolClient | undefined;
  private listenerConnecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();

  private readonly db: Pick<pg.Pool, 'query'>;
  private readonly clock: () => Date;

  /**
   * `options.executor` runs the statements instead of the pool, e.g. a client inside a transaction
   * the caller controls; notifications are still listened for on the pool.
   */
  constructor(
    private readonly pool: pg.Pool,
    options: { executor?: Pick<pg.PoolClient, 'query'>; clock?: () => Date } = {},
  ) {
    this.db = (options.executor as Pick<pg.Pool, 'query'> | undefined) ?? pool;
    this.clock = options.clock ?? (() => new Date());
  }

  async appendToStream(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const ids = events.map((event) => event.eventId);
    if (new Set(ids).size !== ids.length) {
      throw new ApplicationError('DUPLICATE_EVENT_ID', `an append to ${streamId} repeats an event id`);
    }
    const earlier = await this.findAppended(streamId, ids);
    if (earlier) return earlier;

    const head = await this.db.query<{ stream_revision: string; hash: string }>(
      'SELECT stream_revision, hash FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1',
      [streamId],
    );
    const headRevision = head.rows.length ? Number(head.rows[0].stream_revision) : -1;
    const expectedRevision = expected === 'no_stream' ? -1 : expected;
    if (expectedRevision !== 'any' && expectedRevision !== headRevision) {
      throw new VersionConflictError(streamId, describeExpected(expected), headRevision < 0 ? 'no stream' : String(headRevision));
    }

    const recordedAt = this.clock().toISOString();
    let previousHash = head.rows.length ? head.rows[0].hash : GENESIS_HASH;
    const prepared = events.map((event, index) => {
      const content = { ...event, streamId, streamRevision: headRevision + 1 + index, recordedAt };
      previousHash = eventHash(previousHash, content);
      return { ...content, hash: previousHash };
    });

    return this.insert(streamId, headRevision, prepared, () => this.afterLostRace(streamId, expected, ids, events));
  }

  /**
   * Appends events recorded in another log exactly as they are (ids, revisions, recorded times,
   * hashes), for moving a log between stores. Refused unless they continue the stream's head and
   * their hashes chain from it.
   */
  async appendRecorded(streamId: string, events: RecordedEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new ApplicationError('EMPTY_APPEND', `nothing to append to stream ${streamId}`);
    const earlier = await this.findAppended(streamId, events.map((event) => event.eventId));
    if (earlier) return earlier;
    const head = await this.db.query<{ stream_revision: string; hash: string }>(
      'SELECT stream_revision, hash FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1',
      [streamId],
    );
    const headRevision = head.rows.length ? Number(head.rows[0].stream_revision) : -1;
    const problem = chainProblem(streamId, headRevision, head.rows.length ? head.rows[0].hash : GENESIS_HASH, events);
    if (problem) throw new ApplicationError('INTEGRITY.CHAIN_BROKEN', problem, { streamId });
    return this.insert(streamId, headRevision, events, async () => {
      throw new VersionConflictError(streamId, String(headRevision), 'a later revision');
    });
  }

  private async insert(
    streamId: string,
    headRevision: number,
    prepared: Omit<RecordedEvent, 'globalPosition' | 'position'>[],
    lostRace: () => Promise<AppendResult>,
  ): Promise<AppendResult> {
    const ids = prepared.map((event) => event.eventId);
    let inserted: pg.QueryResult<{ global_position: string; transaction_id: string; event_id: string }>;
    try {
      inserted = await this.db.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata,
                             recorded_at, effective_at, hash)
         SELECT $1, revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash
           FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[],
                       $9::timestamptz[], $10::date[], $11::text[])
                AS appended(revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash)
          WHERE NOT EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_revision > $12)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING global_position, transaction_id::text AS transaction_id, event_id`,
        [
          streamId,
          prepared.map((event) => event.streamRevision),
          ids,
          prepared.map((event) => event.metadata.commandId),
          prepared.map((event) => event.type),
          prepared.map((event) => event.schemaVersion),
          prepared.map((event) => JSON.stringify(event.data)),
          prepared.map((event) => JSON.stringify(event.metadata)),
          prepared.map((event) => event.recordedAt),
          prepared.map((event) => event.metadata.effectiveAt),
          prepared.map((event) => event.hash),
          headRevision,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'events_stream_revision_unique')) {
        return lostRace();
      }
      throw error;
    }
    if (inserted.rows.length !== prepared.length) return lostRace();

    const byId = new Map(inserted.rows.map((row) => [row.event_id, row]));
    return {
      streamId,
      nextExpectedRevision: headRevision + prepared.length,
      deduplicated: false,
      events: prepared.map((event) => {
        const row = byId.get(event.eventId)!;
        return {
          ...event,
          globalPosition: BigInt(row.global_position),
          position: { major: BigInt(row.transaction_id), minor: BigInt(row.global_position) },
        };
      }),
    };
  }

  /** Another append got there first: either it was this very append (a retry) or a conflict. */
  private async afterLostRace(
    streamId: string,
    expected: ExpectedRevision,
    ids: string[],
    events: NewEvent[],
  ): Promise<AppendResult> {
    const earlier = await this.findAppended(streamId, ids);
    if (earlier) return earlier;
    if (expected === 'any') return this.appendToStream(streamId, expected, events);
    const head = await this.db.query<{ revision: string | null }>(
      'SELECT max(stream_revision) AS revision FROM events WHERE stream_id = $1',
      [streamId],
    );
    throw new VersionConflictError(streamId, describeExpected(expected), head.rows[0].revision ?? 'no stream');
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

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision >= $2
        ORDER BY stream_revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readByCommandId(commandId: string, streamId: string): Promise<RecordedEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE command_id = $1 AND stream_id = $2 ORDER BY stream_revision`,
      [commandId, streamId],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(after: LogPosition, maxCount: number): Promise<RecordedEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND ${READABLE}
        ORDER BY transaction_id, global_position LIMIT $3`,
      [after.major.toString(), after.minor.toString(), maxCount],
    );
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
