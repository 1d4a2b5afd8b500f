import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { EVENT_COLUMNS } from '../../src/event-store/postgres/postgres-event-store.js';
import type { ProjectionRunner } from '../../src/projection/projection-runner.js';

export interface RebuildMeasurement {
  /** Events in the log. */
  events: number;
  /** Reading every event in global order with a cursor, parsing the rows: the limit. */
  rawReadSeconds: number;
  /**
   * Each projection's share: the time its transactions took during the rebuild of all (they run
   * side by side, so these add up to more than the rebuild's time).
   */
  projections: { name: string; seconds: number }[];
  /** All of them, rebuilt together: one read of the log, each batch applied to every view. */
  rebuildSeconds: number;
}

const FETCH = 5_000;

/** Reads the whole log in global order as the runner does (same columns, JSON parsed), counting rows. */
export async function rawSequentialRead(pool: pg.Pool): Promise<{ events: number; seconds: number }> {
  const client = await pool.connect();
  const started = performance.now();
  let events = 0;
  try {
    const rows = client.query(
      new QueryStream(
        `SELECT ${EVENT_COLUMNS} FROM events ORDER BY transaction_id, global_position`,
        [],
        { batchSize: FETCH },
      ),
    );
    for await (const _row of rows) events += 1;
  } finally {
    client.release();
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}

/**
 * Rebuilds every view from zero as `npm run rebuild -- all` does (the runner's rebuildAll: empty
 * the tables and checkpoints, then one read of the log applied to every view) and reads the log
 * raw once, so the two can be compared.
 */
export async function benchRebuild(pool: pg.Pool, projections: ProjectionRunner, onProgress?: (line: string) => void): Promise<RebuildMeasurement> {
  const raw = await rawSequentialRead(pool);
  onProgress?.(`raw read: ${raw.events} events in ${raw.seconds.toFixed(1)} s`);
  const timings = new Map<string, number>();
  const started = performance.now();
  await projections.rebuildAll(projections.rebuildableNames, {
    timings,
    onProgress: ({ applied }) => {
      const seconds = (performance.now() - started) / 1000;
      onProgress?.(`rebuilding all: ${applied.toLocaleString('en-US')}/${raw.events.toLocaleString('en-US')} events, ${Math.round(applied / seconds).toLocaleString('en-US')} events/s`);
    },
  });
  const rebuildSeconds = (performance.now() - started) / 1000;
  const measured = [...timings].map(([name, milliseconds]) => ({ name, seconds: milliseconds / 1000 }));
  return { events: raw.events, rawReadSeconds: raw.seconds, projections: measured, rebuildSeconds };
}
