/**
 * Fault: PostgreSQL stops in the middle of a command load and comes back a second later on the
 * same data directory and port. A private embedded server (not the shared test server) so that
 * stopping it disturbs no other test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { verifyReplay } from '../../src/projection/replay-verify.js';
import { prepareLoad, runLoad, verifyZeroLoss, type Acknowledgement } from '../../scripts/load-driver.js';
import { waitUntilCaughtUp } from './fault-checks.js';

const CLIENTS = 4;
/** Longest any command may take, outage or not: a command fails, it never hangs. */
const COMMAND_BOUND_MS = 10_000;

let parent: string;
let server: EmbeddedServer | undefined;
let infrastructure: Infrastructure | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'appraisal-pg-restart-'));
});
afterAll(async () => {
  await infrastructure?.close();
  await server?.stop();
  rmSync(parent, { recursive: true, force: true });
});

describe('PostgreSQL stopped and started again during a command load', () => {
  it('fails the commands of the outage, keeps every acknowledged one, recovers by itself, and a rebuild equals the live views', async () => {
    const dataDirectory = path.join(parent, 'data');
    const port = await freePort();
    server = await startEmbeddedPostgres({ dataDirectory, port });
    const log: string[] = [];
    infrastructure = await openInfrastructure(
      { databaseUrl: server.databaseUrl, dataDirectory, embeddedPostgresPort: port },
      { log: (message) => log.push(message), poolSize: CLIENTS + 8 },
    );
    infrastructure.projections.start();
    await prepareLoad(infrastructure.appraisal, 'restart');

    const abort = new AbortController();
    const acknowledged: Acknowledgement[] = [];
    const load = runLoad(infrastructure.appraisal, {
      clients: CLIENTS,
      runId: 'restart',
      signal: abort.signal,
      // A client that got an error sends the same command again: once the server is back, each
      // is applied once, whether or not its first attempt had reached the log.
      retryFailedCommands: true,
      onAcknowledged: (ack) => acknowledged.push(ack),
    });
    try {
      await until(() => acknowledged.length >= 100, 15_000, 'the load to get going');

      const stopping = performance.now();
      await server.stop();
      const stopped = performance.now();
      await sleep(1000);
      const acknowledgedInOutage = acknowledged.filter((ack) => ack.at > stopped).length;
      server = await startEmbeddedPostgres({ dataDirectory, port });
      const restarted = performance.now();

      await until(() => acknowledged.filter((ack) => ack.at > restarted).length >= 100, 15_000, 'commands to succeed after the restart');
      abort.abort();
      const result = await load;

      // The outage: commands failed with an error, none went through, none hung.
      expect(acknowledgedInOutage).toBe(0);
      const failedInOutage = result.failures.filter((failure) => failure.at >= stopping && failure.at <= restarted);
      expect(failedInOutage.length).toBeGreaterThan(0);
      expect(result.failures.filter((failure) => failure.at < stopping)).toEqual([]);
      expect(Math.max(...result.failures.map((failure) => failure.latencyMs))).toBeLessThan(COMMAND_BOUND_MS);
      expect(Math.max(...result.acknowledged.map((ack) => ack.latencyMs))).toBeLessThan(COMMAND_BOUND_MS);
      // Each command that failed in the outage went through, retried with its id, after the restart.
      const acknowledgedIds = new Set(result.acknowledged.map((ack) => ack.commandId));
      expect(failedInOutage.filter((failure) => !acknowledgedIds.has(failure.commandId))).toEqual([]);

      // The projection runner's loops failed during the outage and came back by themselves.
      expect(log.some((line) => /projection .*: batch failed/.test(line))).toBe(true);
      await waitUntilCaughtUp(infrastructure.projections, 20_000);
    } finally {
      abort.abort();
      await load;
    }
    await infrastructure.projections.stop();

    const report = await verifyZeroLoss(infrastructure.pool, acknowledged);
    expect({ lost: report.lost, duplicated: report.duplicated, duplicateEventIds: report.duplicateEventIds, streamsWithGaps: report.streamsWithGaps }).toEqual({
      lost: [],
      duplicated: [],
      duplicateEventIds: [],
      streamsWithGaps: [],
    });

    const integrity = await verifyIntegrity(infrastructure.store, infrastructure.pool);
    expect(integrity).toMatchObject({ ok: true, firstBadPosition: null, reason: null });
    expect(integrity.sealedEvents).toBe(report.events);

    const replay = await verifyReplay(infrastructure.pool, infrastructure.store, infrastructure.projections.views);
    expect(replay.tables.filter((table) => !table.equal)).toEqual([]);
    expect(replay.equal).toBe(true);
  });
});
