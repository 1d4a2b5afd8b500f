import { START_OF_LOG, type RecordedEvent } from '../../src/event-store/event.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import type { ProjectionDefinition } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

/** A projection that only remembers the events it was given (its checkpoint is the runner's). */
function recorder(name: string): { definition: ProjectionDefinition; seen: RecordedEvent[] } {
  const seen: RecordedEvent[] = [];
  return {
    seen,
    definition: {
      name,
      version: 1,
      tables: [],
      async apply(_transaction, events) {
        seen.push(...events);
      },
    },
  };
}

async function everyEvent(): Promise<string[]> {
  return (await store.readAll(START_OF_LOG, 10_000)).map((event) => event.eventId);
}

describe('projections following the log together', () => {
  it('share one read of each batch, and one that comes later gets every event once, in order, also those appended since', async () => {
    await fillLog(store, 100);
    const reads: string[] = [];
    const readAll = store.readAll.bind(store);
    store.readAll = async (after, maxCount) => {
      const events = await readAll(after, maxCount);
      reads.push(`${after.minor}:${events.length}`);
      return events;
    };
    const first = recorder('first_follower');
    const second = recorder('second_follower');
    const runner = new ProjectionRunner(database.pool, store, [first.definition, second.definition], { batchSize: 30 });

    expect(await runner.catchUp('first_follower')).toBe(100);
    expect(reads).toHaveLength(5); // 30, 30, 30, 10 events, then none
    const [firstEvent] = first.seen;
    expect(Object.isFrozen(firstEvent) && Object.isFrozen(firstEvent.data)).toBe(true);

    // Appended after the first follower's reads: the batch of 10 it was given is a prefix of what is readable now.
    await fillLog(store, 20, 5, '2025Q2');
    reads.length = 0;
    expect(await runner.catchUp('second_follower')).toBe(120);
    // The four batches the first follower read are given again; only the new events and the empty end are read.
    expect(reads.map((read) => read.split(':')[1])).toEqual(['20', '0']);
    expect(second.seen.map((event) => event.eventId)).toEqual(await everyEvent());
    expect(second.seen.slice(0, 100)).toEqual(first.seen);
  });

  it('reads again at a position where the last read found nothing', async () => {
    const follower = recorder('late_follower');
    const runner = new ProjectionRunner(database.pool, store, [follower.definition], { batchSize: 500 });
    await runner.catchUp('late_follower');
    const before = follower.seen.length;
    await fillLog(store, 3, 1, '2025Q3');
    expect(await runner.catchUp('late_follower')).toBe(3);
    expect(follower.seen.map((event) => event.eventId)).toEqual(await everyEvent());
    expect(follower.seen).toHaveLength(before + 3);
  });
});
