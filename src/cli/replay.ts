import 'reflect-metadata';
import { ConfigurationError, loadConfiguration } from '../config/configuration.js';
import { formatPosition } from '../event-store/event.js';
import { openInfrastructure } from '../infrastructure.js';
import { verifyReplay, type RowDifference, type TableVerification } from '../projection/replay-verify.js';

const USAGE = `usage:
  npm run replay -- --verify [--max-differences N] [projection ...]

Replays every view (or the named ones) from position 0 into a scratch schema, up to where the
live view stands, and compares each table with the live one by row count and checksum.
Exit code 0: every table equal; 2: a table differs; 1: usage or failure.
The database is DATABASE_URL, or the embedded server under DATA_DIR (default ./data).`;

const log = (message: string) => console.error(message);

interface Arguments {
  verify: boolean;
  maxDifferences: number;
  names: string[];
}

function parseArguments(args: string[]): Arguments | undefined {
  const parsed: Arguments = { verify: false, maxDifferences: 5, names: [] };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--verify') parsed.verify = true;
    else if (arg === '--max-differences') {
      const value = Number(args[(index += 1)]);
      if (!Number.isInteger(value) || value < 0) return undefined;
      parsed.maxDifferences = value;
    } else if (arg.startsWith('-')) return undefined;
    else parsed.names.push(arg);
  }
  return parsed.verify ? parsed : undefined;
}

function describeRow(row: Record<string, unknown> | null): string {
  return row === null ? '(missing)' : JSON.stringify(row);
}

function printDifference(difference: RowDifference): void {
  console.log(`    key ${JSON.stringify(difference.key)}`);
  console.log(`      live:     ${describeRow(difference.live)}`);
  console.log(`      replayed: ${describeRow(difference.replayed)}`);
}

function printTable(table: TableVerification): void {
  const verdict = table.equal ? 'equal' : `DIFFERS (${table.differingRows} row(s))`;
  console.log(`  ${table.table}: ${verdict}`);
  console.log(`    live     ${String(table.liveRows).padStart(8)} rows  md5 ${table.liveChecksum}`);
  console.log(`    replayed ${String(table.replayedRows).padStart(8)} rows  md5 ${table.replayedChecksum}`);
  for (const difference of table.differences) printDifference(difference);
  if (table.differingRows > table.differences.length) {
    console.log(`    … and ${table.differingRows - table.differences.length} more differing row(s)`);
  }
}

async function run(args: string[]): Promise<number> {
  const parsed = parseArguments(args);
  if (!parsed) {
    console.error(USAGE);
    return 1;
  }
  const configuration = loadConfiguration(process.env, process.cwd());
  const infrastructure = await openInfrastructure(configuration, { log });
  try {
    const views = infrastructure.projections.views;
    const names = views.map((definition) => definition.name);
    const unknown = parsed.names.filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      console.error(`unknown view(s) ${unknown.join(', ')}; views: ${names.join(', ')}`);
      return 1;
    }
    const selected = views.filter((definition) => parsed.names.length === 0 || parsed.names.includes(definition.name));

    let current = '';
    const result = await verifyReplay(infrastructure.pool, infrastructure.store, selected, {
      maxDifferences: parsed.maxDifferences,
      onProgress(projection, replayed) {
        if (projection !== current && current !== '') process.stderr.write('\n');
        current = projection;
        process.stderr.write(`\rreplaying ${projection}: ${replayed} events`);
      },
    });
    if (current !== '') process.stderr.write('\n');

    for (const projection of result.projections) {
      const at = projection.checkpoint ? `up to ${formatPosition(projection.checkpoint)}` : 'never run';
      const version = projection.liveVersion !== null && projection.liveVersion !== projection.version
        ? ` (live built by version ${projection.liveVersion}, replayed with ${projection.version})`
        : '';
      console.log(`${projection.name}: ${projection.replayedEvents} events replayed, ${at}${version}: ${projection.equal ? 'equal' : 'DIFFERS'}`);
      for (const table of projection.tables) printTable(table);
    }
    const differing = result.tables.filter((table) => !table.equal).map((table) => table.table);
    console.log(result.equal ? `replay equals live: ${result.tables.length} table(s)` : `replay differs from live in ${differing.join(', ')}`);
    return result.equal ? 0 : 2;
  } finally {
    await infrastructure.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigurationError ? error.message : `failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
