import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import { eventHash, GENESIS_HASH } from '../../src/event-store/event-hash.js';
import { ApplicationError, VersionConflictError } from '../../src/shared/errors.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool, { clock: () => new Date('2025-04-08T02:00:00.123Z') });
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('PostgreSQL event store: appends', () => {
  it('appends a new stream from revision 0 with hashes chained through the stream', async () => {
    const events = [newEvent(), newEvent({ type: 'CommentWritten', data: { personId: 'p-1', text: '工作扎实' } })];
    const result = await store.appendToStream('appraisal-org1.p1.2025Q1', 'no_stream', events);

    expect(result.nextExpectedRevision).toBe(1);
    expect(result.deduplicated).toBe(false);
    const stored = await store.readStream('appraisal-org1.p1.2025Q1');
    expect(stored.map((event) => [event.streamRevision, event.type])).toEqual([
      [0, 'ScoreRecorded'],
      [1, 'CommentWritten'],
    ]);
    expect(stored[0].recordedAt).toBe('2025-04-08T02:00:00.123Z');
    expect(stored[0].hash).toBe(eventHash(GENESIS_HASH, stored[0]));
    expect(stored[1].hash).toBe(eventHash(stored[0].hash, stored[1]));
    expect(stored[1].data).toEqual({ personId: 'p-1', text: '工作扎实' });
  });

  it('rejects a wrong expected revision with VERSION_CONFLICT naming both revisions', async () => {
    await store.appendToStream('cycle-org1.2025Q1', 'no_stream', [newEvent()]);
    const attempt = store.appendToStream('cycle-org1.2025Q1', 'no_stream', [newEvent()]);
    await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
    await expect(store.appendToStream('cycle-org1.2025Q1', 5, [newEvent()])).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { streamId: 'cycle-org1.2025Q1', expected: '5', actual: '0' },
    });
    expect(await store.readStream('cycle-org1.2025Q1')).toHaveLength(1);
  });

  it('treats a re-append of the same event ids as a no-op returning the original positions', async () => {
    const events = [newEvent(), newEvent()];
    const first = await store.appendToStream('person-p9', 'no_stream', events);
    const again = await store.appendToStream('person-p9', 'no_stream', events);

    expect(again.deduplicated).toBe(true);
    expect(again.events.map((event) => event.globalPosition)).toEqual(first.events.map((event) => event.globalPosition));
    expect(await store.readStream('person-p9')).toHaveLength(2);
  });

  it('refuses to reuse event ids in another stream or mixed with new ones', async () => {
    const event = newEvent();
    await store.appendToStream('person-p10', 'no_stream', [event]);
    await expect(store.appendToStream('person-p11', 'no_stream', [event])).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    await expect(store.appendToStream('person-p10', 0, [event, newEvent()])).rejects.toBeInstanceOf(ApplicationError);
    expect(await store.readStream('person-p11')).toEqual([]);
  });

  it('finds the events of a command by its id', async () => {
    const event = newEvent();
    await store.appendToStream('person-p12', 'any', [event]);
    const found = await store.readByCommandId(event.metadata.commandId);
    expect(found.map((recorded) => recorded.eventId)).toEqual([event.eventId]);
    expect(await store.readByCommandId('never-seen')).toEqual([]);
  });

  it('reads the global order in batches from a checkpoint', async () => {
    const all = await store.readAll(START_OF_LOG, 1000);
    const firstTwo = await store.readAll(START_OF_LOG, 2);
    const rest = await store.readAll(firstTwo[1].position, 1000);
    expect([...firstTwo, ...rest].map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));
    expect(await store.countAfter(firstTwo[1].position)).toBe(rest.length);
    expect(await store.lastGlobalPosition()).toBe(all[all.length - 1].globalPosition);
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
