/**
 * Throughput of the PostgreSQL event store and the projections, on the embedded server and on the
 * system server: single-event appends, 100-event batches, then each projection's catch-up over
 * everything appended. Progress goes to stderr; the machine and the results table to stdout.
 *
 *   npm run bench:store -- [--single N] [--batches M] [--concurrency C]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { readModelProjections } from '../projections/index.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { endPool } from '../src/database/end-pool.js';
import { migrate } from '../src/database/migrate.js';
import type { NewEvent } from '../src/event-store/event.js';
import type { ExpectedRevision } from '../src/event-store/event-store.port.js';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store.js';
import { sealingProjection } from '../src/integrity/sealing.projection.js';
import { fromPureProjection } from '../src/projection/projection.js';
import { ProjectionRunner } from '../src/projection/projection-runner.js';
import { deterministicUuid } from '../src/shared/deterministic-id.js';

const DEFAULT_SYSTEM_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const POOL_SIZE = 10;
const BATCH_SIZE = 100;
/** A worker moves on to a new person's stream after this many appends, as a real workload would. */
const APPENDS_PER_STREAM = 10;
const INDICATORS = ['morality', 'competence', 'diligence', 'performance', 'integrity'];
const EFFECTIVE_AT = '2025-12-31';

interface Options {
  single: number;
  batches: number;
  concurrency: number;
}

interface Measurement {
  step: string;
  events: number;
  seconds: number;
}

interface ServerReport {
  server: string;
  /** `SHOW server_version`, or why the server was skipped. */
  version: string;
  measurements: Measurement[];
}

/** One append workload: `appends` calls of `eventsPerAppend` events each. */
interface AppendPlan {
  step: string;
  /** Keeps the plans' event, command and person ids apart. */
  key: string;
  appends: number;
  eventsPerAppend: number;
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
    options: {
      single: { type: 'string' },
      batches: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  return {
    single: positiveInteger('single', values.single, 5_000),
    batches: positiveInteger('batches', values.batches, 200),
    concurrency: positiveInteger('concurrency', values.concurrency, 8),
  };
}

/** Prints `label: done/total` to stderr every second until stopped. */
function startProgress(label: string, total: number): { update(done: number): void; stop(): void } {
  let done = 0;
  log(`${label}: 0/${total}`);
  const timer = setInterval(() => log(`${label}: ${done}/${total}`), 1000);
  return {
    update: (value) => {
      done = value;
    },
    stop: () => clearInterval(timer),
  };
}

async function measure(
  server: string,
  step: string,
  total: number,
  run: (progress: (done: number) => void) => Promise<number>,
): Promise<Measurement> {
  const progress = startProgress(`${server} ${step}`, total);
  const started = performance.now();
  try {
    const events = await run(progress.update);
    const seconds = (performance.now() - started) / 1000;
    log(`${server} ${step}: ${events} events in ${seconds.toFixed(2)} s`);
    return { step, events, seconds };
  } finally {
    progress.stop();
  }
}

function scoreRecorded(eventId: string, personId: string, commandId: string, worker: number, index: number): NewEvent {
  const organizationId = `org-${worker}`;
  return {
    eventId,
    type: 'ScoreRecorded',
    schemaVersion: 1,
    data: { personId, organizationId, indicator: INDICATORS[index % INDICATORS.length], points: index % 101 },
    metadata: {
      commandId,
      actor: { id: `assessor-${worker}`, role: 'assessor', organizationId },
      correlationId: commandId,
      causationId: commandId,
      effectiveAt: EFFECTIVE_AT,
    },
  };
}

/** Runs the plan's appends from `concurrency` workers, each appending to its own streams. */
async function appendConcurrently(
  store: PostgresEventStore,
  runId: string,
  plan: AppendPlan,
  concurrency: number,
  progress: (done: number) => void,
): Promise<number> {
  let nextAppend = 0;
  let appended = 0;

  async function worker(workerIndex: number): Promise<void> {
    let streamNumber = 0;
    let appendsToStream = 0;
    let expected: ExpectedRevision = 'no_stream';
    for (let append = nextAppend++; append < plan.appends; append = nextAppend++) {
      const personId = `${runId}-${plan.key}-w${workerIndex}-p${streamNumber}`;
      const commandId = deterministicUuid('bench', runId, plan.key, 'command', String(append));
      const events = Array.from({ length: plan.eventsPerAppend }, (_, offset) => {
        const index = append * plan.eventsPerAppend + offset;
        const eventId = deterministicUuid('bench', runId, plan.key, String(index));
        return scoreRecorded(eventId, personId, commandId, workerIndex, index);
      });
      const result = await store.appendToStream(`appraisal-${personId}`, expected, events);
      appended += events.length;
      progress(appended);
      appendsToStream += 1;
      expected = result.nextExpectedRevision;
      if (appendsToStream === APPENDS_PER_STREAM) {
        streamNumber += 1;
        appendsToStream = 0;
        expected = 'no_stream';
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, workerIndex) => worker(workerIndex)));
  return appended;
}

async function serverVersion(db: Pick<pg.Pool, 'query'>): Promise<string> {
  const result = await db.query<{ server_version: string }>('SHOW server_version');
  return result.rows[0].server_version;
}

/** Migrates the database, then runs every measurement against it. */
async function benchDatabase(
  server: string,
  databaseUrl: string,
  options: Options,
  runId: string,
): Promise<ServerReport> {
  await migrate(databaseUrl, log);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  pool.on('error', (error) => log(`${server}: idle connection lost: ${error.message}`));
  const store = new PostgresEventStore(pool);
  try {
    const version = await serverVersion(pool);
    const plans: AppendPlan[] = [
      { step: 'single-event appends', key: 'single', appends: options.single, eventsPerAppend: 1 },
      {
        step: `${BATCH_SIZE}-event batches`,
        key: 'batch',
        appends: options.batches,
        eventsPerAppend: BATCH_SIZE,
      },
    ];
    const measurements: Measurement[] = [];
    for (const plan of plans) {
      const total = plan.appends * plan.eventsPerAppend;
      measurements.push(
        await measure(server, plan.step, total, (progress) =>
          appendConcurrently(store, runId, plan, options.concurrency, progress),
        ),
      );
    }

    const appended = measurements.reduce((sum, measurement) => sum + measurement.events, 0);
    const projections = [sealingProjection, ...readModelProjections.map(fromPureProjection)];
    const runner = new ProjectionRunner(pool, store, projections, { log });
    for (const name of runner.names) {
      measurements.push(
        await measure(server, `catch-up ${name}`, appended, (progress) => runner.catchUp(name, progress)),
      );
    }
    return { server, version, measurements };
  } finally {
    await store.close();
    await endPool(pool);
  }
}

async function benchEmbedded(options: Options, runId: string): Promise<ServerReport> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'bench-store-'));
  try {
    const embedded = await startEmbeddedPostgres({ dataDirectory, log });
    try {
      return await benchDatabase('embedded', embedded.databaseUrl, options, runId);
    } finally {
      await embedded.stop();
    }
  } finally {
    await rm(dataDirectory, { recursive: true, force: true });
  }
}

async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function benchSystem(adminUrl: string, options: Options, runId: string): Promise<ServerReport> {
  const server = `system ${new URL(adminUrl).host}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    const reason = `unreachable (${error instanceof Error ? error.message : String(error)}), skipped`;
    log(`${server}: ${reason}`);
    return { server, version: reason, measurements: [] };
  }
  const database = `bench_${runId}`;
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;
  try {
    return await benchDatabase(server, databaseUrl.toString(), options, runId);
  } finally {
    // FORCE: a connection a failed step left open must not keep the bench database behind.
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

function formatReport(options: Options, reports: ServerReport[]): string {
  const cpus = os.cpus();
  const memoryGiB = (os.totalmem() / 2 ** 30).toFixed(1);
  const lines = [
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${memoryGiB} GiB RAM, Node ${process.version}`,
    ...reports.map((report) => `PostgreSQL ${report.server}: ${report.version}`),
    `Workload: ${options.single} single-event appends, ${options.batches} batches of ${BATCH_SIZE}, ` +
      `${options.concurrency} concurrent workers, pool of ${POOL_SIZE}`,
    '',
    '| server | measurement | events | seconds | events/s |',
    '|---|---|---:|---:|---:|',
  ];
  for (const report of reports) {
    for (const { step, events, seconds } of report.measurements) {
      const rate = Math.round(events / seconds);
      lines.push(`| ${report.server} | ${step} | ${events} | ${seconds.toFixed(2)} | ${rate} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runId = randomBytes(4).toString('hex');
  const reports = [
    await benchEmbedded(options, runId),
    await benchSystem(process.env.BENCH_SYSTEM_URL ?? DEFAULT_SYSTEM_URL, options, runId),
  ];
  process.stdout.write(`${formatReport(options, reports)}\n`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  // Not process.exitCode: embedded-postgres's exit hook ends a natural exit with process.exit(0).
  process.exit(1);
});
