import { performance } from 'node:perf_hooks';
import type { RecordedEvent } from '../../src/event-store/event.js';
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

/** A projection that records each batch it is given and when (its checkpoint is the runner's). */
function batchRecorder(name: string): { definition: ProjectionDefinition; batches: RecordedEvent[][]; appliedAt: number[] } {
  const batches: RecordedEvent[][] = [];
  const appliedAt: number[] = [];
  return {
    batches,
    appliedAt,
    definition: {
      name,
      version: 1,
      tables: [],
      async apply(_transaction, events) {
        batches.push(events);
        appliedAt.push(performance.now());
      },
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the projection');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a projection loop at the head of the log', () => {
  // Every bound below holds however slow the machine is: a loop that waits out the gathering time
  // reads after it, so it finds every event appended before then, and never reads sooner.
  it('lets events appended right after a batch gather into one batch, and applies an event after a quiet spell at once', async () => {
    const gatherMs = 2_000;
    const follower = batchRecorder('gathering_follower');
    // Polling every 200 ms as well: an append made while the store's LISTEN connection is still opening is not announced.
    const runner = new ProjectionRunner(database.pool, store, [follower.definition], { batchSize: 500, gatherMs, idleWaitMs: 200 });
    runner.start();
    try {
      await fillLog(store, 1, 1, '2025Q1');
      await until(() => follower.batches.length === 1);
      const gatheringEnds = follower.appliedAt[0] + gatherMs;

      // Eight appends one after another, each announced on its own.
      const appendedAt: number[] = [];
      for (let index = 0; index < 8; index += 1) {
        await fillLog(store, 1, 1, `2025Q${(index % 3) + 2}-${index}`);
        appendedAt.push(performance.now());
      }
      await until(() => follower.batches.flat().length === 9);
      // Timers may fire up to a millisecond before performance.now() says the time has come.
      expect(follower.appliedAt[1]).toBeGreaterThanOrEqual(gatheringEnds - 1);
      const appendedWhileGathering = appendedAt.filter((time) => time < gatheringEnds).length;
      expect(follower.batches[1].length).toBeGreaterThanOrEqual(appendedWhileGathering);

      // Quiet for longer than the gathering time: the loop waits for the next announcement, and
      // takes it without gathering first.
      await sleep(gatherMs + 500);
      const batchesBefore = follower.batches.length;
      const appended = performance.now();
      await fillLog(store, 1, 1, '2026Q1');
      await until(() => follower.batches.flat().length === 10);
      expect(follower.batches.length).toBe(batchesBefore + 1);
      expect(follower.appliedAt[batchesBefore] - appended).toBeLessThan(gatherMs / 2);
    } finally {
      await runner.stop();
    }
  });

  it('takes the next batch at once with gathering off', async () => {
    const follower = batchRecorder('eager_follower');
    const runner = new ProjectionRunner(database.pool, store, [follower.definition], { batchSize: 500, gatherMs: 0, idleWaitMs: 200 });
    runner.start();
    try {
      await until(() => follower.batches.length >= 1); // everything appended before it started
      const before = follower.batches.length;
      for (let index = 0; index < 4; index += 1) {
        await fillLog(store, 1, 1, `2027Q${index + 1}`);
        await sleep(400);
      }
      await until(() => follower.batches.length - before >= 4);
      expect(follower.batches.slice(before).map((batch) => batch.length)).toEqual([1, 1, 1, 1]);
    } finally {
      await runner.stop();
    }
  });
});
