/**
 * Generates the benchmark dataset (scripts/bench/dataset.ts) into the database DATABASE_URL names,
 * which is migrated first and must hold no event yet. Progress on stderr; a summary on stdout.
 *
 *   DATABASE_URL=postgresql://… node dist/scripts/bench/generate-dataset.js [--people 300000] [--organizations N] [--seed 1] [--workers 0] [--chunk-events 50000]
 *
 * --people         people (default 300,000)
 * --organizations  organs (default: one per 100 people)
 * --seed           seed of every random choice (default 1): the same seed and sizes give the same events
 * --workers        worker threads generating organs side by side (default 0: all on the main thread, best on 2 cores); the rows are the same
 * --chunk-events   events per COPY transaction, about (default 50,000)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { endPool } from '../../src/database/end-pool.js';
import { migrate } from '../../src/database/migrate.js';
import { DEFAULT_PEOPLE, generateDataset, progressBar, type DatasetSummary } from './dataset.js';

function integer(flag: string, text: string | undefined, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`--${flag} must be an integer, got ${text}`);
  return value;
}

function formatSummary(summary: DatasetSummary, seed: number): string {
  const cpus = os.cpus();
  const lines = [
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}`,
    `Dataset (seed ${seed}): ${summary.people.toLocaleString('en-US')} people in ${summary.organizations.toLocaleString('en-US')} organs ` +
      `(${summary.units.toLocaleString('en-US')} units), ${summary.records.toLocaleString('en-US')} appraisal records`,
    `Events: ${summary.events.toLocaleString('en-US')} in ${summary.seconds.toFixed(1)} s = ${Math.round(summary.eventsPerSecond).toLocaleString('en-US')} events/s ` +
      `(${(summary.events / summary.records).toFixed(1)} per record, all streams)`,
    '',
    '| event type | events |',
    '|---|---:|',
    ...Object.entries(summary.eventTypes).map(([type, count]) => `| ${type} | ${count.toLocaleString('en-US')} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      people: { type: 'string' },
      organizations: { type: 'string' },
      seed: { type: 'string' },
      'chunk-events': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('set DATABASE_URL to the (fresh) database to fill');
  const people = integer('people', values.people, DEFAULT_PEOPLE)!;
  const seed = integer('seed', values.seed, 1)!;
  await migrate(databaseUrl, () => undefined);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    const summary = await generateDataset(pool, {
      people,
      organizations: integer('organizations', values.organizations, undefined),
      seed,
      chunkEvents: integer('chunk-events', values['chunk-events'], undefined),
      workers: integer('workers', values.workers, undefined),
      onProgress: progressBar(process.stderr),
    });
    process.stdout.write(`${formatSummary(summary, seed)}\n`);
  } finally {
    await endPool(pool);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
