import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { START_OF_LOG, type LogPosition, type RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { deepFreeze } from '../shared/deep-freeze.js';
import { pureStatementsOf, type ProjectionDefinition, type SqlStatement } from './projection.js';
import { runStatements } from './statement-batch.js';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Last applied position; null before the first batch. */
  checkpoint: LogPosition | null;
  /** Readable events not yet applied. */
  lag: number;
  /** The last error of the background loop, cleared by the next successful batch. */
  lastError: string | null;
}

export interface ProjectionRunnerOptions {
  batchSize: number;
  /** How long an idle loop waits for a notification before polling again. */
  idleWaitMs: number;
  /**
   * How long a loop lets new events gather after a batch that did not fill up (the projection
   * reached the head of the log) before it reads the next one. Under a steady stream of appends a
   * projection then applies fewer, larger batches, each paying its transaction, its claim and its
   * checkpoint once for more events; after a quiet spell the loop waits for the next notification
   * as before, so an event appended then is applied as soon as it is announced. 0: at once.
   */
  gatherMs: number;
  /** Longest pause after repeated failures. */
  maxBackoffMs: number;
  log: (message: string) => void;
  /**
   * Batches applied at once across all projections. A batch holds a connection for its
   * transaction and borrows a second one to read the log, so the default keeps two connections
   * per batch plus a few for commands and the store's LISTEN within the pool: more loops than the
   * pool can serve would otherwise each hold one connection and wait for another forever.
   */
  concurrentBatches?: number;
}

/** Events read at once when several projections are rebuilt together: large batches, few transactions. */
const REBUILD_BATCH_SIZE = 5_000;

/** Progress of `rebuildAll`: events applied to every projection so far. */
export interface RebuildProgress {
  applied: number;
}

export interface RebuildAllOptions {
  /** Told after each batch; the next batch is applied once what it returns has settled. */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** Transactions open at once (default: what the pool allows while keeping connections for the reads and for others). */
  parallel?: number;
  /** Filled with the milliseconds each projection's transactions took, summed (where the time goes). */
  timings?: Map<string, number>;
  /** Events read and applied at once (default 5,000). */
  batchSize?: number;
  /** Told each dropped index before it is built again at the end. */
  onIndex?: (indexName: string) => void;
}

const DEFAULT_OPTIONS: ProjectionRunnerOptions = {
  batchSize: 500,
  idleWaitMs: 1000,
  gatherMs: 20,
  maxBackoffMs: 30_000,
  log: () => undefined,
};

interface CheckpointRow {
  position_major: string;
  position_minor: string;
  version: number;
}

interface StoredCheckpoint {
  position: LogPosition;
  version: number;
}

function storedCheckpoint(row: CheckpointRow | undefined): StoredCheckpoint | undefined {
  return row && { position: { major: BigInt(row.position_major), minor: BigInt(row.position_minor) }, version: row.version };
}

/**
 * Opens a batch's transaction, whose commit does not wait for its WAL flush: a view and its
 * checkpoint commit or vanish together, and a batch lost in a crash of the server is applied
 * again from the log, which every append flushes before it is acknowledged.
 */
const BEGIN_BATCH = 'BEGIN; SET LOCAL synchronous_commit = off';

/** The checkpoints' write after a batch of `events` applied to each of the projections, and the COMMIT that ends its transaction. */
function checkpointsAndCommit(client: pg.ClientBase, definitions: ProjectionDefinition[], events: RecordedEvent[]): string {
  const last = events[events.length - 1].position;
  const rows = definitions.map((definition) => `(${client.escapeLiteral(definition.name)}, ${last.major}, ${last.minor}, ${Number(definition.version)}, now())`);
  return `INSERT INTO projection_checkpoint (name, position_major, position_minor, version, updated_at)
           VALUES ${rows.join(', ')}
           ON CONFLICT (name) DO UPDATE
             SET position_major = excluded.position_major, position_minor = excluded.position_minor,
                 version = excluded.version, updated_at = excluded.updated_at;
           COMMIT`;
}

/** claim_projection_batch refused the batch: another runner holds the lock (55P03) or moved the checkpoint (55000). */
function isRefusedClaim(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '55P03' || code === '55000';
}

/** Outcome of one batch: how many events were applied, or that another runner holds the projection. */
export type BatchOutcome = { applied: number } | { busy: true };

/** Outcome of one projection's part in a batch applied to several: as `BatchOutcome`, or why its batch failed. */
export type MemberOutcome = BatchOutcome | { error: unknown };

/**
 * Applies each projection's batches with the checkpoint in the same transaction, so a crash
 * between batches loses nothing and applies nothing twice. A transaction-level advisory lock per
 * projection lets only one runner (in any process) apply a batch of it at a time.
 */
export class ProjectionRunner {
  private readonly options: ProjectionRunnerOptions;
  private readonly definitions: Map<string, ProjectionDefinition>;
  private readonly lastErrors = new Map<string, string>();
  /** Where each projection stood when this runner last committed or read its checkpoint (another runner may have moved it since). */
  private readonly knownCheckpoints = new Map<string, StoredCheckpoint>();
  private abort: AbortController | undefined;
  private readonly committedListeners = new Set<(name: string, events: RecordedEvent[]) => void>();
  private loops: Promise<void>[] = [];
  private readonly batchSlots: BatchSlots;
  private readonly logReads: SharedLogReads;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
    definitions: ProjectionDefinition[],
    options: Partial<ProjectionRunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.definitions = new Map(definitions.map((definition) => [definition.name, definition]));
    const poolSize = pool.options.max ?? 10;
    this.batchSlots = new BatchSlots(this.options.concurrentBatches ?? Math.max(1, Math.floor((poolSize - 2) / 2)));
    this.logReads = new SharedLogReads(store);
  }

  get names(): string[] {
    return [...this.definitions.keys()];
  }

  /** The views: projections with tables to empty (not the seal or the process managers). */
  get views(): ProjectionDefinition[] {
    return [...this.definitions.values()].filter((definition) => definition.tables.length > 0);
  }

  get rebuildableNames(): string[] {
    return this.views.map((definition) => definition.name);
  }

  /** Calls `listener` after each batch of a projection has committed; returns the unsubscribe. */
  onCommitted(listener: (name: string, events: RecordedEvent[]) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Applies the next batch of one projection. */
  async runBatch(name: string): Promise<BatchOutcome> {
    const definition = this.definition(name);
    await this.batchSlots.acquire();
    try {
      return await this.applyNextBatch(definition);
    } finally {
      this.batchSlots.release();
    }
  }

  /**
   * The next batch of several projections at once. Those whose checkpoint the runner knows (it
   * committed it or read it last) and finds at the same position share one read of the log and
   * one transaction (see `applyClaimed`); the others, and all of them when that transaction fails,
   * take their batch each on its own, so a projection whose batch fails is told apart and the
   * others go on. Returns each projection's outcome.
   */
  async runBatchTogether(names: string[]): Promise<Map<string, MemberOutcome>> {
    const definitions = names.map((name) => this.definition(name));
    await this.batchSlots.acquire();
    try {
      const outcomes = new Map<string, MemberOutcome>();
      const cohorts = new Map<string, { after: LogPosition; members: ProjectionDefinition[] }>();
      const alone: ProjectionDefinition[] = [];
      for (const definition of definitions) {
        const known = this.knownCheckpoints.get(definition.name);
        if (!known || known.version !== definition.version) {
          alone.push(definition);
          continue;
        }
        const key = `${known.position.major}/${known.position.minor}`;
        const cohort = cohorts.get(key);
        if (cohort) cohort.members.push(definition);
        else cohorts.set(key, { after: known.position, members: [definition] });
      }
      for (const { after, members } of cohorts.values()) {
        // One alone at its position: its own next batch is the same read and claim.
        if (members.length === 1) {
          alone.push(members[0]);
          continue;
        }
        const events = await this.logReads.read(after, this.options.batchSize);
        if (events.length === 0) {
          for (const definition of members) outcomes.set(definition.name, { applied: 0 });
          continue;
        }
        let claimed = false;
        try {
          claimed = await this.applyClaimed(members, after, events);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.options.log(`projections ${members.map((definition) => definition.name).join(', ')}: batch together failed (${message}); each taken on its own`);
        }
        if (claimed) for (const definition of members) outcomes.set(definition.name, { applied: events.length });
        else alone.push(...members);
      }
      for (const definition of alone) {
        try {
          outcomes.set(definition.name, await this.applyNextBatch(definition));
        } catch (error) {
          outcomes.set(definition.name, { error });
        }
      }
      return outcomes;
    } finally {
      this.batchSlots.release();
    }
  }

  /**
   * The next batch. Where the runner knows the projection's checkpoint (it committed it or read it
   * last), it reads the log after it first: nothing there, and the batch is empty without a
   * transaction; otherwise the batch is claimed by claim_projection_batch in its first message
   * (see `applyClaimed`). A claim refused (another runner holds the lock or moved the checkpoint)
   * forgets the checkpoint, and the batch is taken the long way: lock, read, apply.
   */
  private async applyNextBatch(definition: ProjectionDefinition): Promise<BatchOutcome> {
    const known = this.knownCheckpoints.get(definition.name);
    if (known && known.version === definition.version) {
      const events = await this.logReads.read(known.position, this.options.batchSize);
      if (events.length === 0) return { applied: 0 };
      if (await this.applyClaimed([definition], known.position, events)) return { applied: events.length };
    }
    return this.inProjectionTransaction(definition, async (client, checkpoint) => {
      let stored = checkpoint;
      if (stored && stored.version !== definition.version) {
        this.options.log(`projection ${definition.name}: version ${stored.version} → ${definition.version}, rebuilding from zero`);
        await this.reset(client, definition);
        stored = undefined;
      }
      if (stored) this.knownCheckpoints.set(definition.name, stored);
      return this.logReads.read(stored?.position ?? START_OF_LOG, this.options.batchSize);
    });
  }

  /**
   * A batch read after `after`, applied to each of the projections in one transaction, each known
   * to stand at `after` with its version: first the claims of them all (claim_projection_batch),
   * then the batch of each that is not pure (its own statements), and last the pure ones'
   * statements, sent with the checkpoints and the COMMIT. Pure projections only: one message.
   * False when a claim was refused: nothing was applied, and the checkpoints the runner knew are
   * forgotten.
   */
  private async applyClaimed(definitions: ProjectionDefinition[], after: LogPosition, events: RecordedEvent[]): Promise<boolean> {
    const pure: ((events: RecordedEvent[]) => SqlStatement[])[] = [];
    const others: ProjectionDefinition[] = [];
    for (const definition of definitions) {
      const statements = pureStatementsOf(definition);
      if (statements) pure.push(statements);
      else others.push(definition);
    }
    const claimed = await this.onConnection(async (client) => {
      const claims = definitions.map(
        (definition) =>
          `SELECT claim_projection_batch(${client.escapeLiteral(definition.name)}, ${after.major}, ${after.minor}, ${Number(definition.version)})`,
      );
      const first = [BEGIN_BATCH, ...claims].join(';\n');
      const last = checkpointsAndCommit(client, definitions, events);
      try {
        if (others.length === 0) {
          await runStatements(client, pure.flatMap((statements) => statements(events)), { first, last });
          return true;
        }
        await client.query(first);
      } catch (error) {
        if (!isRefusedClaim(error)) throw error;
        await client.query('ROLLBACK');
        return false;
      }
      for (const definition of others) await definition.apply(client, events);
      await runStatements(client, pure.flatMap((statements) => statements(events)), { last });
      return true;
    });
    if (!claimed) {
      for (const definition of definitions) this.knownCheckpoints.delete(definition.name);
      return false;
    }
    for (const definition of definitions) this.committed(definition, events);
    return true;
  }

  /**
   * Runs `work` in a transaction holding the projection's advisory lock (busy: another runner
   * holds it), given the projection's checkpoint as it stands once the lock is held, and applies
   * the events it returns; they move the checkpoint (with the projection's version) in the same
   * transaction, and once committed, the listeners are told. Two round trips in all for a batch of
   * a pure projection: the transaction, the lock and the checkpoint's read go as one message (each
   * statement of it reads the database as it is when it runs, so the checkpoint is read under the
   * lock); the batch's statements, the checkpoint's write and the commit as another. Opened by
   * BEGIN_BATCH (the commit does not wait for its WAL flush).
   */
  private async inProjectionTransaction(
    definition: ProjectionDefinition,
    work: (client: pg.PoolClient, checkpoint: StoredCheckpoint | undefined) => Promise<RecordedEvent[]>,
  ): Promise<BatchOutcome> {
    const applied = await this.onConnection(async (client) => {
      const projection = client.escapeLiteral(definition.name);
      const [, , lock, checkpoint] = (await client.query(
        `${BEGIN_BATCH};
         SELECT pg_try_advisory_xact_lock(hashtextextended('projection:' || ${projection}, 0)) AS locked;
         SELECT position_major, position_minor, version FROM projection_checkpoint WHERE name = ${projection}`,
      )) as unknown as [pg.QueryResult, pg.QueryResult, pg.QueryResult<{ locked: boolean }>, pg.QueryResult<CheckpointRow>];
      if (!lock.rows[0].locked) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const events = await work(client, storedCheckpoint(checkpoint.rows[0]));
      if (events.length === 0) {
        await client.query('COMMIT');
        return events;
      }
      const commit = checkpointsAndCommit(client, [definition], events);
      const statements = pureStatementsOf(definition);
      if (statements) {
        await runStatements(client, statements(events), { last: commit });
      } else {
        await definition.apply(client, events);
        await client.query(commit);
      }
      return events;
    });
    if (!applied) return { busy: true };
    if (applied.length > 0) this.committed(definition, applied);
    return { applied: applied.length };
  }

  /** A batch of the projection committed: its checkpoint is known, the listeners are told. */
  private committed(definition: ProjectionDefinition, events: RecordedEvent[]): void {
    this.knownCheckpoints.set(definition.name, { position: events[events.length - 1].position, version: definition.version });
    for (const listener of this.committedListeners) listener(definition.name, events);
  }

  /** Runs `work` in a transaction on a connection of its own: committed if it returns, rolled back if it throws. */
  private inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.onConnection(async (client) => {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    });
  }

  /** Runs `work` (which opens and ends its transaction) on a connection of its own; a transaction it leaves open on failure is rolled back. */
  private async onConnection<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Applies batches until the projection has read every readable event; returns the count. */
  async catchUp(name: string, onProgress?: (applied: number) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const outcome = await this.runBatch(name);
      if ('busy' in outcome) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (outcome.applied === 0) return total;
      total += outcome.applied;
      onProgress?.(total);
    }
  }

  /** Empties the projection's tables and checkpoint in one transaction, then replays from zero. */
  async rebuild(name: string, onProgress?: (applied: number) => void): Promise<number> {
    await this.emptyUnderLock(this.definition(name));
    return this.catchUp(name, onProgress);
  }

  /**
   * Rebuilds several projections at once: empties each (as `rebuild`), then reads the log once for
   * all of them, in large batches, and applies each batch to every projection side by side, each
   * in its own transaction with its checkpoint (so exactly once, as a batch of `runBatch`). A
   * projection another runner moved meanwhile (its checkpoint is not where this batch starts, or
   * its lock is held) leaves the shared read and catches up on its own at the end. Returns the
   * events applied to each.
   */
  async rebuildAll(names: string[], options: RebuildAllOptions = {}): Promise<number> {
    const definitions = names.map((name) => this.definition(name));
    // Indexes a rebuild that never finished left dropped come back before this one drops them again.
    await this.restoreDeferredIndexes();
    for (const definition of definitions) await this.emptyUnderLock(definition, { deferIndexes: true });
    const poolSize = this.pool.options.max ?? 10;
    const parallel = Math.max(1, Math.min(definitions.length, options.parallel ?? poolSize - 3));
    let together = definitions;
    const alone: string[] = [];
    let position = START_OF_LOG;
    let applied = 0;
    const read = (after: LogPosition) => {
      const reading = this.store.readAll(after, options.batchSize ?? REBUILD_BATCH_SIZE);
      // Awaited below; until then a failure must not count as unhandled.
      reading.catch(() => undefined);
      return reading;
    };
    let next = read(position);
    for (;;) {
      const events = await next;
      if (events.length === 0 || together.length === 0) break;
      const from = position;
      position = events[events.length - 1].position;
      // The next batch is read while this one is applied.
      next = read(position);
      const outcomes = await mapWithLimit(together, parallel, async (definition) => {
        const started = performance.now();
        const outcome = await this.inProjectionTransaction(definition, async (_client, stored) => {
          const at = stored?.position ?? START_OF_LOG;
          const moved = (stored && stored.version !== definition.version) || at.major !== from.major || at.minor !== from.minor;
          return moved ? [] : events;
        });
        options.timings?.set(definition.name, (options.timings.get(definition.name) ?? 0) + performance.now() - started);
        return outcome;
      });
      const left = together.filter((_, index) => {
        const outcome = outcomes[index];
        return 'busy' in outcome || outcome.applied === 0;
      });
      alone.push(...left.map((definition) => definition.name));
      together = together.filter((definition) => !left.includes(definition));
      applied += events.length;
      await options.onProgress?.({ applied });
    }
    for (const name of alone) await this.catchUp(name);
    await this.restoreDeferredIndexes(options.onIndex);
    // Freshly loaded tables: statistics for the planner, before the queries that read them.
    const tables = definitions.flatMap((definition) => definition.tables);
    await this.pool.query(`ANALYZE ${tables.map((table) => `"${table.replace(/"/g, '""')}"`).join(', ')}`);
    return applied;
  }

  /**
   * Creates again the indexes a rebuild dropped while it loaded the views (see `rebuildAll`), one
   * transaction each: the row that recorded it is deleted in the transaction that creates it, so
   * two runners never both create one. `onIndex` is told each index before it is built.
   */
  async restoreDeferredIndexes(onIndex?: (indexName: string) => void): Promise<void> {
    for (let restored = true; restored; ) {
      restored = await this.inTransaction(async (client) => {
        const next = await client.query<{ index_name: string; definition: string }>(
          `DELETE FROM projection_deferred_index
            WHERE index_name = (SELECT index_name FROM projection_deferred_index ORDER BY index_name LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING index_name, definition`,
        );
        if (next.rows.length === 0) return false;
        const { index_name: indexName, definition } = next.rows[0];
        onIndex?.(indexName);
        await client.query(definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
        return true;
      });
    }
  }

  /**
   * Empties the projection's tables and checkpoint in one transaction, waiting for its lock. With
   * `deferIndexes`, also drops the tables' secondary indexes (not unique, backing no constraint:
   * nothing a statement's result depends on), recording them to be created again once loaded —
   * building an index over a loaded table costs a fraction of keeping it up row by row.
   */
  private async emptyUnderLock(definition: ProjectionDefinition, options: { deferIndexes?: boolean } = {}): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('projection:' || $1, 0))`, [definition.name]);
      await this.reset(client, definition);
      if (options.deferIndexes) {
        const deferred = await client.query<{ index_name: string }>(
          `INSERT INTO projection_deferred_index (index_name, table_name, projection, definition)
           SELECT index_class.relname, table_class.relname, $2, pg_get_indexdef(index_class.oid)
             FROM pg_index
             JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid
             JOIN pg_class table_class ON table_class.oid = pg_index.indrelid
            WHERE table_class.relname = ANY($1::text[])
              AND table_class.relnamespace = current_schema()::regnamespace
              AND NOT pg_index.indisunique AND NOT pg_index.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = index_class.oid)
           RETURNING index_name`,
          [definition.tables, definition.name],
        );
        for (const { index_name: indexName } of deferred.rows) await client.query(`DROP INDEX "${indexName.replace(/"/g, '""')}"`);
      }
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const rows = await this.pool.query<{ name: string; position_major: string; position_minor: string; version: number }>(
      'SELECT name, position_major, position_minor, version FROM projection_checkpoint',
    );
    const stored = new Map(rows.rows.map((row) => [row.name, row]));
    return Promise.all(
      this.names.map(async (name) => {
        const row = stored.get(name);
        const checkpoint = row ? { major: BigInt(row.position_major), minor: BigInt(row.position_minor) } : null;
        return {
          name,
          version: this.definition(name).version,
          checkpoint,
          lag: await this.store.countAfter(checkpoint ?? START_OF_LOG),
          lastError: this.lastErrors.get(name) ?? null,
        };
      }),
    );
  }

  /**
   * Runs every projection in the background until `stop()`: the process managers each in a loop
   * of its own, the others in one loop that applies each batch to all of them together.
   */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    // A rebuild that died left its views without their secondary indexes: they come back first.
    const restoring = this.restoreDeferredIndexes((indexName) => this.options.log(`creating index ${indexName} left dropped by an unfinished rebuild`)).catch(
      (error: unknown) => this.options.log(`could not create the indexes an unfinished rebuild dropped: ${error instanceof Error ? error.message : String(error)}`),
    );
    const definitions = [...this.definitions.values()];
    const together = definitions.filter((definition) => !definition.followsAlone).map((definition) => definition.name);
    const alone = definitions.filter((definition) => definition.followsAlone).map((definition) => [definition.name]);
    this.loops = [restoring, ...[together, ...alone].filter((names) => names.length > 0).map((names) => this.follow(names, abort.signal))];
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Applies the projections' batches until `signal` aborts. A projection whose batch failed is
   * left out of the next ones for a pause that doubles with each failure in a row (the others go
   * on); after a batch that did not fill up the loop lets events gather (`gatherMs`), and once
   * nothing is left it waits for the next append.
   */
  private async follow(names: string[], signal: AbortSignal): Promise<void> {
    const failures = new Map<string, number>();
    const retryAt = new Map<string, number>();
    while (!signal.aborted) {
      const now = performance.now();
      const due = names.filter((name) => (retryAt.get(name) ?? 0) <= now);
      if (due.length === 0) {
        await sleep(Math.min(...retryAt.values()) - now, signal);
        continue;
      }
      let outcomes: Map<string, MemberOutcome>;
      try {
        outcomes = await this.runBatchTogether(due);
      } catch (error) {
        outcomes = new Map(due.map((name) => [name, { error }]));
      }
      if (signal.aborted) return;
      let applied = 0;
      for (const [name, outcome] of outcomes) {
        if ('error' in outcome) {
          const failed = (failures.get(name) ?? 0) + 1;
          const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          const pause = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(failed, 10));
          failures.set(name, failed);
          retryAt.set(name, performance.now() + pause);
          this.lastErrors.set(name, message);
          this.options.log(`projection ${name}: batch failed (${message}); retrying in ${pause} ms`);
        } else {
          failures.delete(name);
          retryAt.delete(name);
          this.lastErrors.delete(name);
          if ('applied' in outcome) applied = Math.max(applied, outcome.applied);
        }
      }
      const untilRetry = retryAt.size > 0 ? Math.max(0, Math.min(...retryAt.values()) - performance.now()) : Infinity;
      if (applied === 0) {
        await this.store.waitForAppends(Math.min(this.options.idleWaitMs, untilRetry), signal);
      } else if (applied < this.options.batchSize && this.options.gatherMs > 0) {
        await sleep(Math.min(this.options.gatherMs, untilRetry), signal);
      }
    }
  }

  private async reset(client: pg.PoolClient, definition: ProjectionDefinition): Promise<void> {
    if (definition.tables.length === 0) {
      throw new Error(`${definition.name} keeps no view (it is evidence or a process manager) and cannot be rebuilt`);
    }
    this.knownCheckpoints.delete(definition.name);
    await client.query(`TRUNCATE ${definition.tables.map((table) => `"${table}"`).join(', ')}`);
    await client.query('DELETE FROM projection_checkpoint WHERE name = $1', [definition.name]);
  }

  private definition(name: string): ProjectionDefinition {
    const definition = this.definitions.get(name);
    if (!definition) {
      throw new Error(`unknown projection ${name}; known: ${this.names.join(', ')}`);
    }
    return definition;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** `work` on every item, at most `limit` at a time; the results in the items' order. */
async function mapWithLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The log reads of the projections' batches, shared: projections that follow the log together ask
 * for the same batch from the same position, and one read (and one parse of its rows) serves them
 * all. A read that found events is kept for the next few positions asked; giving it again later
 * is exact, because the log's global order below the readable horizon is final: a read at the
 * same position now returns the same events first, and at most more after them, which the next
 * batch reads. A read that found nothing is not kept (the next one may find events). The events
 * are frozen: every projection gets the same objects.
 */
class SharedLogReads {
  private readonly recent = new Map<string, Promise<RecordedEvent[]>>();

  constructor(
    private readonly store: EventStore,
    private readonly keep = 8,
  ) {}

  read(after: LogPosition, maxCount: number): Promise<RecordedEvent[]> {
    const key = `${after.major}/${after.minor}/${maxCount}`;
    const shared = this.recent.get(key);
    if (shared) return shared;
    const reading = this.store.readAll(after, maxCount).then(
      (events) => {
        if (events.length === 0) this.recent.delete(key);
        return events.map(deepFreeze);
      },
      (error: unknown) => {
        this.recent.delete(key);
        throw error;
      },
    );
    if (this.recent.size >= this.keep) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, reading);
    return reading;
  }
}

/** A counting semaphore: at most `size` holders at once, the rest wait in arrival order. */
class BatchSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}
