import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { ProjectionRunner } from '../../src/projection/projection-runner.js';

export interface RebuildMeasurement {
  /** Events in the log. */
  events: number;
  /** Reading every event in global order with a cursor, parsing the rows: the limit. */
  rawReadSeconds: number;
  /** Each projection rebuilt from zero, one after the other. */
  projections: { name: string; seconds: number }[];
  /** All of them. */
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
        `SELECT global_position, transaction_id::text AS transaction_id_text, stream_id, stream_revision, event_id, type, schema_version,
                data, metadata, recorded_at, hash
           FROM events ORDER BY transaction_id, global_position`,
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
 * Rebuilds every view from zero (the runner's own rebuild: empty the tables and the checkpoint,
 * then replay in batches) and reads the log raw once, so the two can be compared.
 */
export async function benchRebuild(pool: pg.Pool, projections: ProjectionRunner, onProgress?: (line: string) => void): Promise<RebuildMeasurement> {
  const raw = await rawSequentialRead(pool);
  onProgress?.(`raw read: ${raw.events} events in ${raw.seconds.toFixed(1)} s`);
  const measured: RebuildMeasurement['projections'] = [];
  const started = performance.now();
  for (const name of projections.rebuildableNames) {
    const began = performance.now();
    await projections.rebuild(name, (applied) => onProgress?.(`rebuilding ${name}: ${applied}/${raw.events}`));
    measured.push({ name, seconds: (performance.now() - began) / 1000 });
  }
  return { events: raw.events, rawReadSeconds: raw.seconds, projections: measured, rebuildSeconds: (performance.now() - started) / 1000 };
}
