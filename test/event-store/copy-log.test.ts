import { copyLog, verifyCopy } from '../../src/event-store/copy-log.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import { KurrentDbEventStore } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { sealingProjection, SEALING_PROJECTION } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '../support/kurrentdb-test-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Moving the log PostgreSQL → KurrentDB → PostgreSQL: same ids, order and hashes, verified. */
const EVENTS = 60;

let origin: TestDatabase;
let destination: TestDatabase;
let server: KurrentDbTestServer;
let postgres: PostgresEventStore;
let kurrent: KurrentDbEventStore;
let back: PostgresEventStore;

beforeAll(async () => {
  [origin, destination] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  server = await startKurrentDbTestServer();
  postgres = new PostgresEventStore(origin.pool);
  kurrent = new KurrentDbEventStore(server.connectionString);
  back = new PostgresEventStore(destination.pool);
  await fillLog(postgres, EVENTS, 7);
});

afterAll(async () => {
  await Promise.all([postgres.close(), kurrent.close(), back.close()]);
  await server.close();
  await Promise.all([origin.drop(), destination.drop()]);
});

describe('copying the log between stores', () => {
  it('copies PostgreSQL to KurrentDB keeping ids, revisions, recorded times, hashes and the global order', async () => {
    const progress: number[] = [];
    expect(await copyLog(postgres, kurrent, { batchSize: 16, onProgress: (done) => progress.push(done) })).toEqual({ copied: EVENTS, alreadyThere: 0 });
    expect(progress.at(-1)).toBe(EVENTS);
    const verification = await verifyCopy(postgres, kurrent, { batchSize: 16 });
    expect(verification).toMatchObject({ equal: true, compared: EVENTS, difference: null });
    expect(verification.targetChain).toBe(verification.sourceChain);
    expect(server.allEvents().map((event) => event.id)).toEqual((await postgres.readAll(START_OF_LOG, 1000)).map((event) => event.eventId));
  });

  it('runs again without copying anything twice', async () => {
    expect(await copyLog(postgres, kurrent)).toEqual({ copied: 0, alreadyThere: EVENTS });
    expect(server.allEvents()).toHaveLength(EVENTS);
  });

  it('copies back from KurrentDB to a fresh PostgreSQL, where the seal and verify pass', async () => {
    await copyLog(kurrent, back, { batchSize: 25 });
    expect(await verifyCopy(kurrent, back)).toMatchObject({ equal: true, compared: EVENTS });
    expect(await verifyCopy(postgres, back)).toMatchObject({ equal: true, compared: EVENTS });
    await new ProjectionRunner(destination.pool, back, [sealingProjection]).catchUp(SEALING_PROJECTION);
    expect(await verifyIntegrity(back, destination.pool)).toMatchObject({ ok: true, checkedEvents: EVENTS, sealedEvents: EVENTS });
  });

  it('finishes a copy that was cut off part-way', async () => {
    const partial = await createTestDatabase();
    const target = new PostgresEventStore(partial.pool);
    try {
      const firstRun = new PostgresEventStore(partial.pool);
      const cutOff = { ...postgres, readAll: async (after: typeof START_OF_LOG, max: number) => (after === START_OF_LOG ? postgres.readAll(after, Math.min(max, 23)) : []) };
      await copyLog(cutOff as unknown as PostgresEventStore, firstRun, { batchSize: 50 });
      expect((await target.readAll(START_OF_LOG, 1000)).length).toBe(23);
      expect(await copyLog(postgres, target, { batchSize: 10 })).toEqual({ copied: EVENTS - 23, alreadyThere: 23 });
      expect(await verifyCopy(postgres, target)).toMatchObject({ equal: true, compared: EVENTS });
    } finally {
      await target.close();
      await partial.drop();
    }
  });

  it('names the first difference when the copy was altered', async () => {
    const [stored] = server.allEvents().slice(30, 31);
    server.tamperEvent(stored.streamId, stored.revision, (event) => {
      event.data = Buffer.from(JSON.stringify({ ...JSON.parse(event.data.toString('utf8')), points: 99 }));
    });
    const verification = await verifyCopy(postgres, kurrent);
    expect(verification).toMatchObject({ equal: false, compared: EVENTS, difference: `event 31 in global order (source ${stored.id}, target ${stored.id}) differs in data` });
  });

  it('refuses to copy into a log that is not a copy of the source', async () => {
    const other = await createTestDatabase();
    const target = new PostgresEventStore(other.pool);
    try {
      await fillLog(target, 3, 7);
      await expect(copyLog(postgres, target)).rejects.toThrow(/is not a copy of this log/);
    } finally {
      await target.close();
      await other.drop();
    }
  });
});
