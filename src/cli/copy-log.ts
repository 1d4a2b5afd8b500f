import 'reflect-metadata';
import pg from 'pg';
import { ConfigurationError, loadConfiguration } from '../config/configuration.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { endPool } from '../database/end-pool.js';
import { migrate } from '../database/migrate.js';
import { copyLog, verifyCopy } from '../event-store/copy-log.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EventStoreConfigurationError, KurrentDbEventStore } from '../event-store/kurrentdb/kurrentdb-event-store.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';

const USAGE = `usage:
  npm run copy-log -- --from postgresql --to kurrentdb   copy the log from PostgreSQL to KurrentDB
  npm run copy-log -- --from kurrentdb --to postgresql   and back
  npm run copy-log -- --verify-only --from … --to …      compare the two logs without copying

PostgreSQL is DATABASE_URL (or the embedded server under DATA_DIR); KurrentDB is EVENTSTORE_URL.
Event ids, stream revisions, recorded times, hashes and the global order are kept; the target
refuses events whose hashes do not chain. An interrupted copy can be run again: it skips what the
target already holds. After the copy both logs are read side by side and compared event by event;
the exit code is 2 if they differ. The read models (checkpoints and the seal are positions of one
log) belong to the log they were built from: point the service at a fresh read-model database
after switching logs and let it rebuild.`;

type StoreKind = 'postgresql' | 'kurrentdb';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    console.log(USAGE);
    return args.length === 0 ? 1 : 0;
  }
  const from = option(args, '--from') as StoreKind | undefined;
  const to = option(args, '--to') as StoreKind | undefined;
  const kinds: StoreKind[] = ['postgresql', 'kurrentdb'];
  if (!from || !to || !kinds.includes(from) || !kinds.includes(to) || from === to) {
    console.error(`--from and --to must be postgresql and kurrentdb, one each; got --from ${from ?? '(none)'} --to ${to ?? '(none)'}\n\n${USAGE}`);
    return 1;
  }
  const configuration = loadConfiguration(process.env, process.cwd());
  if (!configuration.eventStoreUrl) {
    console.error('EVENTSTORE_URL must name the KurrentDB to copy to or from, e.g. kurrentdb://127.0.0.1:2113?tls=false');
    return 1;
  }
  const log = (message: string) => console.error(message);
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = configuration.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDirectory: configuration.dataDirectory, port: configuration.embeddedPostgresPort, log });
    databaseUrl = embedded.databaseUrl;
  }
  await migrate(databaseUrl, log);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const stores: Record<StoreKind, EventStore> = {
    postgresql: new PostgresEventStore(pool),
    kurrentdb: new KurrentDbEventStore(configuration.eventStoreUrl),
  };
  try {
    const source = stores[from];
    const target = stores[to];
    if (!args.includes('--verify-only')) {
      const started = Date.now();
      const report = await copyLog(source, target, { onProgress: (done) => process.stderr.write(`\rcopied ${done} events`) });
      process.stderr.write('\n');
      console.log(`copied ${report.copied} events (${report.alreadyThere} were there already) from ${from} to ${to} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const verification = await verifyCopy(source, target);
    console.log(JSON.stringify(verification, null, 2));
    return verification.equal ? 0 : 2;
  } finally {
    await Promise.all(Object.values(stores).map((store) => store.close()));
    await endPool(pool);
    await embedded?.stop();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof ConfigurationError || error instanceof EventStoreConfigurationError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
