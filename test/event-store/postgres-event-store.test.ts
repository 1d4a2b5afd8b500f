import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { CONTRACT_CLOCK, describeEventStoreContract } from '../support/event-store-contract.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  await store.appendToStream('person-p0', 'no_stream', [newEvent()]);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const contractDatabase = await createTestDatabase();
  const contractStore = new PostgresEventStore(contractDatabase.pool, { clock: CONTRACT_CLOCK });
  return {
    store: contractStore,
    async close() {
      await contractStore.close();
      await contractDatabase.drop();
    },
  };
});

describe('PostgreSQL event store: beyond the contract', () => {
  it('refuses to reuse event ids in another stream (the unique event id spans the whole log)', async () => {
    const event = newEvent();
    await store.appendToStream('person-p10', 'no_stream', [event]);
    await expect(store.appendToStream('person-p11', 'no_stream', [event])).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    expect(await store.readStream('person-p11')).toEqual([]);
  });
});

describe('PostgreSQL event store: the log is append-only', () => {
  it.each([
    ['UPDATE', "UPDATE events SET data = '{}'::jsonb"],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('%s on events fails and changes nothing', async (_operation, statement) => {
    const before = await database.pool.query('SELECT count(*)::int AS n, md5(string_agg(data::text, \',\' ORDER BY global_position)) AS digest FROM events');
    await expect(database.pool.query(statement)).rejects.toThrow(/append-only/);
    const after = await database.pool.query('SELECT count(*)::int AS n, md5(string_agg(data::text, \',\' ORDER BY global_position)) AS digest FROM events');
    expect(after.rows[0]).toEqual(before.rows[0]);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });

  it.each(['UPDATE event_seal SET chain_hash = chain_hash', 'DELETE FROM event_seal', 'TRUNCATE event_seal'])(
    'the seal table refuses %s',
    async (statement) => {
      await expect(database.pool.query(statement)).rejects.toThrow(/append-only/);
    },
  );
});
