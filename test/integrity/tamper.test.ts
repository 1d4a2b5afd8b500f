import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { eventHash } from '../../src/event-store/event-hash.js';
import { sealingProjection, SEALING_PROJECTION } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const EVENTS = 40;

interface SealedLog {
  database: TestDatabase;
  store: PostgresEventStore;
  /** Runs SQL as a superuser with the append-only guard switched off. */
  tamper(sql: string, values?: unknown[]): Promise<void>;
  positions: bigint[];
}

async function sealedLog(): Promise<SealedLog> {
  const database = await createTestDatabase();
  const store = new PostgresEventStore(database.pool);
  await fillLog(store, EVENTS);
  await new ProjectionRunner(database.pool, store, [sealingProjection]).catchUp(SEALING_PROJECTION);
  const positions = (await database.pool.query<{ p: string }>('SELECT global_position AS p FROM events ORDER BY global_position')).rows.map(
    (row) => BigInt(row.p),
  );
  return {
    database,
    store,
    positions,
    async tamper(sql, values = []) {
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query(sql, values);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
}

const opened: SealedLog[] = [];
async function freshLog(): Promise<SealedLog> {
  const log = await sealedLog();
  opened.push(log);
  return log;
}
afterAll(async () => {
  for (const log of opened) {
    await log.store.close();
    await log.database.drop();
  }
});

describe('verify', () => {
  it('passes an untouched log, checking every event against its stream and the seal', async () => {
    const log = await freshLog();
    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report).toEqual({ ok: true, checkedEvents: EVENTS, sealedEvents: EVENTS, firstBadPosition: null, reason: null });
  });

  it('the guard really is on: without disabling it the tamper statements fail', async () => {
    const log = await freshLog();
    await expect(log.database.pool.query('UPDATE events SET data = data')).rejects.toThrow(/append-only/);
  });

  it('reports an edited payload at its position', async () => {
    const log = await freshLog();
    const target = log.positions[17];
    await log.tamper(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [target.toString()]);

    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(target);
    expect(report.reason).toMatch(/does not match its hash/);
    expect(report.checkedEvents).toBe(17);
  });

  it('reports an edited payload whose hash was recomputed too, through the seal', async () => {
    const log = await freshLog();
    const target = log.positions[22];
    const [event] = (await log.store.readAll({ major: 0n, minor: 0n }, 1000)).filter((candidate) => candidate.globalPosition === target);
    const previous = (await log.store.readStream(event.streamId)).find((other) => other.streamRevision === event.streamRevision - 1);
    const forged = { ...event, data: { ...event.data, points: 99 } };
    const forgedHash = eventHash(previous!.hash, forged);
    await log.tamper(`UPDATE events SET data = $2::jsonb, hash = $3 WHERE global_position = $1`, [
      target.toString(),
      JSON.stringify(forged.data),
      forgedHash,
    ]);

    const report = await verifyIntegrity(log.store, log.database.pool);
    expect(report.firstBadPosition).toBe(target);
    expect(report.reason).toMatch(/differs from its sealed hash/);
  });

  it('reports a deleted event at the position it was sealed at', async () => {
    const log = await freshLog();
    const target = log.positions[9];
    await log.tamper('DELETE FROM events WHERE global_position = $1', [target.toString()]);

    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(target);
    expect(report.reason).toMatch(/missing from the log/);
  });

  it('reports the last event deleted', async () => {
    const log = await freshLog();
    const target = log.positions[EVENTS - 1];
    await log.tamper('DELETE FROM events WHERE global_position = $1', [target.toString()]);

    const report = await verifyIntegrity(log.store, log.database.pool);
    expect(report.firstBadPosition).toBe(target);
    expect(report.reason).toMatch(/missing from the log/);
  });

  it('reports two swapped events at the first of the two positions', async () => {
    const log = await freshLog();
    const [first, second] = [log.positions[12], log.positions[26]];
    // Each takes the other's place in the global order: position and transaction id.
    await log.tamper('UPDATE events SET global_position = -global_position WHERE global_position IN ($1, $2)', [
      first.toString(),
      second.toString(),
    ]);
    await log.tamper(
      `UPDATE events AS e SET global_position = CASE WHEN e.global_position = -$1::bigint THEN $2::bigint ELSE $1::bigint END,
                              transaction_id = o.transaction_id
         FROM events AS o
        WHERE e.global_position IN (-$1::bigint, -$2::bigint) AND o.global_position IN (-$1::bigint, -$2::bigint)
          AND o.global_position <> e.global_position`,
      [first.toString(), second.toString()],
    );
    const swapped = await log.database.pool.query('SELECT count(*)::int AS n FROM events WHERE global_position IN ($1, $2)', [
      first.toString(),
      second.toString(),
    ]);
    expect(swapped.rows[0].n).toBe(2);

    const report = await verifyIntegrity(log.store, log.database.pool, { batchSize: 7 });
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(first);
    expect(report.reason).toMatch(/out of sealed order/);
  });
});
