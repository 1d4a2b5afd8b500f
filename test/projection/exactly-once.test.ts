import { auditTrailProjection } from '../../projections/audit-trail.projection.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { sealingProjection } from '../../src/integrity/sealing.projection.js';
import { fromPureProjection, pureStatementsOf, type ProjectionDefinition } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { transactionMessages } from '../support/transaction-messages.js';

const EVENTS = 100;
const BATCH = 30;

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  await fillLog(store, EVENTS);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

const auditTrail = fromPureProjection(auditTrailProjection);

/** The audit trail, but the apply of one batch dies after writing part of it. */
function crashingOnce(afterEvents: number): ProjectionDefinition {
  let applied = 0;
  let crashed = false;
  return {
    ...auditTrail,
    async apply(transaction, events) {
      for (const event of events) {
        if (!crashed && applied === afterEvents) {
          crashed = true;
          throw new Error('simulated crash in the middle of a batch');
        }
        await auditTrail.apply(transaction, [event]);
        applied += 1;
      }
    },
  };
}

async function auditRows(): Promise<unknown[]> {
  const result = await database.pool.query('SELECT * FROM audit_trail ORDER BY global_position');
  return result.rows;
}

describe('projection runner', () => {
  it('a crash in the middle of a batch loses nothing and applies nothing twice; the result equals a rebuild', async () => {
    const crashing = new ProjectionRunner(database.pool, store, [crashingOnce(BATCH + 15)], { batchSize: BATCH });
    await expect(crashing.catchUp('audit_trail')).rejects.toThrow(/simulated crash/);

    // The first batch committed with its checkpoint; nothing of the second one did.
    expect(await auditRows()).toHaveLength(BATCH);
    const [status] = await crashing.status();
    expect(status.lag).toBe(EVENTS - BATCH);

    const restarted = new ProjectionRunner(database.pool, store, [auditTrail], { batchSize: BATCH });
    expect(await restarted.catchUp('audit_trail')).toBe(EVENTS - BATCH);
    const live = await auditRows();
    expect(live).toHaveLength(EVENTS);

    expect(await restarted.rebuild('audit_trail')).toBe(EVENTS);
    expect(await auditRows()).toEqual(live);
    expect((await restarted.status())[0].lag).toBe(0);
  });

  it('a statement the database refuses, sent with the checkpoint and the commit, commits nothing of its batch', async () => {
    await database.pool.query('TRUNCATE audit_trail; DELETE FROM projection_checkpoint');
    let refusedOnce = false;
    const refusing = fromPureProjection({
      ...auditTrailProjection,
      handle(event) {
        if (refusedOnce || event.globalPosition !== BigInt(BATCH + 15)) return auditTrailProjection.handle(event);
        refusedOnce = true;
        return [...auditTrailProjection.handle(event), { text: 'SELECT 1 / $1::int', values: [0] }];
      },
    });
    expect(pureStatementsOf(refusing)).toBeDefined();
    // A copy may carry another apply: the runner then applies through it.
    expect(pureStatementsOf({ ...refusing })).toBeUndefined();
    const runner = new ProjectionRunner(database.pool, store, [refusing], { batchSize: BATCH });
    await expect(runner.catchUp('audit_trail')).rejects.toThrow(/division by zero/);
    expect(await auditRows()).toHaveLength(BATCH);
    expect((await runner.status())[0].lag).toBe(EVENTS - BATCH);

    expect(await runner.catchUp('audit_trail')).toBe(EVENTS - BATCH);
    const rebuilt = new ProjectionRunner(database.pool, store, [auditTrail]);
    const live = await auditRows();
    expect(await rebuilt.rebuild('audit_trail')).toBe(EVENTS);
    expect(await auditRows()).toEqual(live);
  });

  it('lets only one runner apply a batch of a projection at a time', async () => {
    let applying!: () => void;
    let release!: () => void;
    const firstIsApplying = new Promise<void>((resolve) => (applying = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow: ProjectionDefinition = {
      ...auditTrail,
      async apply(transaction, events) {
        applying();
        await released;
        await auditTrail.apply(transaction, events);
      },
    };
    const runnerA = new ProjectionRunner(database.pool, store, [slow]);
    const runnerB = new ProjectionRunner(database.pool, store, [auditTrail]);
    await runnerB.catchUp('audit_trail');
    await fillLog(store, 3, 1, '2025Q2');

    const batchA = runnerA.runBatch('audit_trail');
    await firstIsApplying;
    expect(await runnerB.runBatch('audit_trail')).toEqual({ busy: true });
    release();
    expect(await batchA).toEqual({ applied: 3 });
    expect(await runnerB.runBatch('audit_trail')).toEqual({ applied: 0 });
  });

  it("sends a pure projection's batch in one message once the runner knows the checkpoint, and nothing when there is nothing new", async () => {
    const runner = new ProjectionRunner(database.pool, store, [auditTrail]);
    await runner.catchUp('audit_trail');
    await fillLog(store, 2, 1, '2025Q3');

    // A runner that has not seen the checkpoint yet claims the batch, then sends it with the commit.
    const fresh = new ProjectionRunner(database.pool, store, [auditTrail]);
    const first = await transactionMessages(database.pool, () => fresh.runBatch('audit_trail'));
    expect(first.outcome).toEqual({ applied: 2 });
    expect(first.sent).toHaveLength(2);
    expect(first.sent[0]).toMatch(/^BEGIN;\s*SET LOCAL synchronous_commit = off;\s*SELECT pg_try_advisory_xact_lock/);
    expect(first.sent[1]).toMatch(/^INSERT INTO audit_trail[\s\S]*INSERT INTO projection_checkpoint[\s\S]*COMMIT\s*$/);

    // Once it has committed, the next batch is one message: the claim, the statements, the checkpoint, COMMIT.
    await fillLog(store, 2, 1, '2025Q4');
    const next = await transactionMessages(database.pool, () => fresh.runBatch('audit_trail'));
    expect(next.outcome).toEqual({ applied: 2 });
    expect(next.sent).toHaveLength(1);
    expect(next.sent[0]).toMatch(/^BEGIN;\s*SET LOCAL synchronous_commit = off;\s*SELECT claim_projection_batch\('audit_trail', \d+, \d+, 1\);\s*INSERT INTO audit_trail[\s\S]*INSERT INTO projection_checkpoint[\s\S]*COMMIT\s*$/);

    const idle = await transactionMessages(database.pool, () => fresh.runBatch('audit_trail'));
    expect(idle).toEqual({ outcome: { applied: 0 }, sent: [] });
  });

  it('takes a batch the long way when another runner moved the checkpoint it knew, applying every event once', async () => {
    const runnerA = new ProjectionRunner(database.pool, store, [auditTrail]);
    const runnerB = new ProjectionRunner(database.pool, store, [auditTrail]);
    await runnerA.catchUp('audit_trail');
    expect(await runnerB.runBatch('audit_trail')).toEqual({ applied: 0 });
    await fillLog(store, 2, 1, '2026Q1');
    expect(await runnerA.runBatch('audit_trail')).toEqual({ applied: 2 });
    await fillLog(store, 1, 1, '2026Q2');

    // B knows the checkpoint from before A's batch: its claim is refused, and it applies only the new event.
    const taken = await transactionMessages(database.pool, () => runnerB.runBatch('audit_trail'));
    expect(taken.outcome).toEqual({ applied: 1 });
    expect(taken.sent[0]).toMatch(/SELECT claim_projection_batch/);
    expect(taken.sent).toContain('ROLLBACK');
    expect(await runnerB.catchUp('audit_trail')).toBe(0);
    expect(await runnerA.catchUp('audit_trail')).toBe(0);
    const rows = await auditRows();
    const rebuilt = new ProjectionRunner(database.pool, store, [auditTrail]);
    await rebuilt.rebuild('audit_trail');
    expect(await auditRows()).toEqual(rows);
  });

  it('commits a batch without waiting for its WAL flush (the log it is applied from was flushed)', async () => {
    const settings: string[] = [];
    const runner = new ProjectionRunner(database.pool, store, [
      {
        ...auditTrail,
        async apply(transaction, events) {
          const setting = await transaction.query<{ value: string }>(`SELECT current_setting('synchronous_commit') AS value`);
          settings.push(setting.rows[0].value);
          await auditTrail.apply(transaction, events);
        },
      },
    ]);
    await fillLog(store, 1, 1, '2026Q3');
    await runner.catchUp('audit_trail');
    expect(settings).toEqual(['off']);
    expect((await database.pool.query<{ value: string }>(`SELECT current_setting('synchronous_commit') AS value`)).rows[0].value).toBe('on');
  });

  it('rebuilds from zero when the projection version changes', async () => {
    const runner = new ProjectionRunner(database.pool, store, [auditTrail]);
    await runner.catchUp('audit_trail');
    const before = await auditRows();
    // A damaged read model: only a rebuild from zero brings the row back.
    await database.pool.query('DELETE FROM audit_trail WHERE global_position = (SELECT min(global_position) FROM audit_trail)');

    const next = new ProjectionRunner(database.pool, store, [{ ...auditTrail, version: auditTrail.version + 1 }]);
    await next.catchUp('audit_trail');
    expect(await auditRows()).toEqual(before);
    const checkpoint = await database.pool.query('SELECT version FROM projection_checkpoint WHERE name = $1', ['audit_trail']);
    expect(checkpoint.rows[0].version).toBe(auditTrail.version + 1);
  });

  it('refuses to rebuild the seal, which is evidence', async () => {
    const runner = new ProjectionRunner(database.pool, store, [sealingProjection]);
    await expect(runner.rebuild('event_seal')).rejects.toThrow(/cannot be rebuilt/);
  });
});
