import type pg from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { START_OF_LOG, comparePositions, type LogPosition } from '../../src/event-store/event.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const WRITERS = 8;
const ROUNDS = 60;

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: WRITERS + 6 });
  store = new PostgresEventStore(database.pool);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

/** Deterministic pseudo-random numbers, so a failing round can be reproduced. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done` holds, for at most ten seconds. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await pause(20);
  }
}

describe('global order under concurrent writers', () => {
  it(`a follower sees every committed event exactly once and no rolled-back one (${WRITERS} writers × ${ROUNDS} rounds)`, async () => {
    const random = generator(20251121);
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    const seen: string[] = [];
    let followerReads = 0;
    let writing = true;
    let followDeadline = Number.POSITIVE_INFINITY;

    const follow = async () => {
      let checkpoint: LogPosition = START_OF_LOG;
      for (;;) {
        const batch = await store.readAll(checkpoint, 7);
        followerReads += 1;
        for (const event of batch) {
          expect(comparePositions(event.position, checkpoint)).toBe(1);
          checkpoint = event.position;
          seen.push(event.eventId);
        }
        if (batch.length === 0) {
          // Once the writers are done, read on until every committed event has been seen: the
          // horizon is the whole server's, so a transaction elsewhere (an autovacuum's ANALYZE of
          // another test's table) can keep the last ones unreadable for a moment. Events that
          // never come fail the test below, after the deadline.
          if (!writing && (seen.length >= committed.size || Date.now() > followDeadline)) return;
          await pause(1);
        }
      }
    };
    const follower = follow();

    for (let round = 0; round < ROUNDS; round += 1) {
      const clients: pg.PoolClient[] = await Promise.all(Array.from({ length: WRITERS }, () => database.pool.connect()));
      const appended: { client: pg.PoolClient; ids: string[]; commit: boolean }[] = [];
      // Every writer opens a transaction and appends; ids (and global positions) are taken in this order.
      for (let writer = 0; writer < WRITERS; writer += 1) {
        const client = clients[writer];
        await client.query('BEGIN');
        const events = Array.from({ length: 1 + Math.floor(random() * 3) }, () => newEvent());
        await new PostgresEventStore(database.pool, { executor: client }).appendToStream(`stream-${round}-${writer}`, 'no_stream', events);
        appended.push({ client, ids: events.map((event) => event.eventId), commit: random() > 0.25 });
      }
      // ...and they finish in a shuffled order, some rolling back, while the follower keeps reading.
      const order = appended.map((entry) => ({ entry, key: random() })).sort((a, b) => a.key - b.key);
      await Promise.all(
        order.map(async ({ entry }, index) => {
          await pause(index * random() * 2);
          await entry.client.query(entry.commit ? 'COMMIT' : 'ROLLBACK');
          for (const id of entry.ids) (entry.commit ? committed : rolledBack).add(id);
          entry.client.release();
        }),
      );
    }
    followDeadline = Date.now() + 10_000;
    writing = false;
    await follower;

    expect(committed.size).toBeGreaterThan(ROUNDS * WRITERS * 0.5);
    expect(rolledBack.size).toBeGreaterThan(0);
    expect(followerReads).toBeGreaterThan(ROUNDS);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => rolledBack.has(id))).toEqual([]);
    expect(new Set(seen)).toEqual(committed);
  });

  it('does not pass an earlier position whose transaction is still open', async () => {
    const slow = await database.pool.connect();
    // Transactions elsewhere on the server also hold the horizon back: wait until all is readable.
    const everything = async () => store.readAll(START_OF_LOG, 100_000);
    const total = Number((await database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const before = await eventually(everything, (events) => events.length === total);
    const checkpoint = before.length ? before[before.length - 1].position : START_OF_LOG;
    try {
      await slow.query('BEGIN');
      const early = newEvent();
      await new PostgresEventStore(database.pool, { executor: slow }).appendToStream('slow-stream', 'no_stream', [early]);
      const late = newEvent();
      await store.appendToStream('fast-stream', 'no_stream', [late]);

      // The later event is committed, but reading it would let a checkpoint pass the open one.
      expect(await store.readAll(checkpoint, 100)).toEqual([]);
      const oldest = await store.oldestOpenTransactionSeconds();
      expect(oldest).toBeGreaterThanOrEqual(0);

      await slow.query('COMMIT');
      const after = await eventually(() => store.readAll(checkpoint, 100), (events) => events.length >= 2);
      expect(after.map((event) => event.eventId)).toEqual([early.eventId, late.eventId]);
    } finally {
      slow.release();
    }
  });
});
