/**
 * `npm run bench`: one run on one machine, printed as markdown with the machine and versions.
 *
 *   npm run bench -- [--people 300000] [--seed 1] [--seconds 20] [--clients 1,8,32]
 *                    [--samples 200] [--skip dataset,rebuild,queries,commands,append]
 *                    [--keep-dataset] [--dataset NAME]
 *
 * 1. generates the deterministic dataset (--people, one organ per 100 people under a province
 *    root, the first organ of 1,000; a year of three quarterly cycles and one annual) into a fresh
 *    database, with a progress bar (`--keep-dataset` keeps that database afterwards and prints its
 *    name; `--dataset NAME` measures on such a kept database instead of generating one);
 * 2. rebuilds every projection from zero against a raw sequential read of the log (the limit);
 * 3. times the queries: grade trace, the record as of a moment, the largest organization's roster
 *    report and the province-wide quarterly summary (gradeSummary of the root);
 * 4. the command path (GraphQL mutations over HTTP at each client count, with the projections running
 *    in the service and without them) and the backfill latency;
 * 5. appends of our store against emmett-postgresql and raw COPY.
 *
 * Against DATABASE_URL's server (default postgresql://postgres@127.0.0.1:5432/postgres): the
 * bench creates its databases there and drops them at the end.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { endPool } from '../../src/database/end-pool.js';
import { migrate } from '../../src/database/migrate.js';
import { openInfrastructure } from '../../src/infrastructure.js';
import { formatAppendReport, benchAppend } from './append.js';
import { benchCommandPath, formatCommandPathResult } from './command-path.js';
import { DEFAULT_PEOPLE, generateDataset, progressBar, type DatasetSummary } from './dataset.js';
import { BenchService, GRADE_SUMMARY, GRADE_TRACE, RECORD_AS_OF, REPORT_ROWS, timeQuery, type LatencyMeasurement } from './queries.js';
import { benchRebuild, type RebuildMeasurement } from './rebuild.js';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const STEPS = ['dataset', 'rebuild', 'queries', 'commands', 'append'] as const;
type Step = (typeof STEPS)[number];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function whole(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag} must be a positive whole number, got ${text}`);
  return value;
}

function databaseUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

async function createDatabase(admin: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(admin: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Longest wait for the server's background work before a measured step. */
const QUIET_WAIT_MS = 20 * 60_000;

/**
 * Waits until no autovacuum worker runs on the server (after a rebuild it vacuums and analyzes
 * the millions of rows just written, for minutes, on the cores the next step measures), then
 * writes the dirty buffers out (CHECKPOINT). Returns a line for the report when it had to wait.
 */
async function untilServerQuiet(admin: string, before: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ datname: string; query: string }>(
        `SELECT datname, query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
      );
      const waited = (performance.now() - started) / 1000;
      if (rows.length === 0 || waited * 1000 >= QUIET_WAIT_MS) {
        await client.query('CHECKPOINT');
        process.stderr.write('\n');
        if (rows.length > 0) return `Before ${before}: autovacuum still running after ${waited.toFixed(0)} s (${rows.map((row) => row.query).join('; ')}); measured anyway.`;
        return waited >= 1 ? `Before ${before}: waited ${waited.toFixed(0)} s for the server's autovacuum to finish, then CHECKPOINT.` : undefined;
      }
      process.stderr.write(`\rbefore ${before}, waiting for autovacuum (${waited.toFixed(0)} s): ${rows.map((row) => `${row.datname}: ${row.query}`).join('; ')}`.slice(0, 160).padEnd(160));
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  } finally {
    await client.end();
  }
}

/** What a kept dataset holds: its events and people, as read from it. */
async function datasetSize(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; people: string }>(
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM events WHERE type = 'PersonRegistered') AS people`,
    );
    return `${Number(rows[0].people).toLocaleString('en-US')} people, ${Number(rows[0].events).toLocaleString('en-US')} events`;
  } finally {
    await client.end();
  }
}

const ms = (value: number) => value.toFixed(1);
const rate = (events: number, seconds: number) => Math.round(events / seconds).toLocaleString('en-US');
const verdict = (holds: boolean) => (holds ? 'met' : '**missed**');

function formatDataset(summary: DatasetSummary): string {
  return [
    '### Dataset',
    '',
    `${summary.people.toLocaleString('en-US')} people, ${summary.organizations.toLocaleString('en-US')} organs under one province root (the largest of ${summary.largestOrganization.toLocaleString('en-US')} people), ${summary.units.toLocaleString('en-US')} units, ${summary.records.toLocaleString('en-US')} records, ${summary.events.toLocaleString('en-US')} events generated in ${summary.seconds.toFixed(1)} s (${rate(summary.events, summary.seconds)} events/s).`,
  ].join('\n');
}

function formatRebuild(result: RebuildMeasurement): string {
  const rebuildRate = result.events / result.rebuildSeconds;
  const rawRate = result.events / result.rawReadSeconds;
  return [
    '### Rebuilding every projection from zero',
    '',
    '| what | seconds | events/s |',
    '|---|---:|---:|',
    `| raw sequential read of the log (the limit) | ${result.rawReadSeconds.toFixed(1)} | ${rate(result.events, result.rawReadSeconds)} |`,
    `| **rebuild all** (${result.projections.length} views together, the log's events per second) | ${result.rebuildSeconds.toFixed(1)} | ${rate(result.events, result.rebuildSeconds)} |`,
    ...result.projections.map((projection) => `| — of which ${projection.name}'s transactions (side by side with the others) | ${projection.seconds.toFixed(1)} | |`),
    '',
    `Rebuild all ÷ raw read: ${(rebuildRate / rawRate).toFixed(3)} (target ≥ 0.3: ${verdict(rebuildRate / rawRate >= 0.3)}); rebuild ≥ 50,000 events/s: ${verdict(rebuildRate >= 50_000)}.`,
  ].join('\n');
}

function formatQueries(measurements: LatencyMeasurement[], targets: Record<string, number>): string {
  return [
    '### Query latency (in-process HTTP, token verified, one after the other; grade trace and as-of: each on its own records, after warm-up requests on other records)',
    '',
    '| query | samples | p50 ms | p99 ms | max ms | target | |',
    '|---|---:|---:|---:|---:|---|---|',
    ...measurements.map((measurement) => {
      const target = Object.entries(targets).find(([prefix]) => measurement.query.startsWith(prefix))?.[1];
      return `| ${measurement.query} | ${measurement.samples} | ${ms(measurement.p50Ms)} | ${ms(measurement.p99Ms)} | ${ms(measurement.maxMs)} | ${target ? `p99 < ${target} ms` : ''} | ${target ? verdict(measurement.p99Ms < target) : ''} |`;
    }),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      seconds: { type: 'string' },
      clients: { type: 'string' },
      samples: { type: 'string' },
      skip: { type: 'string' },
      'keep-dataset': { type: 'boolean' },
      dataset: { type: 'string' },
    },
  });
  const people = whole('people', values.people, DEFAULT_PEOPLE);
  const seed = whole('seed', values.seed, 1);
  const seconds = whole('seconds', values.seconds, 20);
  const samples = whole('samples', values.samples, 200);
  const clients = (values.clients ?? '1,8,32').split(',').map((text) => whole('clients', text, 1));
  const skipped = new Set((values.skip ?? '').split(',').filter(Boolean) as Step[]);
  for (const step of skipped) if (!STEPS.includes(step)) throw new Error(`--skip takes ${STEPS.join(', ')}; got ${step}`);
  const keptDataset = values.dataset;
  if (keptDataset !== undefined && !/^bench_[a-z0-9]+_dataset$/.test(keptDataset)) {
    throw new Error(`--dataset takes the name of a database a --keep-dataset run printed (bench_<run>_dataset), got ${keptDataset}`);
  }
  if (keptDataset !== undefined && values['keep-dataset']) throw new Error('--dataset already names a kept database: --keep-dataset is for a run that generates one');
  // A kept dataset is measured as it is: generating into it again would find it full.
  if (keptDataset !== undefined) skipped.add('dataset');
  const keepDataset = values['keep-dataset'] === true || keptDataset !== undefined;

  const admin = process.env.DATABASE_URL ?? DEFAULT_URL;
  const runId = `${Date.now().toString(36)}`;
  const sections: string[] = [];
  const probe = new pg.Client({ connectionString: admin });
  await probe.connect();
  const postgres = (await probe.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  await probe.end();
  sections.push(
    `## Benchmark ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; PostgreSQL ${postgres} (${new URL(admin).host}).`,
    `Options:${keptDataset ? '' : ` --people ${people} --seed ${seed}`} --seconds ${seconds} --clients ${clients.join(',')} --samples ${samples}${skipped.size ? ` --skip ${[...skipped].join(',')}` : ''}${keptDataset ? ` --dataset ${keptDataset}` : ''}`,
  );

  const datasetDatabase = keptDataset ?? `bench_${runId}_dataset`;
  if (!keptDataset) await createDatabase(admin, datasetDatabase);
  const datasetUrl = databaseUrl(admin, datasetDatabase);
  try {
    await migrate(datasetUrl, () => undefined);
    if (keptDataset) sections.push('', `Dataset: the kept database ${keptDataset} (${await datasetSize(datasetUrl)}).`);
    if (!skipped.has('dataset')) {
      const pool = new pg.Pool({ connectionString: datasetUrl, max: 4 });
      try {
        const summary = await generateDataset(pool, { people, seed, onProgress: progressBar(process.stderr, 'dataset') });
        process.stderr.write('\n');
        sections.push('', formatDataset(summary));
      } finally {
        await endPool(pool);
      }
    }
    const infrastructure = await openInfrastructure({ databaseUrl: datasetUrl, dataDirectory: 'unused', embeddedPostgresPort: undefined }, { poolSize: 20 });
    // The query step runs the service on this infrastructure; closing the service closes it.
    let service: BenchService | undefined;
    try {
      if (!skipped.has('rebuild')) {
        const rebuild = await benchRebuild(infrastructure.pool, infrastructure.projections, (line) => process.stderr.write(`\r${line.padEnd(80)}`));
        process.stderr.write('\n');
        sections.push('', formatRebuild(rebuild));
      }
      if (!skipped.has('queries')) {
        // The service's steady state: the seal and the process managers have read the log too
        // (else they would read it in the background while the queries are timed). They catch up
        // together, as the service runs them, sharing each batch's read of the log.
        const caughtUp: string[] = [];
        const progress = new Map<string, number>();
        const began = performance.now();
        await Promise.all(
          infrastructure.projections.names.map(async (name) => {
            const applied = await infrastructure.projections.catchUp(name, (count) => {
              progress.set(name, count);
              process.stderr.write(`\rcatching up: ${[...progress].map(([caught, events]) => `${caught} ${events.toLocaleString('en-US')}`).join(', ')}`.padEnd(100));
            });
            if (applied > 0) caughtUp.push(`${name} ${applied.toLocaleString('en-US')} events`);
          }),
        );
        if (caughtUp.length > 0) caughtUp.push(`together in ${((performance.now() - began) / 1000).toFixed(1)} s`);
        process.stderr.write('\n');
        if (caughtUp.length > 0) sections.push('', `Before the queries, caught up (not rebuilt): ${caughtUp.join('; ')}.`);
      }
      if (!skipped.has('queries')) {
        const waited = await untilServerQuiet(admin, 'the queries');
        if (waited) sections.push('', waited);
        service = await BenchService.start(infrastructure);
        const measurements = await benchQueries(infrastructure, service, samples);
        sections.push('', formatQueries(measurements, { 'grade trace': 10, 'roster report of the largest organization': 200, 'province-wide quarterly summary': 3_000 }));
      }
    } finally {
      if (service) await service.close();
      else await infrastructure.close();
    }
  } finally {
    if (keepDataset) log(`dataset kept in database ${datasetDatabase}: measure it again with --dataset ${datasetDatabase}, drop it with DROP DATABASE ${datasetDatabase}`);
    else await dropDatabase(admin, datasetDatabase);
  }

  if (!skipped.has('commands')) {
    const waited = await untilServerQuiet(admin, 'the command path');
    if (waited) sections.push('', waited);
    const commandsDatabase = `bench_${runId}_commands`;
    await createDatabase(admin, commandsDatabase);
    try {
      // With the projection runner in the service, as it runs, and without it: the command path alone.
      const result = await benchCommandPath({ databaseUrl: databaseUrl(admin, commandsDatabase), seconds, clients, projections: ['on', 'off'], log });
      sections.push('', '### Command path', '', formatCommandPathResult(result, new URL(admin).host));
    } finally {
      await dropDatabase(admin, commandsDatabase);
    }
  }
  if (!skipped.has('append')) {
    const waited = await untilServerQuiet(admin, 'the appends');
    if (waited) sections.push('', waited);
    const result = await benchAppend(admin, { onProgress: (progress) => process.stderr.write(`\rround ${progress.round}, ${progress.contender} ${progress.mode}: ${progress.events}/${progress.total}`.padEnd(60)) });
    process.stderr.write('\n');
    sections.push('', '### Event append', '', formatAppendReport(result));
  }
  process.stdout.write(`${sections.join('\n')}\n`);
}

/**
 * Catches the report projection up until the filed report has its first revision. The log is
 * readable only below the server's oldest open transaction, so on a server with other work the
 * filing can take a moment to become readable.
 */
async function untilReportIssued(infrastructure: Awaited<ReturnType<typeof openInfrastructure>>, reportId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await infrastructure.projections.catchUp('report_revisions');
    const issued = await infrastructure.pool.query('SELECT 1 FROM report_revision WHERE report_id = $1 LIMIT 1', [reportId]);
    if (issued.rows.length > 0) return;
    if (Date.now() > deadline) throw new Error(`report ${reportId} was filed but no revision appeared within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The queries of the issue, each timed `samples` times on the dataset's records and reports. */
async function benchQueries(infrastructure: Awaited<ReturnType<typeof openInfrastructure>>, service: BenchService, samples: number): Promise<LatencyMeasurement[]> {
  const { pool } = infrastructure;
  const records = (await pool.query<{ record_id: string; last_global_position: string }>(
    `SELECT record_id, last_global_position FROM grade_view ORDER BY md5(record_id) LIMIT $1`,
    [3 * samples],
  )).rows;
  // Distinct records for each measured query and for the warm-up of both.
  const traced = records.slice(0, samples);
  const asOf = records.slice(samples, 2 * samples);
  const warming = records.slice(2 * samples);
  const record = (measured: typeof records, sample: number) => (sample < samples ? measured[sample] : warming[sample - samples]);
  const largest = (await pool.query<{ organization_id: string; people: string }>(
    `SELECT organization_id, count(*) AS people FROM grade_view WHERE period = '2025' GROUP BY organization_id ORDER BY count(*) DESC, organization_id LIMIT 1`,
  )).rows[0];
  const root = (await pool.query<{ root: string }>(
    `SELECT coalesce(ancestor_ids[1], organization_id) AS root FROM organization_tree GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  )).rows[0]?.root;
  {
    const auditor = await service.token({ id: 'bench-auditor', roles: ['AUDITOR'], org: '*' });
    const hr = await service.token({ id: 'bench-hr', roles: ['HR'], org: '*' });
    const measurements: LatencyMeasurement[] = [];
    const warmups = warming.length;
    measurements.push(await timeQuery('grade trace', samples, (sample) => service.graphql(auditor, GRADE_TRACE, { recordId: record(traced, sample).record_id }), warmups));
    measurements.push(
      await timeQuery(
        'record as of a position',
        samples,
        (sample) => service.graphql(auditor, RECORD_AS_OF, { recordId: record(asOf, sample).record_id, position: record(asOf, sample).last_global_position }),
        warmups,
      ),
    );
    if (largest) {
      const reportId = `${largest.organization_id}.2025.ROSTER`;
      // A kept dataset measured before has it filed already.
      const filed = await pool.query('SELECT 1 FROM report_filing WHERE report_id = $1', [reportId]);
      if (filed.rows.length === 0) {
        await service.graphql(hr, 'mutation File($input: FileReportInput!) { fileReport(input: $input) { commandId } }', {
          input: { organizationId: largest.organization_id, period: '2025', kind: 'ROSTER' },
        });
      }
      await untilReportIssued(infrastructure, reportId);
      measurements.push(await timeQuery(`roster report of the largest organization (${largest.people} people)`, samples, () => service.graphql(auditor, REPORT_ROWS, { reportId })));
    }
    if (root) {
      measurements.push(
        await timeQuery('province-wide quarterly summary', Math.min(samples, 20), () => service.graphql(auditor, GRADE_SUMMARY, { organizationId: root, period: '2025Q2' })),
      );
    }
    return measurements;
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
