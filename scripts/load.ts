/**
 * A command load on the service's write path, then a check that nothing was lost: N concurrent
 * clients issue real commands through the application service for the given time (the
 * projections running in the background as in the service), every acknowledged command is then
 * looked up in the log (present exactly once, every stream's revisions gap-free), the projections
 * catch up and both hash chains are verified. Progress goes to stderr, the result to stdout as a
 * markdown table. Exit code 2 when anything acknowledged is missing or doubled, or a chain breaks.
 *
 *   npm run load -- [--seconds 60] [--clients 8] [--replay]
 *
 * Against DATABASE_URL (use a database of its own: the load adds organizations and people to it),
 * or without it on an embedded server in a temporary directory, removed afterwards.
 * --replay also rebuilds every view in a scratch schema and compares it with the live one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/database/embedded-postgres.js';
import { openInfrastructure } from '../src/infrastructure.js';
import { SEALING_PROJECTION } from '../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../src/integrity/verify-integrity.js';
import { verifyReplay } from '../src/projection/replay-verify.js';
import { percentile, prepareLoad, runLoad, verifyZeroLoss } from './load-driver.js';

interface Options {
  seconds: number;
  clients: number;
  replay: boolean;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, got ${text}`);
  return value;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { seconds: { type: 'string' }, clients: { type: 'string' }, replay: { type: 'boolean' } },
  });
  return {
    seconds: positiveInteger('seconds', values.seconds, 60),
    clients: positiveInteger('clients', values.clients, 8),
    replay: values.replay ?? false,
  };
}

async function run(options: Options, databaseUrl: string, server: string): Promise<number> {
  const infrastructure = await openInfrastructure(
    { databaseUrl, dataDirectory: 'unused', embeddedPostgresPort: undefined },
    { log, poolSize: options.clients + 10 },
  );
  try {
    const version = (await infrastructure.pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const runId = `load-${randomBytes(4).toString('hex')}`;
    infrastructure.projections.start();
    await prepareLoad(infrastructure.appraisal, runId);

    log(`${options.clients} clients for ${options.seconds} s on ${server} (PostgreSQL ${version})`);
    let acknowledged = 0;
    let failed = 0;
    const progress = setInterval(() => log(`acknowledged ${acknowledged}, failed ${failed}`), 5000);
    const result = await runLoad(infrastructure.appraisal, {
      clients: options.clients,
      runId,
      durationMs: options.seconds * 1000,
      onAcknowledged: () => (acknowledged += 1),
      onFailed: (failure) => {
        failed += 1;
        if (failed <= 10) log(`command ${failure.commandId} failed: ${failure.message}`);
      },
    });
    clearInterval(progress);
    log(`load done: ${result.acknowledged.length} acknowledged, ${result.failures.length} failed in ${result.seconds.toFixed(1)} s`);

    const started = Date.now();
    for (;;) {
      const behind = (await infrastructure.projections.status()).filter((status) => status.lag > 0 || status.lastError !== null);
      if (behind.length === 0) break;
      if (Date.now() - started > 300_000) throw new Error(`projections still behind after 300 s: ${behind.map((status) => `${status.name} ${status.lag}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const catchUpSeconds = (Date.now() - started) / 1000;
    await infrastructure.projections.stop();
    log(`projections caught up ${catchUpSeconds.toFixed(1)} s after the load`);

    const loss = await verifyZeroLoss(infrastructure.pool, result.acknowledged);
    await infrastructure.projections.catchUp(SEALING_PROJECTION);
    const integrity = await verifyIntegrity(infrastructure.store, infrastructure.pool);
    log(`integrity: ${integrity.ok ? 'ok' : `BROKEN at ${integrity.firstBadPosition}: ${integrity.reason}`} (${integrity.checkedEvents} events, ${integrity.sealedEvents} sealed)`);
    let replay = 'not run';
    if (options.replay) {
      const verification = await verifyReplay(infrastructure.pool, infrastructure.store, infrastructure.projections.views);
      replay = verification.equal ? 'equal' : `DIFFERS: ${verification.tables.filter((table) => !table.equal).map((table) => table.table).join(', ')}`;
      log(`replay --verify: ${replay}`);
    }

    const latencies = result.acknowledged.map((ack) => ack.latencyMs);
    const cpus = os.cpus();
    const clean = loss.lost.length === 0 && loss.duplicated.length === 0 && loss.duplicateEventIds.length === 0 && loss.streamsWithGaps.length === 0 && integrity.ok && !replay.startsWith('DIFFERS');
    process.stdout.write(
      [
        `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; PostgreSQL ${version} (${server})`,
        '',
        '| clients | seconds | commands acknowledged | commands/s | p50 ms | p99 ms | failed | events | lost | duplicated | stream gaps | chains | replay |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
        `| ${options.clients} | ${result.seconds.toFixed(1)} | ${result.acknowledged.length} | ${(result.acknowledged.length / result.seconds).toFixed(1)} | ` +
          `${percentile(latencies, 0.5).toFixed(1)} | ${percentile(latencies, 0.99).toFixed(1)} | ${result.failures.length} | ${loss.events} | ` +
          `${loss.lost.length} | ${loss.duplicated.length + loss.duplicateEventIds.length} | ${loss.streamsWithGaps.length} | ${integrity.ok ? 'verified' : 'BROKEN'} | ${replay} |`,
        '',
      ].join('\n'),
    );
    for (const commandId of loss.lost.slice(0, 10)) log(`lost: ${commandId}`);
    for (const commandId of loss.duplicated.slice(0, 10)) log(`duplicated: ${commandId}`);
    for (const streamId of loss.streamsWithGaps.slice(0, 10)) log(`revision gap: ${streamId}`);
    return clean ? 0 : 2;
  } finally {
    await infrastructure.close();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) return run(options, databaseUrl, `DATABASE_URL ${new URL(databaseUrl).host}`);
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'load-'));
  let embedded: EmbeddedServer | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDirectory, log });
    return await run(options, embedded.databaseUrl, 'embedded');
  } finally {
    await embedded?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  }
}

main().then(
  // Explicit exits: embedded-postgres's exit hook ends a natural exit with process.exit(0).
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
