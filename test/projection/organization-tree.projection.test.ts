import { randomUUID } from 'node:crypto';
import { organizationTreeProjection } from '../../projections/organization-tree.projection.js';
import type { RecordedEvent } from '../../src/event-store/event.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { newEvent, TEST_ACTOR } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;
let runner: ProjectionRunner;

async function append(streamId: string, type: string, data: Record<string, unknown>): Promise<RecordedEvent> {
  const commandId = randomUUID();
  const event = newEvent({ type, data, metadata: { commandId, actor: TEST_ACTOR, correlationId: commandId, causationId: commandId, effectiveAt: '2025-03-03' } });
  return (await store.appendToStream(streamId, 'any', [event])).events[0];
}

const register = (organizationId: string, name: string, kind: 'ORGAN' | 'UNIT', parentId?: string) =>
  append(`organization-${organizationId}`, 'OrganizationRegistered', parentId === undefined ? { organizationId, name, kind } : { organizationId, name, kind, parentId });

const tree = async () =>
  (await database.pool.query('SELECT organization_id, name, kind, parent_id, ancestor_ids FROM organization_tree ORDER BY organization_id')).rows;

/** The subtree rooted at `root` with the predicate the inspection queries use. */
const subtree = async (root: string) =>
  (
    await database.pool.query<{ organization_id: string }>(
      'SELECT organization_id FROM organization_tree WHERE organization_id = $1 OR ancestor_ids @> ARRAY[$1::text] ORDER BY organization_id',
      [root],
    )
  ).rows.map((row) => row.organization_id);

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  runner = new ProjectionRunner(database.pool, store, [fromPureProjection(organizationTreeProjection)], { batchSize: 2 });

  // 市政府 › 市统计局 › 综合处 › 数据科 › 采集组, and 市税务局 beside 市统计局; 市财政局 stands alone.
  await register('city', '市政府', 'ORGAN');
  await register('stats', '市统计局', 'ORGAN', 'city');
  await register('tax', '市税务局', 'ORGAN', 'city');
  await register('stats-office', '综合处', 'UNIT', 'stats');
  await register('stats-data', '数据科', 'UNIT', 'stats-office');
  await register('stats-data-collection', '采集组', 'UNIT', 'stats-data');
  await register('finance', '市财政局', 'ORGAN');
  await append('organization-stats-office', 'OrganizationRenamed', { organizationId: 'stats-office', previousName: '综合处', name: '办公室' });
  // Events of other streams and other organization events leave the tree alone.
  await append('organization-stats', 'RuleSetAdopted', { organizationId: 'stats', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 });
  await append('person-p1', 'OrganizationRenamed', { organizationId: 'stats', previousName: '市统计局', name: '不是机构的流' });
  await runner.catchUp('organization_tree');
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('organization_tree', () => {
  it('holds every organization with its parent and its ancestors, root first, at any depth; a rename changes only the name', async () => {
    expect(await tree()).toEqual([
      { organization_id: 'city', name: '市政府', kind: 'ORGAN', parent_id: null, ancestor_ids: [] },
      { organization_id: 'finance', name: '市财政局', kind: 'ORGAN', parent_id: null, ancestor_ids: [] },
      { organization_id: 'stats', name: '市统计局', kind: 'ORGAN', parent_id: 'city', ancestor_ids: ['city'] },
      { organization_id: 'stats-data', name: '数据科', kind: 'UNIT', parent_id: 'stats-office', ancestor_ids: ['city', 'stats', 'stats-office'] },
      {
        organization_id: 'stats-data-collection',
        name: '采集组',
        kind: 'UNIT',
        parent_id: 'stats-data',
        ancestor_ids: ['city', 'stats', 'stats-office', 'stats-data'],
      },
      { organization_id: 'stats-office', name: '办公室', kind: 'UNIT', parent_id: 'stats', ancestor_ids: ['city', 'stats'] },
      { organization_id: 'tax', name: '市税务局', kind: 'ORGAN', parent_id: 'city', ancestor_ids: ['city'] },
    ]);
  });

  it('selects a subtree with one predicate: the organization and everything below it, never a sibling or a parent', async () => {
    expect(await subtree('stats')).toEqual(['stats', 'stats-data', 'stats-data-collection', 'stats-office']);
    expect(await subtree('stats-office')).toEqual(['stats-data', 'stats-data-collection', 'stats-office']);
    expect(await subtree('city')).toEqual(['city', 'stats', 'stats-data', 'stats-data-collection', 'stats-office', 'tax']);
    expect(await subtree('tax')).toEqual(['tax']);
    expect(await subtree('stats-data-collection')).toEqual(['stats-data-collection']);
  });

  it('answers the subtree predicate from the GIN index on ancestor_ids', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query(`EXPLAIN SELECT organization_id FROM organization_tree WHERE organization_id = 'stats' OR ancestor_ids @> ARRAY['stats']`);
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('organization_tree_ancestors');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('is pure: the handler turns one event into statements and ignores what is not an organization registration or rename', () => {
    const event = (streamId: string, type: string, data: Record<string, unknown>) => ({ ...newEvent({ type, data }), streamId }) as unknown as RecordedEvent;
    const [statement] = organizationTreeProjection.handle(event('organization-u', 'OrganizationRegistered', { organizationId: 'u', name: '科', kind: 'UNIT', parentId: 'o' }));
    expect(statement.values).toEqual(['u', '科', 'UNIT', 'o']);
    expect(organizationTreeProjection.handle(event('organization-o', 'OrganizationRegistered', { organizationId: 'o', name: '局', kind: 'ORGAN' }))[0].values).toEqual([
      'o',
      '局',
      'ORGAN',
      null,
    ]);
    expect(organizationTreeProjection.handle(event('organization-o', 'RuleSetAdopted', { organizationId: 'o', year: 2025 }))).toEqual([]);
    expect(organizationTreeProjection.handle(event('person-p1', 'OrganizationRegistered', { organizationId: 'o', name: '局', kind: 'ORGAN' }))).toEqual([]);
  });

  it('rebuilt from zero equals the live one', async () => {
    const live = await tree();
    expect(live).toHaveLength(7);
    await runner.rebuild('organization_tree');
    expect(await tree()).toEqual(live);
  });
});
