/**
 * The command path benchmark (scripts/bench/command-path.ts): throughput and p50/p99 latency of
 * GraphQL mutations over HTTP at each client count, then the backfill latency. Progress goes to
 * stderr; the machine, the versions and the results go to stdout as markdown.
 *
 *   npm run build && NODE_ENV=production node --max-semi-space-size=64 dist/scripts/bench/run-command-path.js [--seconds 20] [--clients 1,8,32]
 *        [--projections on,off] [--warmup 2] [--backfill 5] [--pool 20] [--profile DIR]
 *
 * Against DATABASE_URL (use a database of its own: the bench adds organizations and people to
 * it), or without it on an embedded server in a temporary directory, removed afterwards.
 * NODE_ENV=production and --max-semi-space-size=64 run the service as the Docker image does (`npm
 * run bench` sets both): GraphQL's development checks are off, and the young generation is large
 * enough that the request path's short-lived objects cost fewer scavenges.
 * `node --cpu-prof dist/scripts/bench/run-command-path.js --clients 32 --backfill 0` profiles the whole
 * process (preparation included); `--profile DIR` writes a profile of the service's thread for
 * each measured run only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { benchCommandPath, formatCommandPathResult, type CommandPathOptions, type ProjectionMode } from './command-path.js';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function count(flag: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${flag} must be a whole number of at least ${min}, got ${text}`);
  return value;
}

function parseOptions(argv: string[]): Omit<CommandPathOptions, 'databaseUrl'> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      clients: { type: 'string' },
      projections: { type: 'string' },
      warmup: { type: 'string' },
      backfill: { type: 'string' },
      pool: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const clients = (values.clients ?? '1,8,32').split(',').map((text) => count('clients', text.trim(), 1));
  const projections = (values.projections ?? 'on,off').split(',').map((text) => text.trim());
  for (const mode of projections) if (mode !== 'on' && mode !== 'off') throw new Error(`--projections takes on, off or on,off, got ${mode}`);
  return {
    seconds: count('seconds', values.seconds, 20),
    clients,
    projections: projections as ProjectionMode[],
    warmupSeconds: count('warmup', values.warmup, 2, 0),
    backfillRepeats: count('backfill', values.backfill, 5, 0),
    poolSize: count('pool', values.pool, 20),
    profileDirectory: values.profile,
    log,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const result = await benchCommandPath({ ...options, databaseUrl });
    process.stdout.write(formatCommandPathResult(result, `DATABASE_URL ${new URL(databaseUrl).host}`));
    return;
  }
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'bench-command-path-'));
  let embedded: EmbeddedServer | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDirectory, log });
    const result = await benchCommandPath({ ...options, databaseUrl: embedded.databaseUrl });
    process.stdout.write(formatCommandPathResult(result, 'embedded'));
  } finally {
    await embedded?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  }
}

main().then(
  // Explicit exits: embedded-postgres's exit hook ends a natural exit with process.exit(0).
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
