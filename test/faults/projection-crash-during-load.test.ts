/**
 * Fault: projections crash in the middle of a batch while commands keep coming, in the runner's
 * background loops. test/projection/exactly-once.test.ts shows the mechanism on one view driven by
 * hand (the crashed batch leaves no row and no checkpoint; a restart applies the rest once; equal
 * to a rebuild). Here it is every kind the service runs: the seal (evidence), a pure view, a view
 * with its own state (grade_consequences) and a process manager that issues commands
 * (late_fact_flags), each crashing once after writing part of a batch, under load.
 */
import { readModelProjections } from '../../projections/index.js';
import { gradeConsequencesProjection } from '../../src/consequences/grade-consequences.projection.js';
import { backfillProcess } from '../../src/discipline/backfill.process.js';
import { lateFactFlagsProcess } from '../../src/discipline/late-fact-flags.process.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { sealingProjection } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { fromPureProjection, type ProjectionDefinition } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { verifyReplay } from '../../src/projection/replay-verify.js';
import { reportRevisionsProjection } from '../../src/reports/report-revisions.projection.js';
import { prepareLoad, runLoad, verifyZeroLoss, type Acknowledgement } from '../../scripts/load-driver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitUntilCaughtUp } from './fault-checks.js';

const BATCH = 50;
/** Each crashing projection dies in its second batch, after 25 of its 50 events. */
const CRASH_AFTER_EVENTS = 75;
const CRASHING = ['event_seal', 'grade_view', 'grade_consequences', 'late_fact_flags'];

let database: TestDatabase;
let infrastructure: Infrastructure;

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined }, { poolSize: 16 });
});
afterAll(async () => {
  await infrastructure.close();
  await database.drop();
});

/** The definition, but once it has seen `after` events it applies part of the batch and throws. */
function crashingOnce(definition: ProjectionDefinition, after: number): ProjectionDefinition & { crashes: number } {
  let seen = 0;
  const crashing = {
    ...definition,
    crashes: 0,
    async apply(transaction: Parameters<ProjectionDefinition['apply']>[0], events: Parameters<ProjectionDefinition['apply']>[1]) {
      if (crashing.crashes === 0 && seen + events.length > after) {
        await definition.apply(transaction, events.slice(0, after - seen));
        crashing.crashes += 1;
        throw new Error(`simulated crash of ${definition.name} in the middle of a batch`);
      }
      await definition.apply(transaction, events);
      seen += events.length;
    },
  };
  return crashing;
}

describe('projections crashing mid-batch during a command load', () => {
  it('recover in the background loop, apply nothing twice, and equal a rebuild', async () => {
    const { appraisal, pool, store } = infrastructure;
    const definitions = [
      sealingProjection,
      ...readModelProjections.map(fromPureProjection),
      gradeConsequencesProjection,
      reportRevisionsProjection,
      backfillProcess(appraisal),
      lateFactFlagsProcess(appraisal),
    ].map((definition) => (CRASHING.includes(definition.name) ? crashingOnce(definition, CRASH_AFTER_EVENTS) : definition));
    const log: string[] = [];
    const runner = new ProjectionRunner(pool, store, definitions, { batchSize: BATCH, log: (message) => log.push(message) });

    await prepareLoad(appraisal, 'crash');
    const abort = new AbortController();
    const acknowledged: Acknowledgement[] = [];
    const load = runLoad(appraisal, { clients: 3, runId: 'crash', signal: abort.signal, onAcknowledged: (ack) => acknowledged.push(ack) });
    try {
      // A backlog first, so that the runner's first batches are full and the crash lands mid-batch.
      while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 50));
      runner.start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      abort.abort();
      await load;
    }
    try {
      await waitUntilCaughtUp(runner, 20_000);
    } finally {
      await runner.stop();
    }

    for (const definition of definitions) {
      if (CRASHING.includes(definition.name)) expect({ name: definition.name, crashes: (definition as { crashes?: number }).crashes }).toEqual({ name: definition.name, crashes: 1 });
    }
    for (const name of CRASHING) expect(log.some((line) => line.includes(`simulated crash of ${name}`))).toBe(true);

    const report = await verifyZeroLoss(pool, acknowledged);
    expect([report.lost, report.duplicated, report.duplicateEventIds, report.streamsWithGaps]).toEqual([[], [], [], []]);
    const integrity = await verifyIntegrity(store, pool);
    expect(integrity).toMatchObject({ ok: true, reason: null });
    expect(integrity.sealedEvents).toBe(report.events);
    const replay = await verifyReplay(pool, store, runner.views);
    expect(replay.tables.filter((table) => !table.equal)).toEqual([]);
    expect(replay.equal).toBe(true);
  });
});
