/**
 * Fault: the service dies by SIGKILL in the middle of a command load (its projections running too).
 *
 * The service runs in a child process (test/faults/support/load-child.ts, TypeScript compiled as it
 * loads by @swc/core through test/faults/support/register-typescript.mjs: no build needed). It
 * writes a line per acknowledged command the moment the command's promise resolves; the test
 * kills it about two seconds into the load, then checks the database against those lines and
 * brings a new instance of the service up on it.
 */
import { spawn } from 'node:child_process';
import { projectPath } from '../../src/config/project-root.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { verifyReplay } from '../../src/projection/replay-verify.js';
import { verifyZeroLoss, type Acknowledgement } from '../../scripts/load-driver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { catchUpEverything } from './fault-checks.js';

const LOAD_SECONDS_BEFORE_KILL = 2;
const CLIENTS = 4;

let database: TestDatabase;
let restarted: Infrastructure | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await restarted?.close();
  await database.drop();
});

interface KilledRun {
  acknowledged: Acknowledgement[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the child, lets it load for `seconds` after its first acknowledgement, and kills it with SIGKILL. */
function loadAndKill(databaseUrl: string, seconds: number): Promise<KilledRun> {
  // The child needs none of jest's Node options (--experimental-vm-modules).
  const environment = { ...process.env };
  delete environment.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ['--import', projectPath('test/faults/support/register-typescript.mjs'), projectPath('test/faults/support/load-child.ts')],
    {
      cwd: projectPath(),
      env: { ...environment, DATABASE_URL: databaseUrl, LOAD_CLIENTS: String(CLIENTS), LOAD_RUN_ID: 'kill' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    // Bounded: a child that never acknowledges a command fails the test instead of hanging it.
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!killTimer && stdout.includes('\nACK ')) killTimer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(giveUp);
      clearTimeout(killTimer);
      // Only whole lines count: a line cut by the kill was never an acknowledgement.
      const lines = stdout.split('\n').slice(0, -1);
      const acknowledged = lines.filter((line) => line.startsWith('ACK ')).map((line) => JSON.parse(line.slice(4)) as Acknowledgement);
      resolve({ acknowledged, signal, stderr });
    });
  });
}

describe('kill -9 during a command load', () => {
  it('keeps every acknowledged command exactly once; a restarted service catches up and a rebuild equals the live views', async () => {
    const run = await loadAndKill(database.url, LOAD_SECONDS_BEFORE_KILL);
    expect({ signal: run.signal, stderr: run.signal === 'SIGKILL' ? '' : run.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(run.acknowledged.length).toBeGreaterThan(50);

    // Straight after the kill, before anything else touches the database.
    const report = await verifyZeroLoss(database.pool, run.acknowledged);
    expect({ lost: report.lost, duplicated: report.duplicated, duplicateEventIds: report.duplicateEventIds, streamsWithGaps: report.streamsWithGaps }).toEqual({
      lost: [],
      duplicated: [],
      duplicateEventIds: [],
      streamsWithGaps: [],
    });
    // The projections were running in the killed process too: whatever they committed stays consistent.
    const checkpoints = await database.pool.query('SELECT name FROM projection_checkpoint');
    expect(checkpoints.rows.length).toBeGreaterThan(0);

    restarted = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
    await catchUpEverything(restarted.projections);
    for (const status of await restarted.projections.status()) expect({ name: status.name, lag: status.lag }).toEqual({ name: status.name, lag: 0 });

    const integrity = await verifyIntegrity(restarted.store, restarted.pool);
    expect(integrity).toMatchObject({ ok: true, firstBadPosition: null, reason: null });
    expect(integrity.sealedEvents).toBe(integrity.checkedEvents);
    expect(integrity.checkedEvents).toBeGreaterThanOrEqual(report.events);

    const replay = await verifyReplay(restarted.pool, restarted.store, restarted.projections.views);
    expect(replay.tables.filter((table) => !table.equal)).toEqual([]);
    expect(replay.equal).toBe(true);

    // And the log is still whole after the restarted service's own appends (process managers).
    const after = await verifyZeroLoss(database.pool, run.acknowledged);
    expect([after.lost, after.duplicated, after.streamsWithGaps]).toEqual([[], [], []]);
  });
});
