import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { openInfrastructure } from '../../src/infrastructure.js';
import { newEvent } from '../support/events.js';

let parent: string;

// mkdtemp makes a folder only root may enter: the server (run as `postgres`) must be let through.
beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'appraisal-embedded-'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  it('creates its data directory, migrates, and keeps the events across a restart', async () => {
    const dataDirectory = path.join(parent, 'data');
    const configuration = { databaseUrl: undefined, dataDirectory, embeddedPostgresPort: undefined };

    const first = await openInfrastructure(configuration);
    const event = newEvent();
    try {
      expect(existsSync(path.join(dataDirectory, 'postgres', 'PG_VERSION'))).toBe(true);
      await first.store.appendToStream('person-p1', 'no_stream', [event]);
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dataDirectory, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await openInfrastructure(configuration);
    try {
      const stored = await second.store.readStream('person-p1');
      expect(stored.map((recorded) => recorded.eventId)).toEqual([event.eventId]);
      const version = await second.pool.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(130000);
    } finally {
      await second.close();
    }
  });

  it('a second process on the same data directory attaches to the running server and leaves it running', async () => {
    const dataDirectory = path.join(parent, 'shared');
    const owner = await startEmbeddedPostgres({ dataDirectory });
    try {
      const attached = await startEmbeddedPostgres({ dataDirectory });
      expect(attached.databaseUrl).toBe(owner.databaseUrl);
      await attached.stop();

      const client = new pg.Client({ connectionString: owner.databaseUrl });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await owner.stop();
    }
  });
});
