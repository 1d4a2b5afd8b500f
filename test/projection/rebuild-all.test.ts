import os from 'node:os';
import { generateDataset } from '../../scripts/bench/dataset.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import { openInfrastructure } from '../../src/infrastructure.js';
import { gradeViewProjection } from '../../projections/grade-view.projection.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SLOW = 240_000;

let database: TestDatabase;
let infrastructure: Awaited<ReturnType<typeof openInfrastructure>>;
let events: number;

/** Every table of every view, each row as JSON text, sorted: what a rebuild must reproduce. */
async function views(): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const view of infrastructure.projections.views) {
    for (const table of view.tables) {
      const result = await database.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      snapshot[table] = result.rows.map((row) => row.row).sort();
    }
  }
  return snapshot;
}

/** The definitions of every index on the views' tables. */
async function indexes(): Promise<string[]> {
  const tables = infrastructure.projections.views.flatMap((view) => view.tables);
  const result = await database.pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = ANY($1::text[]) ORDER BY indexdef`, [tables]);
  return result.rows.map((row) => row.indexdef);
}

beforeAll(async () => {
  database = await createTestDatabase();
  // A year of two organs: every view gets rows (records, people, organizations, cases, measures).
  await generateDataset(database.pool, { people: 30, organizations: 2, seed: 5 });
  events = Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: os.tmpdir(), embeddedPostgresPort: undefined });
  const deadline = Date.now() + 120_000;
  // Readers see the log below the server's oldest open transaction: wait until all of it is readable.
  while ((await infrastructure.store.countAfter(START_OF_LOG)) < events) {
    if (Date.now() > deadline) throw new Error('the dataset did not become readable');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const name of infrastructure.projections.names) await infrastructure.projections.catchUp(name);
}, SLOW);

afterAll(async () => {
  await infrastructure.close();
  await database.drop();
});

describe('rebuilding every view at once (one read of the log, the views side by side)', () => {
  it('gives the same rows as applying the log batch by batch, in batches of any size, and leaves nothing to catch up', async () => {
    const live = await views();
    expect(Object.values(live).filter((rows) => rows.length > 0).length).toBeGreaterThanOrEqual(8);
    const names = infrastructure.projections.rebuildableNames;

    const progress: number[] = [];
    const timings = new Map<string, number>();
    expect(await infrastructure.projections.rebuildAll(names, { batchSize: 250, timings, onProgress: ({ applied }) => void progress.push(applied) })).toBe(events);
    expect(await views()).toEqual(live);
    expect(progress).toEqual(Array.from({ length: Math.ceil(events / 250) }, (_, index) => Math.min(events, (index + 1) * 250)));
    expect([...timings.keys()].sort()).toEqual([...names].sort());

    expect(await infrastructure.projections.rebuildAll(names)).toBe(events);
    expect(await views()).toEqual(live);
    for (const status of await infrastructure.projections.status()) expect(status.lag).toBe(0);
  }, SLOW);

  it('lets a view another runner moved meanwhile finish on its own, applying every event once', async () => {
    const live = await views();
    const other = new ProjectionRunner(database.pool, infrastructure.store, infrastructure.projections.views, { batchSize: 100 });
    const applied = new Map<string, number>();
    const count = (name: string, batch: unknown[]) => applied.set(name, (applied.get(name) ?? 0) + batch.length);
    const unsubscribe = [infrastructure.projections.onCommitted(count), other.onCommitted(count)];
    let moved = false;
    await infrastructure.projections.rebuildAll(infrastructure.projections.rebuildableNames, {
      batchSize: 250,
      onProgress: async () => {
        if (moved) return;
        moved = true;
        // Between two shared batches another runner applies grade_view's next 100 events.
        expect(await other.runBatch('grade_view')).toEqual({ applied: 100 });
      },
    });
    for (const stop of unsubscribe) stop();
    expect(moved).toBe(true);
    // Each view, by whichever runner: every event once.
    expect(Object.fromEntries(applied)).toEqual(Object.fromEntries(infrastructure.projections.rebuildableNames.map((name) => [name, events])));
    expect(await views()).toEqual(live);
    for (const status of await infrastructure.projections.status()) expect(status.lag).toBe(0);
  }, SLOW);

  it('grade_view written a batch at a time holds what its statements event by event leave', async () => {
    const eventByEvent = fromPureProjection({ ...gradeViewProjection, handleBatch: undefined });
    const oneByOne = new ProjectionRunner(database.pool, infrastructure.store, [eventByEvent], { batchSize: 1_000 });
    await oneByOne.rebuild('grade_view');
    const expected = await views();
    expect(expected.grade_view.length).toBeGreaterThan(100);
    await infrastructure.projections.rebuildAll(['grade_view'], { batchSize: 1_000 });
    expect(await views()).toEqual(expected);
  }, SLOW);

  it('drops the views\' secondary indexes while it loads them and creates them again, also after a rebuild that died', async () => {
    const live = await views();
    const before = await indexes();
    expect(before.filter((definition) => !definition.startsWith('CREATE UNIQUE')).length).toBeGreaterThanOrEqual(5);

    const built: string[] = [];
    await infrastructure.projections.rebuildAll(infrastructure.projections.rebuildableNames, { onIndex: (name) => void built.push(name) });
    expect(await indexes()).toEqual(before);
    expect(built).toContain('audit_trail_person');
    expect(built).toContain('grade_view_organization_period');

    // A rebuild that dies half way leaves the views without their secondary indexes, recorded.
    const failing = new ProjectionRunner(
      database.pool,
      infrastructure.store,
      infrastructure.projections.views.map((view) =>
        view.name === 'grade_view'
          ? {
              ...view,
              async apply() {
                throw new Error('the machine went down');
              },
            }
          : view,
      ),
    );
    await expect(failing.rebuildAll(failing.rebuildableNames, { batchSize: 500 })).rejects.toThrow(/went down/);
    const left = await database.pool.query<{ index_name: string }>('SELECT index_name FROM projection_deferred_index ORDER BY index_name');
    expect(left.rows.map((row) => row.index_name)).toContain('audit_trail_person');
    expect((await indexes()).length).toBe(before.length - left.rows.length);

    // The next start of a runner creates them again; the views catch up where they stopped.
    const restarted = new ProjectionRunner(database.pool, infrastructure.store, infrastructure.projections.views);
    restarted.start();
    await restarted.stop();
    expect(await indexes()).toEqual(before);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM projection_deferred_index')).rows[0].n).toBe(0);
    for (const name of restarted.names) await restarted.catchUp(name);
    expect(await views()).toEqual(live);
  }, SLOW);
});
