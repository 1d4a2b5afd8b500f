import type pg from 'pg';
import { PostgresEventStore, PREPARED_LOG_STATEMENTS } from '../../src/event-store/postgres/postgres-event-store.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The store's prepared statements keep the plan made on a connection's first runs until the log's
 * statistics change. Made on a young log (a few dozen events, never analyzed, as a new database
 * is), that plan must still read the log by its keys: a sequential scan in it would be repeated,
 * on an ever larger table, by every later append or read on that connection.
 */
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const HASH = '0'.repeat(64);

/** Parameters of each statement, as SQL literals: the values do not matter to a generic plan, their types do. */
const PARAMETERS: Record<keyof typeof PREPARED_LOG_STATEMENTS, string> = {
  append: `'s-1', '{0}', '{${ZERO_UUID}}', '{c}', '{T}', '{1}', '[{}]', '[{}]', '{2025-01-01T00:00:00Z}', '{2025-01-01}', '{${HASH}}', 3, '${HASH}'`,
  appendMany: `'{s-1}', '{0}', '{${ZERO_UUID}}', '{c}', '{T}', '{1}', '[{}]', '[{}]', '{2025-01-01T00:00:00Z}', '{2025-01-01}', '{${HASH}}', '{s-1}', '{-1}', '{${HASH}}'`,
  readStream: `'s-1', 0, NULL`,
  readStreams: `'{s-1,s-2}', '{0,0}'`,
  readAll: `'0', 0, 100`,
};

let database: TestDatabase;
let client: pg.PoolClient;

beforeAll(async () => {
  database = await createTestDatabase();
  const store = new PostgresEventStore(database.pool);
  for (let stream = 0; stream < 6; stream += 1) {
    await store.appendToStream(`young-${stream}`, 'no_stream', [newEvent(), newEvent(), newEvent(), newEvent(), newEvent()]);
  }
  await store.close();
  client = await database.pool.connect();
  await client.query('SET plan_cache_mode = force_generic_plan');
});
afterAll(async () => {
  client.release();
  await database.drop();
});

describe('PostgreSQL event store: prepared plans made on a young log', () => {
  it.each(Object.keys(PARAMETERS) as (keyof typeof PREPARED_LOG_STATEMENTS)[])('%s reads the log by its keys, not by scanning it', async (key) => {
    const statement = PREPARED_LOG_STATEMENTS[key];
    await client.query(`PREPARE young_${key} AS ${statement.text}`);
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE young_${key}(${PARAMETERS[key]})`);
    const lines = plan.rows.map((row) => row['QUERY PLAN']);
    expect(lines.some((line) => /Index (Only )?Scan/.test(line))).toBe(true);
    expect(lines.filter((line) => /Seq Scan on events/.test(line))).toEqual([]);
  });
});
