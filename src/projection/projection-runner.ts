import type pg from 'pg';
import { START_OF_LOG, type LogPosition, type RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { ProjectionDefinition } from './projection.js';

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

const DEFAULT_OPTIONS: ProjectionRunnerOptions = {
  batchSize: 500,
  idleWaitMs: 1000,
  maxBackoffMs: 30_000,
  log: () => undefined,
};

/** Outcome of one batch: how many events were applied, or that another runner holds the projection. */
export type BatchOutcome = { applied: number } | { busy: true };

/**
 * Applies each projection's batches with the checkpoint in the same transaction, so a crash
 * between batches loses nothing and applies nothing twice. A transaction-level advisory lock per
 * projection lets only one runner (in any process) apply a batch of it at a time.
 */
export class ProjectionRunner {
  private readonly options: ProjectionRunnerOptions;
  private readonly definitions: Map<string, ProjectionDefinition>;
  private readonly lastErrors = new Map<string, string>();
  private abort: AbortController | undefined;
  private readonly committedListeners = new Set<(name: string, events: RecordedEvent[]) => void>();
  private loops: Promise<void>[] = [];
  private readonly batchSlots: BatchSlots;

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
      return await this.applyNextBatch(name, definition);
    } finally {
      this.batchSlots.release();
    }
  }

  private async applyNextBatch(name: string, definition: ProjectionDefinition): Promise<BatchOutcome> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('projection:' || $1, 0)) AS locked`,
        [name],
      );
      if (!lock.rows[0].locked) {
        await client.query('ROLLBACK');
        return { busy: true };
      }
      let stored = await this.readCheckpoint(client, name);
      if (stored && stored.version !== definition.version) {
        this.options.log(`projection ${name}: version ${stored.version} → ${definition.version}, rebuilding from zero`);
        await this.reset(client, definition);
        stored = undefined;
      }
      const events = await this.store.readAll(stored?.position ?? START_OF_LOG, this.options.batchSize);
      if (events.length === 0) {
        await client.query('COMMIT');
        return { applied: 0 };
      }
      await definition.apply(client, events);
      const last = events[events.length - 1].position;
      await client.query(
        `INSERT INTO projection_checkpoint (name, position_major, position_minor, version, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (name) DO UPDATE
           SET position_major = excluded.position_major, position_minor = excluded.position_minor,
               version = excluded.version, updated_at = excluded.updated_at`,
        [name, last.major.toString(), last.minor.toString(), definition.version],
      );
      await client.query('COMMIT');
      for (const listener of this.committedListeners) listener(name, events);
      return { applied: events.length };
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
    const definition = this.definition(name);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('projection:' || $1, 0))`, [name]);
      await this.reset(client, definition);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return this.catchUp(name, onProgress);
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

  /** Runs every projection in the background until `stop()`. */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loops = this.names.map((name) => this.follow(name, abort.signal));
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async follow(name: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const outcome = await this.runBatch(name);
        failures = 0;
        this.lastErrors.delete(name);
        if ('busy' in outcome || outcome.applied === 0) {
          await this.store.waitForAppends(this.options.idleWaitMs, signal);
        }
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        const message = error instanceof Error ? error.message : String(error);
        this.lastErrors.set(name, message);
        const pause = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(failures, 10));
        this.options.log(`projection ${name}: batch failed (${message}); retrying in ${pause} ms`);
        await sleep(pause, signal);
      }
    }
  }

  private async readCheckpoint(
    client: pg.PoolClient,
    name: string,
  ): Promise<{ position: LogPosition; version: number } | undefined> {
    const result = await client.query<{ position_major: string; position_minor: string; version: number }>(
      'SELECT position_major, position_minor, version FROM projection_checkpoint WHERE name = $1',
      [name],
    );
    if (result.rows.length === 0) return undefined;
    const row = result.rows[0];
    return { position: { major: BigInt(row.position_major), minor: BigInt(row.position_minor) }, version: row.version };
  }

  private async reset(client: pg.PoolClient, definition: ProjectionDefinition): Promise<void> {
    if (definition.tables.length === 0) {
      throw new Error(`${definition.name} keeps no view (it is evidence or a process manager) and cannot be rebuilt`);
    }
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
