import os from 'node:os';
import type pg from 'pg';
import { generateDataset, generateThroughStore, PROVINCE_ID } from '../../scripts/bench/dataset.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { projectPath } from '../../src/config/project-root.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { openInfrastructure } from '../../src/infrastructure.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SIZES = { people: 60, organizations: 3, seed: 1 };
const SLOW = 240_000;

/** Every stored column but the transaction id, as text where the database normalises it. */
const ROWS = `SELECT global_position::text, stream_id, stream_revision::text, event_id::text, command_id, type, schema_version,
                     data::text AS data, metadata::text AS metadata, recorded_at::text, effective_at::text, hash
                FROM events ORDER BY global_position`;

async function rows(pool: pg.Pool): Promise<Record<string, unknown>[]> {
  return (await pool.query(ROWS)).rows;
}

async function count(pool: pg.Pool, sql: string, values: unknown[] = []): Promise<number> {
  return Number((await pool.query<{ n: string }>(sql, values)).rows[0].n);
}

/**
 * Readers see the log only below the oldest transaction open anywhere on the server (the horizon
 * is cluster-wide): on a shared server, wait until every event is readable before catching up.
 */
async function untilReadable(store: EventStore, events: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await store.countAfter(START_OF_LOG)) < events) {
    if (Date.now() > deadline) throw new Error(`the log's ${events} events did not all become readable`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the benchmark dataset (scripts/bench/dataset.ts)', () => {
  let database: TestDatabase;
  const others: TestDatabase[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await generateDataset(database.pool, SIZES);
  }, SLOW);

  afterAll(async () => {
    await database.drop();
    for (const other of others) await other.drop();
  });

  async function another(): Promise<TestDatabase> {
    const created = await createTestDatabase();
    others.push(created);
    return created;
  }

  it('holds a year per person: three quarterly records and the annual one, 12 to 20 events each for an ordinary record', async () => {
    const perPerson = await database.pool.query<{ person: string; records: string }>(
      `SELECT data->>'personId' AS person, count(*) AS records FROM events WHERE type = 'RecordOpened' GROUP BY 1`,
    );
    expect(perPerson.rows).toHaveLength(SIZES.people);
    expect(perPerson.rows.every((row) => Number(row.records) === 4)).toBe(true);
    expect(await count(database.pool, `SELECT count(*) AS n FROM events WHERE type = 'OrganizationRegistered' AND data->>'kind' = 'ORGAN'`)).toBe(SIZES.organizations + 1);
  });

  it('puts every organ under one province root, the first organ the largest (half the people in a run this small)', async () => {
    const organs = await database.pool.query<{ organization: string; parent: string | null; people: string }>(
      `SELECT organ.data->>'organizationId' AS organization, organ.data->>'parentId' AS parent,
              (SELECT count(*) FROM events person
                 JOIN events unit ON unit.type = 'OrganizationRegistered' AND unit.data->>'organizationId' = person.data->>'organizationId'
                WHERE person.type = 'PersonRegistered' AND unit.data->>'parentId' = organ.data->>'organizationId') AS people
         FROM events organ
        WHERE organ.type = 'OrganizationRegistered' AND organ.data->>'kind' = 'ORGAN'
        ORDER BY organ.global_position`,
    );
    expect(organs.rows[0]).toEqual({ organization: PROVINCE_ID, parent: null, people: '0' });
    const [largest, ...rest] = organs.rows.slice(1);
    expect(organs.rows.slice(1).every((organ) => organ.parent === PROVINCE_ID)).toBe(true);
    expect(Number(largest.people)).toBe(SIZES.people / 2);
    expect(rest.map((organ) => Number(organ.people)).reduce((sum, people) => sum + people, 0)).toBe(SIZES.people / 2);

    // People with an ordinary year: no measure, case, leave, secondment, probation or departure on their stream.
    const lengths = await database.pool.query<{ events: string }>(
      `SELECT count(*) AS events FROM events e
        WHERE e.stream_id LIKE 'appraisal-%'
          AND NOT EXISTS (SELECT 1 FROM events p WHERE p.stream_id = 'person-' || split_part(e.stream_id, '.', 2)
                             AND p.type NOT IN ('PersonRegistered', 'AppraisalRecordNoted'))
        GROUP BY e.stream_id`,
    );
    const sizes = lengths.rows.map((row) => Number(row.events));
    expect(sizes.length).toBeGreaterThan(SIZES.people * 4 * 0.8);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
  });

  it('is what the service appends: every projection catches up without an error, the process managers add nothing, the chains verify', async () => {
    const infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: os.tmpdir(), embeddedPostgresPort: undefined });
    try {
      const before = await count(database.pool, 'SELECT count(*) AS n FROM events');
      await untilReadable(infrastructure.store, before);
      for (const name of infrastructure.projections.names) expect(await infrastructure.projections.catchUp(name)).toBe(before);
      // backfill_process and late_fact_flags found every command they would issue already in the log.
      expect(await count(database.pool, 'SELECT count(*) AS n FROM events')).toBe(before);

      expect(await count(database.pool, 'SELECT count(*) AS n FROM grade_view')).toBe(SIZES.people * 4);
      expect(await count(database.pool, `SELECT count(*) AS n FROM grade_view WHERE outcome_kind IS NULL OR status = 'OPEN'`)).toBe(0);
      // Records withheld during an investigation, then backfilled when the case closed with a warning.
      const backfilled = await database.pool.query<{ record_id: string }>(`SELECT record_id FROM grade_history WHERE kind = 'BACKFILLED'`);
      expect(backfilled.rows.length).toBeGreaterThan(0);
      for (const { record_id: recordId } of backfilled.rows) {
        const history = await database.pool.query<{ kind: string; outcome_kind: string }>(
          'SELECT kind, outcome_kind FROM grade_history WHERE record_id = $1 ORDER BY global_position',
          [recordId],
        );
        expect(history.rows[0]).toEqual({ kind: 'DETERMINED', outcome_kind: 'WITHHELD_INVESTIGATION' });
      }
      expect(await count(database.pool, `SELECT count(*) AS n FROM investigation_view WHERE closed_on IS NOT NULL AND outcome = 'WARNING'`)).toBeGreaterThan(0);
      // Penalties and lighter measures, each with its effect on the grades.
      expect(await count(database.pool, `SELECT count(*) AS n FROM events WHERE type = 'PenaltyImposed'`)).toBeGreaterThanOrEqual(2);
      expect(await count(database.pool, 'SELECT count(*) AS n FROM discipline_view')).toBeGreaterThanOrEqual(3);
      expect(await count(database.pool, `SELECT count(*) AS n FROM grade_view WHERE outcome_kind = 'COMMENT_ONLY'`)).toBeGreaterThan(0);
      // Top grades within the quota, with their public notice; the organization tree has units.
      expect(await count(database.pool, `SELECT count(*) AS n FROM grade_view WHERE grade IN ('GOOD', 'EXCELLENT')`)).toBeGreaterThan(0);
      expect(await count(database.pool, 'SELECT count(*) AS n FROM organization_tree')).toBeGreaterThan(SIZES.organizations);

      const report = await verifyIntegrity(infrastructure.store, infrastructure.pool);
      expect(report).toMatchObject({ ok: true, checkedEvents: before, sealedEvents: before, firstBadPosition: null });
    } finally {
      await infrastructure.close();
    }
  }, SLOW);

  it('is deterministic: the same seed and sizes give the same rows, another seed other ones', async () => {
    const again = await another();
    await generateDataset(again.pool, { ...SIZES, chunkEvents: 500 });
    expect(await rows(again.pool)).toEqual(await rows(database.pool));

    const otherSeed = await another();
    await generateDataset(otherSeed.pool, { ...SIZES, seed: 2 });
    const scores = (pool: pg.Pool) => pool.query(`SELECT stream_id, data::text FROM events WHERE type = 'ScoresRecorded' ORDER BY stream_id`);
    expect((await scores(otherSeed.pool)).rows).not.toEqual((await scores(database.pool)).rows);
  }, SLOW);

  it('gives the same rows when worker threads generate the organs side by side', async () => {
    const threaded = await another();
    await generateDataset(threaded.pool, { ...SIZES, workers: 2, workerExecArgv: ['--import', projectPath('test/faults/support/register-typescript.mjs')] });
    expect(await rows(threaded.pool)).toEqual(await rows(database.pool));
  }, SLOW);

  it('equals, row for row, what AppraisalService appends through PostgresEventStore command by command', async () => {
    const sizes = { people: 30, organizations: 2, seed: 3 };
    const generated = await another();
    await generateDataset(generated.pool, sizes);
    const serviced = await another();
    await generateThroughStore((clock) => new PostgresEventStore(serviced.pool, { clock }), sizes);
    const expected = await rows(serviced.pool);
    expect(expected.length).toBeGreaterThan(1000);
    expect(await rows(generated.pool)).toEqual(expected);
  }, SLOW);

  it('refuses a log that already holds events', async () => {
    await expect(generateDataset(database.pool, SIZES)).rejects.toThrow(/already holds events/);
  });
});
