import { eventHash } from '../../src/event-store/event-hash.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import { KurrentDbEventStore } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import { sealingProjection, SEALING_PROJECTION } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '../support/kurrentdb-test-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Tamper evidence when the log lives in KurrentDB: the per-stream hash travels in each event's
 * metadata, the seal chains the `$all` order into PostgreSQL, and verify catches an edited
 * payload, an edited payload with its hash recomputed, a removed event and a reordered pair —
 * the same cases as the PostgreSQL log, edited here through the test server's hooks.
 */
const EVENTS = 40;

interface SealedLog {
  server: KurrentDbTestServer;
  store: KurrentDbEventStore;
  database: TestDatabase;
  positions: bigint[];
}

const opened: SealedLog[] = [];

async function sealedLog(): Promise<SealedLog> {
  const server = await startKurrentDbTestServer();
  const store = new KurrentDbEventStore(server.connectionString);
  const database = await createTestDatabase();
  await fillLog(store, EVENTS);
  await new ProjectionRunner(database.pool, store, [sealingProjection]).catchUp(SEALING_PROJECTION);
  const positions = (await store.readAll(START_OF_LOG, 1000)).map((event) => event.globalPosition);
  const log = { server, store, database, positions };
  opened.push(log);
  return log;
}

afterAll(async () => {
  for (const log of opened) {
    await log.store.close();
    await log.server.close();
    await log.database.drop();
  }
});

/** The stored event at a global position, as the server holds it. */
function storedAt(log: SealedLog, position: bigint) {
  const stored = log.server.allEvents().find((event) => event.position.commit === position);
  if (!stored) throw new Error(`no event at ${position}`);
  return stored;
}

describe('verify with the log in KurrentDB', () => {
  it('passes an untouched log, checking every event against its stream and the seal', async () => {
    const log = await sealedLog();
    expect(await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 })).toEqual({
      ok: true,
      checkedEvents: EVENTS,
      sealedEvents: EVENTS,
      firstBadPosition: null,
      reason: null,
    });
  });

  it('reports an edited payload at its position', async () => {
    const log = await sealedLog();
    const target = log.positions[17];
    const stored = storedAt(log, target);
    log.server.tamperEvent(stored.streamId, stored.revision, (event) => {
      event.data = Buffer.from(JSON.stringify({ ...JSON.parse(event.data.toString('utf8')), points: 99 }));
    });
    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: target, checkedEvents: 17 });
    expect(report.reason).toMatch(/does not match its hash/);
  });

  it('reports an edited payload whose hash was recomputed too, through the seal', async () => {
    const log = await sealedLog();
    const target = log.positions[22];
    const [event] = (await log.store.readAll(START_OF_LOG, 1000)).filter((candidate) => candidate.globalPosition === target);
    const previous = (await log.store.readStream(event.streamId)).find((other) => other.streamRevision === event.streamRevision - 1)!;
    const forged = { ...event, data: { ...event.data, points: 99 } };
    const forgedHash = eventHash(previous.hash, forged);
    log.server.tamperEvent(event.streamId, event.streamRevision, (stored) => {
      stored.data = Buffer.from(JSON.stringify(forged.data));
      stored.metadata = Buffer.from(JSON.stringify({ ...JSON.parse(stored.metadata.toString('utf8')), hash: forgedHash }));
    });
    const report = await verifyIntegrity(log.store, log.database.pool);
    expect(report.firstBadPosition).toBe(target);
    expect(report.reason).toMatch(/differs from its sealed hash/);
  });

  it('reports a deleted event at the position it was sealed at', async () => {
    const log = await sealedLog();
    const target = log.positions[9];
    const stored = storedAt(log, target);
    log.server.deleteEvent(stored.streamId, stored.revision);
    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: target });
    expect(report.reason).toMatch(/missing from the log/);
  });

  it('reports two events of a stream swapped at the first of the two positions', async () => {
    const log = await sealedLog();
    const first = storedAt(log, log.positions[12]);
    const second = log.server.streamEvents(first.streamId).find((event) => event.revision === first.revision + 2n)!;
    log.server.swapEvents(first.streamId, first.revision, second.revision);
    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: log.positions[12] });
    expect(report.reason).toBeTruthy();
  });
});
