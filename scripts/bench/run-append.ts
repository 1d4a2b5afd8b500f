/**
 * Append throughput: our PostgreSQL store, emmett-postgresql and raw COPY on one server (see
 * append.ts). Progress goes to stderr; the machine, versions and the markdown table to stdout.
 *
 *   node dist/scripts/bench/run-append.js [--single 10000] [--batches 1000] [--batch-size 100] [--concurrency 8] [--rounds 3]
 *
 * DATABASE_URL is the admin connection (default postgresql://postgres@127.0.0.1:5432/postgres);
 * a database per contender is created on its server and dropped afterwards.
 */
import { parseArgs } from 'node:util';
import { benchAppend, formatAppendReport, type AppendProgress } from './append.js';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      single: { type: 'string' },
      batches: { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  let latest: AppendProgress | undefined;
  let shown: AppendProgress | undefined;
  const show = () => {
    if (latest && latest !== shown) process.stderr.write(`round ${latest.round}, ${latest.contender} ${latest.mode}: ${latest.events}/${latest.total}\n`);
    shown = latest;
  };
  const timer = setInterval(show, 1000);
  try {
    const result = await benchAppend(process.env.DATABASE_URL ?? DEFAULT_URL, {
      singleEvents: positiveInteger('single', values.single, 10_000),
      batches: positiveInteger('batches', values.batches, 1_000),
      batchSize: positiveInteger('batch-size', values['batch-size'], 100),
      concurrency: positiveInteger('concurrency', values.concurrency, 8),
      rounds: positiveInteger('rounds', values.rounds, 3),
      onProgress: (progress) => {
        const starting = progress.events === 0;
        latest = progress;
        if (starting || progress.events === progress.total) show();
      },
    });
    process.stdout.write(`${formatAppendReport(result)}\n`);
  } finally {
    clearInterval(timer);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
