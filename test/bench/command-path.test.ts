import { benchCommandPath, formatCommandPathResult } from '../../scripts/bench/command-path.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The command path benchmark, briefly: the service in-process on a test database, two clients
 * posting mutations for about a second, the same requests to the transport floor, then one
 * backfill measured. Checks that it measures (positive numbers) and that every command was
 * acknowledged; no performance is asserted.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
});

afterAll(() => database.drop());

it('measures commands/s, latency and the backfill latency with two clients and no errors', async () => {
  const result = await benchCommandPath({
    databaseUrl: database.url,
    seconds: 1,
    clients: [2],
    projections: ['on'],
    warmupSeconds: 0,
    backfillRepeats: 1,
    poolSize: 10,
    peoplePerOrganization: 10,
    peoplePerClient: 40,
  });

  expect(result.runs).toHaveLength(1);
  const [run] = result.runs;
  expect(run).toMatchObject({ clients: 2, projections: 'on', errors: 0, errorSamples: [] });
  expect(run.commands).toBeGreaterThan(0);
  expect(run.commandsPerSecond).toBeGreaterThan(0);
  expect(run.p50Ms).toBeGreaterThan(0);
  expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
  expect(run.sqlPerCommand).toBeGreaterThan(0);
  // Each acknowledged command is counted under its mutation; a record's steps start with the unit head's scores.
  expect(run.byKind.reduce((sum, kind) => sum + kind.count, 0)).toBe(run.commands);
  expect(run.byKind[0]).toMatchObject({ kind: 'recordScores (unit head)' });
  expect(run.byKind[0].count).toBeGreaterThan(0);

  // The same requests to the transport floor, at the same client count, all answered.
  expect(result.transportFloor).toMatchObject({ clients: 2, errors: 0, errorSamples: [] });
  expect(result.transportFloor!.commands).toBeGreaterThan(0);
  expect(result.transportFloor!.p99Ms).toBeGreaterThanOrEqual(result.transportFloor!.p50Ms);
  const report = formatCommandPathResult(result, 'test');
  expect(report).toContain('Transport floor at 2 clients');
  expect(report).toMatch(/What 3,000 commands\/s allows, at 2 clients with the projections on: \d+ cores give [\d.]+ ms of CPU per command in all/);

  expect(result.backfill?.samplesMs).toHaveLength(1);
  expect(result.backfill!.p50Ms).toBeGreaterThan(0);
  expect(result.postgres).toMatch(/^\d+/);
  expect(result.machine.cores).toBeGreaterThan(0);
}, 120_000);
