/**
 * Event append throughput of our PostgreSQL store against its peer, emmett-postgresql, and against
 * raw COPY into an equivalent table (the limit), on the same server: single-event appends and
 * batches, the same events, streams and concurrency for each. Each contender gets a fresh database
 * of its own, created from the admin connection and dropped afterwards.
 *
 * The workload: `concurrency` workers; worker w makes the appends w, w + C, w + 2C, … to streams of
 * its own, moving to a new stream after `appendsPerStream` appends, and every append names the
 * revision it expects (our store: `no_stream` for a stream's first, then the returned revision;
 * emmett: 0n, then the returned version), so both run their optimistic concurrency check. emmett
 * commits each append in a transaction of its own; our store may write small appends that arrive
 * together in one statement (see postgres-event-store.ts). COPY
 * writes the same rows our store writes (revisions, recorded time and the hash chain computed in
 * Node from the worker's in-memory head), one COPY per append, each its own transaction; the
 * table's unique (stream, revision) and event id keys stand in for the concurrency check. The
 * workers' events (with their deterministic ids) are made before the clock starts, so that the time
 * and the CPU measured are the contender's own: its driver, its hashing, its server.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { projectPath } from '../../src/config/project-root.js';
import { endPool } from '../../src/database/end-pool.js';
import { migrate } from '../../src/database/migrate.js';
import type { NewEvent } from '../../src/event-store/event.js';
import { eventHash, GENESIS_HASH } from '../../src/event-store/event-hash.js';
import type { ExpectedRevision } from '../../src/event-store/event-store.port.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { deterministicUuid } from '../../src/shared/deterministic-id.js';

export type Contender = 'ours' | 'emmett' | 'copy';
export type AppendMode = 'single' | 'batch';

export const CONTENDERS: readonly Contender[] = ['ours', 'emmett', 'copy'];
export const MODES: readonly AppendMode[] = ['single', 'batch'];

export interface BenchAppendOptions {
  /** Single-event appends (each its own transaction) per round. Default 10,000. */
  singleEvents?: number;
  /** Batched appends per round. Default 1,000 (100,000 events at the default size: long enough for a steady rate). */
  batches?: number;
  /** Events per batched append. Default 100. */
  batchSize?: number;
  /** Concurrent appenders, each on its own connection. Default 8. */
  concurrency?: number;
  /** Appends to one stream before a worker moves to a new one. Default 10. */
  appendsPerStream?: number;
  /**
   * Rounds, each of which runs every contender in turn on a fresh database. Default 3. A shared
   * machine's speed drifts over minutes; contenders measured side by side in each round meet the
   * same drift, and the medians over rounds keep one slow round from deciding a ratio.
   */
  rounds?: number;
  onProgress?: (progress: AppendProgress) => void;
}

export interface AppendProgress {
  /** 1, 2, … */
  round: number;
  contender: Contender;
  mode: AppendMode;
  /** Events appended so far in this run. */
  events: number;
  total: number;
}

export interface AppendMeasurement {
  /** 1, 2, … */
  round: number;
  contender: Contender;
  mode: AppendMode;
  appends: number;
  eventsPerAppend: number;
  events: number;
  streams: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of this Node process (the appenders and the driver) per event, in microseconds. */
  clientCpuMicrosPerEvent: number;
  /**
   * CPU time of the contender's server backends per event, in microseconds, read from /proc; null
   * when the server is not on this machine or /proc cannot be read. WAL writer and checkpointer not
   * included.
   */
  serverCpuMicrosPerEvent: number | null;
}

export interface AppendRatio {
  mode: AppendMode;
  /** Our events/s divided by emmett-postgresql's: the median of the rounds' ratios. */
  oursToPeer: number;
  /** Our events/s divided by raw COPY's: the median of the rounds' ratios. */
  oursToCopy: number;
  /** Each round's ratios, in round order. */
  byRound: { oursToPeer: number; oursToCopy: number }[];
}

/** A contender's events/s in one mode: the median over the rounds. */
export interface AppendRate {
  contender: Contender;
  mode: AppendMode;
  eventsPerSecond: number;
}

export interface AppendBenchResult {
  /** Names this run's databases: bench_append_<runId>_<round>_<contender>, dropped at the end. */
  runId: string;
  machine: { cpu: string; cores: number; memoryGiB: number };
  node: string;
  postgres: string;
  /** Installed versions of the peer and the COPY driver. */
  packages: { emmettPostgresql: string; pgCopyStreams: string };
  options: Required<Omit<BenchAppendOptions, 'onProgress'>>;
  /** Every round's measurements, by contender, mode and round. */
  measurements: AppendMeasurement[];
  rates: AppendRate[];
  ratios: AppendRatio[];
}

const INDICATORS = ['morality', 'competence', 'diligence', 'performance', 'integrity'];
const EFFECTIVE_AT = '2025-12-31';
/** The columns COPY fills; global_position and transaction_id take their defaults, as in an append. */
const COPY_COLUMNS =
  'stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash';

/** One timed workload: `appends` appends of `eventsPerAppend` events. */
interface Plan {
  mode: AppendMode;
  appends: number;
  eventsPerAppend: number;
}

/** Appends `events` to `streamId`, expecting it at the worker's head; returns nothing. */
type Appender = (streamId: string, events: NewEvent[], newStream: boolean) => Promise<void>;

/** A contender set up in its database: one appender per worker, and the cleanup. */
interface Prepared {
  appenderFor(worker: number): Appender;
  /** Events stored so far, to check that every append landed. */
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function installedVersion(packageName: string): string {
  const manifest = JSON.parse(readFileSync(projectPath('node_modules', packageName, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
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

/** Opens every connection of the pool before the clock starts. */
async function warm(pool: pg.Pool, connections: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  for (const client of clients) client.release();
}

function newPool(databaseUrl: string, concurrency: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  pool.on('error', () => undefined);
  return pool;
}

async function countRows(pool: pg.Pool, table: string): Promise<number> {
  const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0].n);
}

/** The event every contender appends: the same bytes of data and metadata. */
function benchEvent(runId: string, mode: AppendMode, index: number, personId: string, worker: number): NewEvent {
  const organizationId = `org-${worker}`;
  const commandId = deterministicUuid('bench-append', runId, mode, 'command', String(index));
  return {
    eventId: deterministicUuid('bench-append', runId, mode, 'event', String(index)),
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

async function prepareOurs(databaseUrl: string, concurrency: number): Promise<Prepared> {
  await migrate(databaseUrl);
  const pool = newPool(databaseUrl, concurrency);
  await warm(pool, concurrency);
  const store = new PostgresEventStore(pool);
  return {
    appenderFor() {
      let expected: ExpectedRevision = 'no_stream';
      return async (streamId, events, newStream) => {
        const result = await store.appendToStream(streamId, newStream ? 'no_stream' : expected, events);
        expected = result.nextExpectedRevision;
      };
    },
    countEvents: () => countRows(pool, 'events'),
    async close() {
      await store.close();
      await endPool(pool);
    },
  };
}

/** pg's global type parsers, which dumbo (under emmett) replaces for every pg user in the process. */
const PARSED_TYPES = [20, 114, 3802] as const;

async function prepareEmmett(databaseUrl: string, concurrency: number): Promise<Prepared> {
  const saved = PARSED_TYPES.map((oid) => [oid, pg.types.getTypeParser(oid, 'text')] as const);
  const restoreParsers = () => {
    for (const [oid, parser] of saved) pg.types.setTypeParser(oid, 'text', parser);
  };
  const pool = newPool(databaseUrl, concurrency);
  // The same pool size as the other contenders (emmett's own pool would hold 10 connections).
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
  try {
    await store.schema.migrate(); // emmett creates its own schema; done before the clock starts
    await warm(pool, concurrency);
  } catch (error) {
    restoreParsers();
    await endPool(pool);
    throw error;
  }
  return {
    appenderFor() {
      let expected = 0n;
      return async (streamId, events, newStream) => {
        const result = await store.appendToStream(
          streamId,
          events.map((event) => ({ type: event.type, data: event.data, metadata: { messageId: event.eventId, ...event.metadata } })),
          { expectedStreamVersion: newStream ? 0n : expected },
        );
        expected = result.nextExpectedStreamVersion;
      };
    },
    countEvents: () => countRows(pool, 'emt_messages'),
    async close() {
      try {
        await store.close();
        await endPool(pool);
      } finally {
        restoreParsers();
      }
    },
  };
}

function csvField(value: string | number): string {
  return `"${String(value).replaceAll('"', '""')}"`;
}

async function prepareCopy(databaseUrl: string, concurrency: number): Promise<Prepared> {
  await migrate(databaseUrl);
  const pool = newPool(databaseUrl, concurrency);
  // The columns, defaults, checks, keys and indexes of `events`, without its triggers.
  await pool.query('CREATE TABLE copy_events (LIKE events INCLUDING ALL)');
  await warm(pool, concurrency);
  const copy = `COPY copy_events (${COPY_COLUMNS}) FROM STDIN (FORMAT csv)`;
  return {
    appenderFor() {
      let headRevision = -1;
      let headHash = GENESIS_HASH;
      return async (streamId, events, newStream) => {
        if (newStream) {
          headRevision = -1;
          headHash = GENESIS_HASH;
        }
        const recordedAt = new Date().toISOString();
        let lines = '';
        for (const event of events) {
          const content = { ...event, streamId, streamRevision: headRevision + 1, recordedAt };
          const hash = eventHash(headHash, content);
          lines += `${[
            streamId,
            content.streamRevision,
            event.eventId,
            event.metadata.commandId,
            event.type,
            event.schemaVersion,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            recordedAt,
            event.metadata.effectiveAt,
            hash,
          ]
            .map(csvField)
            .join(',')}\n`;
          headRevision += 1;
          headHash = hash;
        }
        const client = await pool.connect();
        try {
          const stream = client.query(copyFrom(copy));
          stream.end(lines);
          await finished(stream);
        } finally {
          client.release();
        }
      };
    },
    countEvents: () => countRows(pool, 'copy_events'),
    close: () => endPool(pool),
  };
}

const PREPARE: Record<Contender, (databaseUrl: string, concurrency: number) => Promise<Prepared>> = {
  ours: prepareOurs,
  emmett: prepareEmmett,
  copy: prepareCopy,
};

/** One worker's append: the events to append to a stream, and whether it is the stream's first. */
interface PlannedAppend {
  streamId: string;
  events: NewEvent[];
  newStream: boolean;
}

/**
 * Each worker's appends of a plan, made before the clock starts so that the time measured is the
 * contenders' alone: worker w makes the appends w, w + C, w + 2C, … to streams of its own, moving to
 * a new stream after `appendsPerStream` appends.
 */
function planAppends(runId: string, plan: Plan, options: { concurrency: number; appendsPerStream: number }): PlannedAppend[][] {
  return Array.from({ length: options.concurrency }, (_, workerIndex) => {
    const appends: PlannedAppend[] = [];
    for (let index = workerIndex, local = 0; index < plan.appends; index += options.concurrency, local += 1) {
      const personId = `${runId}-${plan.mode}-w${workerIndex}-p${Math.floor(local / options.appendsPerStream)}`;
      appends.push({
        streamId: `appraisal-${personId}`,
        events: Array.from({ length: plan.eventsPerAppend }, (_, offset) =>
          benchEvent(runId, plan.mode, index * plan.eventsPerAppend + offset, personId, workerIndex),
        ),
        newStream: local % options.appendsPerStream === 0,
      });
    }
    return appends;
  });
}

/** Runs each worker's planned appends, the workers side by side; returns the events appended. */
async function runPlan(prepared: Prepared, planned: PlannedAppend[][], progress: (events: number) => void): Promise<number> {
  let appended = 0;
  async function worker(workerIndex: number): Promise<void> {
    const append = prepared.appenderFor(workerIndex);
    for (const { streamId, events, newStream } of planned[workerIndex]) {
      await append(streamId, events, newStream);
      appended += events.length;
      progress(appended);
    }
  }
  await Promise.all(planned.map((_, workerIndex) => worker(workerIndex)));
  return appended;
}

/** Linux counts process CPU time in ticks of 1/100 s (USER_HZ). */
const MICROS_PER_TICK = 10_000;

/**
 * CPU time (user + system) of each of the given processes that is running, in microseconds; null
 * when none can be read (no /proc, or no such process on this machine).
 */
function processesCpuMicros(pids: number[]): Map<number, number> | null {
  const micros = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      micros.set(pid, (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK);
    } catch {
      // Gone already: a connection that was closing when the list was taken (the migration's).
    }
  }
  return micros.size === 0 ? null : micros;
}

/** CPU time the processes running at both readings spent between them; null if either reading failed. */
function cpuMicrosBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, micros] of after) {
    const earlier = before.get(pid);
    if (earlier === undefined) return null;
    spent += micros - earlier;
  }
  return after.size === before.size ? spent : null;
}

/** The server processes serving `database`, if the server runs on this machine. */
async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const host = new URL(adminUrl).hostname;
  const local = host === '' || host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host.startsWith('/');
  if (!local) return [];
  const result = await withClient(adminUrl, (client) =>
    client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]),
  );
  return result.rows.map((row) => row.pid);
}

/**
 * Before a plan: once the log holds events, the tables' statistics as they now are (as autovacuum
 * would have them on a database in use: prepared statements keep the plan made on their first
 * runs, on the tables as they were then, until the statistics change; an empty table is left
 * unanalyzed, as a new database is); then the dirty buffers written out.
 */
async function settle(databaseUrl: string, logHoldsEvents: boolean): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    if (logHoldsEvents) await client.query('ANALYZE');
    await client.query('CHECKPOINT');
  }).catch(() => undefined);
}

async function benchContender(
  adminUrl: string,
  contender: Contender,
  runId: string,
  round: number,
  plans: Plan[],
  options: Required<Omit<BenchAppendOptions, 'onProgress'>>,
  onProgress: BenchAppendOptions['onProgress'],
): Promise<AppendMeasurement[]> {
  const database = `bench_append_${runId}_${round}_${contender}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const databaseUrl = databaseUrlFor(adminUrl, database);
  try {
    const prepared = await PREPARE[contender](databaseUrl, options.concurrency);
    try {
      const measurements: AppendMeasurement[] = [];
      const pids = await backendPids(adminUrl, database);
      let stored = 0;
      for (const plan of plans) {
        const total = plan.appends * plan.eventsPerAppend;
        await settle(databaseUrl, stored > 0);
        onProgress?.({ round, contender, mode: plan.mode, events: 0, total });
        const planned = planAppends(runId, plan, options);
        const streams = planned.flat().filter((append) => append.newStream).length;
        const serverBefore = processesCpuMicros(pids);
        const clientBefore = process.cpuUsage();
        const started = performance.now();
        const events = await runPlan(prepared, planned, (done) => onProgress?.({ round, contender, mode: plan.mode, events: done, total }));
        const seconds = (performance.now() - started) / 1000;
        const client = process.cpuUsage(clientBefore);
        const serverCpu = cpuMicrosBetween(serverBefore, processesCpuMicros(pids));
        stored += events;
        const counted = await prepared.countEvents();
        if (counted !== stored) throw new Error(`${contender} ${plan.mode}: ${counted} events stored, ${stored} appended`);
        measurements.push({
          round,
          contender,
          mode: plan.mode,
          appends: plan.appends,
          eventsPerAppend: plan.eventsPerAppend,
          events,
          streams,
          seconds,
          eventsPerSecond: events / seconds,
          clientCpuMicrosPerEvent: (client.user + client.system) / events,
          serverCpuMicrosPerEvent: serverCpu === null ? null : serverCpu / events,
        });
      }
      return measurements;
    } finally {
      await prepared.close();
    }
  } finally {
    // FORCE: a connection a failed step left open must not keep the bench database behind.
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

/** The median of the values (the mean of the middle two for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Measures the three contenders in `rounds` rounds; in each, one contender after another, each in
 * a fresh database on the server of `databaseUrl` (an admin connection allowed to create and drop
 * databases).
 */
export async function benchAppend(databaseUrl: string, options: BenchAppendOptions = {}): Promise<AppendBenchResult> {
  const settings = {
    singleEvents: positive('singleEvents', options.singleEvents ?? 10_000),
    batches: positive('batches', options.batches ?? 1_000),
    batchSize: positive('batchSize', options.batchSize ?? 100),
    concurrency: positive('concurrency', options.concurrency ?? 8),
    appendsPerStream: positive('appendsPerStream', options.appendsPerStream ?? 10),
    rounds: positive('rounds', options.rounds ?? 3),
  };
  const plans: Plan[] = [
    { mode: 'single', appends: settings.singleEvents, eventsPerAppend: 1 },
    { mode: 'batch', appends: settings.batches, eventsPerAppend: settings.batchSize },
  ];
  const postgres = await withClient(databaseUrl, async (client) => {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0].server_version;
  });
  const runId = Math.random().toString(36).slice(2, 10);
  const measurements: AppendMeasurement[] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    // Each round starts one contender further on, so that none is always the first or the last
    // while the machine's speed drifts. One contender at a time: emmett's driver swaps pg's global
    // type parsers while its store is open (restored when it closes).
    const shift = (round - 1) % CONTENDERS.length;
    for (const contender of [...CONTENDERS.slice(shift), ...CONTENDERS.slice(0, shift)]) {
      measurements.push(...(await benchContender(databaseUrl, contender, runId, round, plans, settings, options.onProgress)));
    }
  }
  const rate = (contender: Contender, mode: AppendMode, round: number) =>
    measurements.find((m) => m.contender === contender && m.mode === mode && m.round === round)!.eventsPerSecond;
  const rounds = Array.from({ length: settings.rounds }, (_, index) => index + 1);
  const cpus = os.cpus();
  return {
    runId,
    machine: { cpu: cpus[0]?.model?.trim() || 'unknown CPU', cores: cpus.length, memoryGiB: os.totalmem() / 2 ** 30 },
    node: process.version,
    postgres,
    packages: {
      emmettPostgresql: installedVersion('@event-driven-io/emmett-postgresql'),
      pgCopyStreams: installedVersion('pg-copy-streams'),
    },
    options: settings,
    measurements: CONTENDERS.flatMap((contender) =>
      MODES.flatMap((mode) => rounds.map((round) => measurements.find((m) => m.contender === contender && m.mode === mode && m.round === round)!)),
    ),
    rates: CONTENDERS.flatMap((contender) =>
      MODES.map((mode) => ({ contender, mode, eventsPerSecond: median(rounds.map((round) => rate(contender, mode, round))) })),
    ),
    ratios: MODES.map((mode) => {
      const byRound = rounds.map((round) => ({
        oursToPeer: rate('ours', mode, round) / rate('emmett', mode, round),
        oursToCopy: rate('ours', mode, round) / rate('copy', mode, round),
      }));
      return {
        mode,
        oursToPeer: median(byRound.map((entry) => entry.oursToPeer)),
        oursToCopy: median(byRound.map((entry) => entry.oursToCopy)),
        byRound,
      };
    }),
  };
}

export function contenderLabel(contender: Contender, result: Pick<AppendBenchResult, 'packages'>): string {
  switch (contender) {
    case 'ours':
      return 'ours: PostgresEventStore';
    case 'emmett':
      return `peer: emmett-postgresql ${result.packages.emmettPostgresql}`;
    case 'copy':
      return `limit: raw COPY (pg-copy-streams ${result.packages.pgCopyStreams})`;
  }
}

function modeLabel(mode: AppendMode, batchSize: number): string {
  return mode === 'single' ? 'single-event appends' : `${batchSize}-event batches`;
}

/** The result as markdown: machine and versions, events/s per contender and mode, the ratios. */
export function formatAppendReport(result: AppendBenchResult): string {
  const { options } = result;
  const rate = (value: number) => Math.round(value).toLocaleString('en-US');
  const ratio = (value: number) => `${value.toFixed(2)}×`;
  const find = (contender: Contender, mode: AppendMode) => result.rates.find((entry) => entry.contender === contender && entry.mode === mode)!;
  const lines = [
    `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB.toFixed(1)} GiB RAM`,
    `Node ${result.node}, PostgreSQL ${result.postgres}`,
    `Workload: ${options.rounds} rounds; in each, every contender on a fresh database of its own, one after another, each round starting one contender further on: ` +
      `${options.singleEvents} single-event appends and ${options.batches} appends of ${options.batchSize} events, ` +
      `${options.concurrency} concurrent appenders (one connection each), a new stream every ${options.appendsPerStream} appends, ` +
      'each append with its expected revision, the events made before the clock starts. emmett and COPY commit every append on its own; ' +
      'our store writes small appends that arrive together in one statement and commit.',
    'Events/s: the median over the rounds; ratios: the median of the rounds\' ratios (each round\'s contenders ran minutes apart at most).',
    '',
    `| contender | ${MODES.map((mode) => `${modeLabel(mode, options.batchSize)} (events/s)`).join(' | ')} |`,
    `|---|${MODES.map(() => '---:').join('|')}|`,
    ...CONTENDERS.map(
      (contender) => `| ${contenderLabel(contender, result)} | ${MODES.map((mode) => rate(find(contender, mode).eventsPerSecond)).join(' | ')} |`,
    ),
    `| ours ÷ peer | ${result.ratios.map((entry) => ratio(entry.oursToPeer)).join(' | ')} |`,
    `| ours ÷ COPY | ${result.ratios.map((entry) => ratio(entry.oursToCopy)).join(' | ')} |`,
    '',
    ...result.ratios.map(
      (entry) =>
        `Ours ÷ peer by round, ${modeLabel(entry.mode, options.batchSize)}: ${entry.byRound.map((round) => ratio(round.oursToPeer)).join(', ')}.`,
    ),
    '',
    '| round | contender | mode | appends | events | streams | seconds | events/s | CPU µs/event: Node | CPU µs/event: server |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...result.measurements.map(
      (m) =>
        `| ${m.round} | ${contenderLabel(m.contender, result)} | ${modeLabel(m.mode, m.eventsPerAppend)} | ${m.appends} | ${m.events} | ${m.streams} | ` +
        `${m.seconds.toFixed(2)} | ${rate(m.eventsPerSecond)} | ${Math.round(m.clientCpuMicrosPerEvent)} | ` +
        `${m.serverCpuMicrosPerEvent === null ? 'n/a' : Math.round(m.serverCpuMicrosPerEvent)} |`,
    ),
    '',
    'CPU: this process (appenders, driver, hashing; not the making of the events) and the contender database\'s server backends (from /proc, ' +
      'in 10 ms ticks; WAL writer and checkpointer not counted). On a shared machine events/s moves with ' +
      'the other load; CPU per event much less so.',
  ];
  return lines.join('\n');
}
