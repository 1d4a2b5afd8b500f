import type pg from 'pg';
import { auditTrailProjection } from '../../projections/audit-trail.projection.js';
import { gradeHistoryProjection } from '../../projections/grade-history.projection.js';
import { START_OF_LOG, type RecordedEvent } from '../../src/event-store/event.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { sealingProjection } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { fromPureProjection, type ProjectionDefinition } from '../../src/projection/projection.js';
import { ProjectionRunner, type MemberOutcome } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { transactionMessages } from '../support/transaction-messages.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  await fillLog(store, 40);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

const auditTrail = fromPureProjection(auditTrailProjection);
const gradeHistory = fromPureProjection(gradeHistoryProjection);

/** A projection (not pure) that records the events it is given; `failing` makes its batches throw. */
function recorder(name: string): ProjectionDefinition & { seen: RecordedEvent[]; failing: boolean } {
  const definition = {
    name,
    version: 1,
    tables: [],
    seen: [] as RecordedEvent[],
    failing: false,
    async apply(_transaction: pg.PoolClient, events: RecordedEvent[]) {
      if (definition.failing) throw new Error(`${name} cannot apply its batch`);
      definition.seen.push(...events);
    },
  };
  return definition;
}

async function catchUpTogether(runner: ProjectionRunner, names: string[]): Promise<void> {
  for (;;) {
    const outcomes = await runner.runBatchTogether(names);
    const applied = [...outcomes.values()].map((outcome) => ('applied' in outcome ? outcome.applied : -1));
    if (applied.every((count) => count === 0)) return;
  }
}

async function rows(table: string, order: string): Promise<unknown[]> {
  return (await database.pool.query(`SELECT * FROM ${table} ORDER BY ${order}`)).rows;
}

async function checkpoints(names: string[]): Promise<string[]> {
  const result = await database.pool.query<{ name: string; at: string }>(
    `SELECT name, position_major || '/' || position_minor AS at FROM projection_checkpoint WHERE name = ANY($1::text[]) ORDER BY name`,
    [names],
  );
  return result.rows.map((row) => `${row.name} ${row.at}`);
}

async function lastPosition(): Promise<string> {
  const events = await store.readAll(START_OF_LOG, 100_000);
  const last = events[events.length - 1].position;
  return `${last.major}/${last.minor}`;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('projections following the log together', () => {
  it('apply a batch to each of them in one transaction: the claims, the batches not pure, then the pure statements with the checkpoints and COMMIT', async () => {
    const names = ['audit_trail', 'grade_history', 'event_seal'];
    const runner = new ProjectionRunner(database.pool, store, [auditTrail, gradeHistory, sealingProjection], { batchSize: 500 });
    await catchUpTogether(runner, names);
    await fillLog(store, 3, 1, '2025Q2');

    const { outcome, sent } = await transactionMessages(database.pool, () => runner.runBatchTogether(names));
    expect(Object.fromEntries(outcome)).toEqual({ audit_trail: { applied: 3 }, grade_history: { applied: 3 }, event_seal: { applied: 3 } });
    expect(sent.filter((text) => text.startsWith('BEGIN'))).toHaveLength(1);
    expect(sent[0]).toMatch(
      /^BEGIN;\s*SET LOCAL synchronous_commit = off;\s*SELECT claim_projection_batch\('audit_trail', \d+, \d+, \d+\);\s*SELECT claim_projection_batch\('grade_history', [^;]*;\s*SELECT claim_projection_batch\('event_seal', [^;]*$/,
    );
    expect(sent[sent.length - 1]).toMatch(/^INSERT INTO audit_trail[\s\S]*INSERT INTO projection_checkpoint[\s\S]*\('event_seal'[\s\S]*COMMIT$/);
    expect(sent.some((text) => /INSERT INTO event_seal/.test(text))).toBe(true);

    const at = await lastPosition();
    expect(await checkpoints(names)).toEqual([`audit_trail ${at}`, `event_seal ${at}`, `grade_history ${at}`]);
    expect((await verifyIntegrity(store, database.pool)).ok).toBe(true);

    // The views equal a rebuild of each on its own.
    const audit = await rows('audit_trail', 'global_position');
    const history = await rows('grade_history', 'global_position');
    const alone = new ProjectionRunner(database.pool, store, [auditTrail, gradeHistory]);
    await alone.rebuild('audit_trail');
    await alone.rebuild('grade_history');
    expect(await rows('audit_trail', 'global_position')).toEqual(audit);
    expect(await rows('grade_history', 'global_position')).toEqual(history);
  });

  it('take the batch each on its own when another runner moved one of them, applying every event once', async () => {
    const names = ['audit_trail', 'together_recorder'];
    const recorded = recorder('together_recorder');
    const runnerA = new ProjectionRunner(database.pool, store, [auditTrail, recorded]);
    const runnerB = new ProjectionRunner(database.pool, store, [auditTrail, recorded]);
    await catchUpTogether(runnerA, names);
    await catchUpTogether(runnerB, names);
    await fillLog(store, 2, 1, '2025Q3');
    expect(await runnerA.runBatch('audit_trail')).toEqual({ applied: 2 });
    await fillLog(store, 1, 1, '2025Q4');

    // B knows audit_trail's checkpoint from before A's batch: the claims are refused, nothing is applied
    // together, and each projection then applies what it has not applied yet.
    const seenBefore = recorded.seen.length;
    const taken = await transactionMessages(database.pool, () => runnerB.runBatchTogether(names));
    expect(Object.fromEntries(taken.outcome)).toEqual({ audit_trail: { applied: 1 }, together_recorder: { applied: 3 } });
    expect(taken.sent[0]).toMatch(/SELECT claim_projection_batch\('audit_trail'/);
    expect(taken.sent).toContain('ROLLBACK');
    expect(recorded.seen.slice(seenBefore)).toHaveLength(3);
    await catchUpTogether(runnerA, names);
    expect(recorded.seen.map((event) => event.eventId)).toEqual((await store.readAll(START_OF_LOG, 100_000)).map((event) => event.eventId));

    const audit = await rows('audit_trail', 'global_position');
    await new ProjectionRunner(database.pool, store, [auditTrail]).rebuild('audit_trail');
    expect(await rows('audit_trail', 'global_position')).toEqual(audit);
  });

  it("go on without one whose batch fails: it is logged, shown in the status, paused, and applies its batch once it can", async () => {
    const failing = recorder('failing_recorder');
    const healthy = recorder('healthy_recorder');
    const log: string[] = [];
    const runner = new ProjectionRunner(database.pool, store, [healthy, failing], { log: (message) => log.push(message), idleWaitMs: 100 });
    // What committed (a batch rolled back with the failing one's is applied again).
    const committed = new Map<string, string[]>([['healthy_recorder', []], ['failing_recorder', []]]);
    runner.onCommitted((name, events) => committed.get(name)?.push(...events.map((event) => event.eventId)));
    const names = ['healthy_recorder', 'failing_recorder'];
    await catchUpTogether(runner, names);
    failing.failing = true;

    await fillLog(store, 2, 1, '2026Q1');
    const outcomes: Map<string, MemberOutcome> = await runner.runBatchTogether(names);
    expect(outcomes.get('healthy_recorder')).toEqual({ applied: 2 });
    expect(outcomes.get('failing_recorder')).toEqual({ error: new Error('failing_recorder cannot apply its batch') });
    expect(log.some((line) => line.includes('batch together failed (failing_recorder cannot apply its batch)'))).toBe(true);

    // In the background loop: the healthy one keeps up while the failing one is paused and retried.
    runner.start();
    try {
      await fillLog(store, 2, 1, '2026Q2');
      const everything = (await store.readAll(START_OF_LOG, 100_000)).map((event) => event.eventId);
      await until(() => committed.get('healthy_recorder')!.length === everything.length);
      await until(async () => (await runner.status()).some((entry) => entry.lastError !== null));
      const status = await runner.status();
      expect(status.find((entry) => entry.name === 'failing_recorder')).toMatchObject({ lastError: 'failing_recorder cannot apply its batch', lag: 4 });
      expect(status.find((entry) => entry.name === 'healthy_recorder')).toMatchObject({ lastError: null, lag: 0 });
      expect(log.some((line) => /^projection failing_recorder: batch failed \(failing_recorder cannot apply its batch\); retrying in \d+ ms$/.test(line))).toBe(true);

      failing.failing = false;
      await until(() => committed.get('failing_recorder')!.length === everything.length);
      expect(committed.get('failing_recorder')).toEqual(everything);
      expect(committed.get('healthy_recorder')).toEqual(everything);
      await until(async () => (await runner.status()).every((entry) => entry.lastError === null));
    } finally {
      await runner.stop();
    }
  });
});
