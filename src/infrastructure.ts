import pg from 'pg';
import { readModelProjections } from '../projections/index.js';
import { AppraisalQueries } from './application/appraisal-queries.js';
import { AppraisalService } from './application/appraisal-service.js';
import { officialCalendar } from './calendar/official-calendar.js';
import { CommandHandler } from './command/command-handler.js';
import type { Configuration } from './config/configuration.js';
import { gradeConsequencesProjection } from './consequences/grade-consequences.projection.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { backfillProcess } from './discipline/backfill.process.js';
import { lateFactFlagsProcess } from './discipline/late-fact-flags.process.js';
import { endPool } from './database/end-pool.js';
import { migrate } from './database/migrate.js';
import type { EventStore } from './event-store/event-store.port.js';
import { KurrentDbEventStore } from './event-store/kurrentdb/kurrentdb-event-store.js';
import { PostgresEventStore } from './event-store/postgres/postgres-event-store.js';
import type { DigestKeyring } from './integrity/digest-keys.js';
import { sealingProjection } from './integrity/sealing.projection.js';
import { fromPureProjection } from './projection/projection.js';
import { ProjectionRunner } from './projection/projection-runner.js';
import { ReportFilingService } from './reports/report-filing.service.js';
import { reportRevisionsProjection } from './reports/report-revisions.projection.js';

/** Everything the service, the CLI and the benchmarks run on, wired once. */
export interface Infrastructure {
  databaseUrl: string;
  pool: pg.Pool;
  store: EventStore;
  projections: ProjectionRunner;
  commands: CommandHandler;
  appraisal: AppraisalService;
  reports: ReportFilingService;
  queries: AppraisalQueries;
  /** Keys of the signed log digests (configuration `digestKeys`); absent: none configured. */
  digestKeys?: DigestKeyring;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  log?: (message: string) => void;
  poolSize?: number;
}

/** Connects to `DATABASE_URL` or starts the embedded server, migrates, and builds the components. */
export async function openInfrastructure(
  configuration: Pick<Configuration, 'databaseUrl' | 'dataDirectory' | 'embeddedPostgresPort'> & Partial<Pick<Configuration, 'eventStoreUrl' | 'digestKeys'>>,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> {
  const log = options.log ?? (() => undefined);
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = configuration.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDirectory: configuration.dataDirectory,
      port: configuration.embeddedPostgresPort,
      log,
    });
    databaseUrl = embedded.databaseUrl;
  }
  try {
    await migrate(databaseUrl, log);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  pool.on('error', (error) => log(`database connection lost: ${error.message}`));
  // pg-pool listens for errors only on idle clients. A client checked out but between queries
  // (a projection batch's transaction while it reads the log) that loses its connection would
  // emit an unhandled 'error' and end the process; its holder learns of it at its next query.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // The log in KurrentDB when EVENTSTORE_URL names one; the read models stay in PostgreSQL either way.
  const store: EventStore = configuration.eventStoreUrl ? new KurrentDbEventStore(configuration.eventStoreUrl) : new PostgresEventStore(pool);
  const commands = new CommandHandler(store);
  const appraisal = new AppraisalService(store, commands, officialCalendar());
  const projections = new ProjectionRunner(
    pool,
    store,
    [sealingProjection, ...readModelProjections.map(fromPureProjection), gradeConsequencesProjection, reportRevisionsProjection, backfillProcess(appraisal), lateFactFlagsProcess(appraisal)],
    { log },
  );
  return {
    databaseUrl,
    pool,
    store,
    projections,
    commands,
    appraisal,
    reports: new ReportFilingService(store, commands),
    queries: new AppraisalQueries(store, (id, version) => appraisal.ruleSet(id, version)),
    digestKeys: configuration.digestKeys,
    async close() {
      await projections.stop();
      await store.close();
      await endPool(pool);
      await embedded?.stop();
    },
  };
}
