import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { projectPath } from '../config/project-root.js';

/** Applies the forward-only SQL migrations in `migrations/`; returns the names it ran. */
export async function migrate(databaseUrl: string, log: (message: string) => void = () => undefined): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A lost NOTICE about an already-existing migrations table is not worth a line in the log.
    client.on('notice', () => undefined);
    const applied = await runner({
      dbClient: client,
      dir: projectPath('migrations'),
      direction: 'up',
      migrationsTable: 'schema_migrations',
      checkOrder: true,
      log: () => undefined,
      logger: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    });
    for (const migration of applied) log(`migrated: ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}
