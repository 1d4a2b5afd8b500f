import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { comparePositions, START_OF_LOG, type LogPosition } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { ProjectionDefinition } from './projection.js';

export interface ReplayVerifyOptions {
  /** Events read and applied per transaction. */
  batchSize: number;
  /** Differing rows reported per table (the count covers them all). */
  maxDifferences: number;
  /** Called after each replayed batch with the events replayed so far for the projection. */
  onProgress: (projection: string, replayed: number) => void;
}

const DEFAULT_OPTIONS: ReplayVerifyOptions = { batchSize: 500, maxDifferences: 5, onProgress: () => undefined };

/** One row that differs: its key, and the row as live and as replayed (null where it is missing). */
export interface RowDifference {
  key: Record<string, unknown>;
  live: Record<string, unknown> | null;
  replayed: Record<string, unknown> | null;
}

export interface TableVerification {
  projection: string;
  table: string;
  liveRows: number;
  replayedRows: number;
  /** md5 over the rows as JSON in key order; equal checksums mean equal tables. */
  liveChecksum: string;
  replayedChecksum: string;
  equal: boolean;
  /** Keys present on one side only or with different rows. */
  differingRows: number;
  /** The first `maxDifferences` of them, in key order. */
  differences: RowDifference[];
}

export interface ProjectionVerification {
  name: string;
  version: number;
  /** The version the live tables were built with (null: never run). */
  liveVersion: number | null;
  /** Where the live view stands; the replay stops there, so both cover the same events. */
  checkpoint: LogPosition | null;
  replayedEvents: number;
  equal: boolean;
  tables: TableVerification[];
}

export interface ReplayVerification {
  equal: boolean;
  /** The scratch schema the replay wrote into; dropped before this returns. */
  scratchSchema: string;
  projections: ProjectionVerification[];
  tables: TableVerification[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Replays every view (every definition with tables) from position 0 into fresh copies of its
 * tables in a scratch schema `replay_<random>`, up to the live view's checkpoint, and compares
 * each copy with the live table by row count and checksum, listing the first differing rows.
 *
 * The handlers write unqualified table names, so each batch runs in a transaction whose
 * `search_path` puts the scratch schema first. While a projection is verified, a session-level
 * advisory lock on its name (the runner's lock) keeps the live runner from moving it; each batch
 * commits on its own, so the verification never holds back the log's readers for long.
 */
export async function verifyReplay(
  pool: pg.Pool,
  store: EventStore,
  definitions: ProjectionDefinition[],
  options: Partial<ReplayVerifyOptions> = {},
): Promise<ReplayVerification> {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const scratch = `replay_${randomBytes(6).toString('hex')}`;
  const views = definitions.filter((definition) => definition.tables.length > 0);
  const client = await pool.connect();
  try {
    const liveSchema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
    await client.query(`CREATE SCHEMA ${quote(scratch)}`);
    const projections: ProjectionVerification[] = [];
    for (const definition of views) {
      projections.push(await verifyOne(client, store, definition, liveSchema, scratch, settings));
    }
    const tables = projections.flatMap((projection) => projection.tables);
    return { equal: projections.every((projection) => projection.equal), scratchSchema: scratch, projections, tables };
  } finally {
    try {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS ${quote(scratch)} CASCADE`);
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : true);
    }
  }
}

async function verifyOne(
  client: pg.PoolClient,
  store: EventStore,
  definition: ProjectionDefinition,
  liveSchema: string,
  scratch: string,
  settings: ReplayVerifyOptions,
): Promise<ProjectionVerification> {
  await client.query(`SELECT pg_advisory_lock(hashtextextended('projection:' || $1, 0))`, [definition.name]);
  try {
    for (const table of definition.tables) {
      await client.query(`CREATE TABLE ${quote(scratch)}.${quote(table)} (LIKE ${quote(liveSchema)}.${quote(table)} INCLUDING ALL)`);
    }
    const stored = await client.query<{ position_major: string; position_minor: string; version: number }>(
      'SELECT position_major, position_minor, version FROM projection_checkpoint WHERE name = $1',
      [definition.name],
    );
    const row = stored.rows[0];
    const checkpoint = row ? { major: BigInt(row.position_major), minor: BigInt(row.position_minor) } : null;

    let replayed = 0;
    let position = START_OF_LOG;
    while (checkpoint) {
      const events = await store.readAll(position, settings.batchSize);
      const upToCheckpoint = events.filter((event) => comparePositions(event.position, checkpoint) <= 0);
      if (upToCheckpoint.length > 0) {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL search_path TO ${quote(scratch)}, ${quote(liveSchema)}`);
          await definition.apply(client, upToCheckpoint);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        replayed += upToCheckpoint.length;
        settings.onProgress(definition.name, replayed);
      }
      if (upToCheckpoint.length < events.length || events.length < settings.batchSize) break;
      position = events[events.length - 1].position;
    }

    const tables: TableVerification[] = [];
    for (const table of definition.tables) {
      tables.push(await compareTable(client, definition.name, table, liveSchema, scratch, settings.maxDifferences));
    }
    return {
      name: definition.name,
      version: definition.version,
      liveVersion: row?.version ?? null,
      checkpoint,
      replayedEvents: replayed,
      equal: tables.every((table) => table.equal),
      tables,
    };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtextextended('projection:' || $1, 0))`, [definition.name]);
  }
}

/** The live table's primary-key columns in key order; empty when it has none. */
async function primaryKey(client: pg.PoolClient, schema: string, table: string): Promise<string[]> {
  const result = await client.query<{ column: string }>(
    `SELECT a.attname AS column
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinal)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary
      ORDER BY k.ordinal`,
    [`${quote(schema)}.${quote(table)}`],
  );
  return result.rows.map((row) => row.column);
}

async function compareTable(
  client: pg.PoolClient,
  projection: string,
  table: string,
  liveSchema: string,
  scratch: string,
  maxDifferences: number,
): Promise<TableVerification> {
  const keyColumns = await primaryKey(client, liveSchema, table);
  // Without a primary key the whole row is its key (duplicates then pair up arbitrarily).
  const keys = keyColumns.length > 0 ? keyColumns.map(quote) : ['row_text'];
  const orderBy = keyColumns.length > 0 ? keys.map((key) => `t.${key}`).join(', ') : 'row_to_json(t)::text';
  const summary = async (schema: string) => {
    const result = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows, md5(coalesce(string_agg(row_to_json(t)::text, '' ORDER BY ${orderBy}), '')) AS checksum
         FROM ${quote(schema)}.${quote(table)} t`,
    );
    return { rows: Number(result.rows[0].rows), checksum: result.rows[0].checksum };
  };
  const live = await summary(liveSchema);
  const replayed = await summary(scratch);

  const side = (schema: string) =>
    `SELECT ${keyColumns.length > 0 ? keys.map((key) => `t.${key}`).join(', ') : 'row_to_json(t)::text AS row_text'},
            row_to_json(t) AS row, row_to_json(t)::text AS text
       FROM ${quote(schema)}.${quote(table)} t`;
  const result = await client.query<{ live: Record<string, unknown> | null; replayed: Record<string, unknown> | null; total: string }>(
    `SELECT l.row AS live, r.row AS replayed, count(*) OVER () AS total
       FROM (${side(liveSchema)}) l
       FULL JOIN (${side(scratch)}) r USING (${keys.join(', ')})
      WHERE l.text IS DISTINCT FROM r.text
      ORDER BY ${keys.join(', ')}
      LIMIT $1`,
    [maxDifferences],
  );
  const differences = result.rows.map((row) => {
    const either = (row.live ?? row.replayed)!;
    const key = Object.fromEntries((keyColumns.length > 0 ? keyColumns : Object.keys(either)).map((column) => [column, either[column]]));
    return { key, live: row.live, replayed: row.replayed };
  });
  const differingRows = result.rows.length > 0 ? Number(result.rows[0].total) : 0;
  return {
    projection,
    table,
    liveRows: live.rows,
    replayedRows: replayed.rows,
    liveChecksum: live.checksum,
    replayedChecksum: replayed.checksum,
    equal: live.rows === replayed.rows && live.checksum === replayed.checksum && differingRows === 0,
    differingRows,
    differences,
  };
}
