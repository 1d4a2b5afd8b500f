import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { EVERYTHING_READER, TestTokens } from '../support/test-tokens.js';
import { untilLogReadable } from '../support/log-readable.js';

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;
const tokens = new TestTokens();

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false, authentication: tokens.authentication });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await app.getHttpAdapter().getInstance().inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await tokens.headers(EVERYTHING_READER)) },
    payload: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, body: response.json(), text: response.body };
}

/** Catches every projection up with the background loops paused: an open background batch would hide the latest appends. */
async function waitForProjections(): Promise<void> {
  const { projections } = infrastructure;
  await projections.stop();
  try {
    await untilLogReadable(infrastructure);
    for (const name of projections.names) await projections.catchUp(name);
  } finally {
    projections.start();
  }
}

describe('GraphQL over HTTP (Nest on Fastify, mercurius)', () => {
  it('reports health: the store, the last position and every projection with its lag', async () => {
    const { status, body } = await graphql('{ health { store lastGlobalPosition projections { name version checkpoint lag } } }');
    expect(status).toBe(200);
    expect(body.data.health.store).toBe('postgresql');
    expect(body.data.health.projections.map((projection: { name: string }) => projection.name)).toEqual([
      'event_seal',
      'audit_trail',
      'grade_view',
      'grade_history',
      'discipline_view',
      'organization_tree',
      'grade_consequences',
      'report_revisions',
      'backfill_process',
      'late_fact_flags',
    ]);
  });

  it('pages through a stream with cursors', async () => {
    const events = [newEvent(), newEvent({ type: 'CommentWritten', data: { personId: 'p-1', text: '表现良好' } }), newEvent()];
    await infrastructure.store.appendToStream('appraisal-org1.p1.2025Q2', 'no_stream', events);
    const query = `query Page($after: String) {
      events(streamId: "appraisal-org1.p1.2025Q2", first: 2, after: $after) {
        edges { cursor node { eventId streamRevision type data metadata { commandId effectiveAt actor { id role organizationId } } hash } }
        pageInfo { endCursor hasNextPage }
      }
    }`;
    const first = await graphql(query);
    expect(first.body.data.events.edges.map((edge: { node: { eventId: string } }) => edge.node.eventId)).toEqual([
      events[0].eventId,
      events[1].eventId,
    ]);
    expect(first.body.data.events.edges[1].node.data).toEqual({ personId: 'p-1', text: '表现良好' });
    expect(first.body.data.events.pageInfo).toEqual({ endCursor: '1', hasNextPage: true });

    const second = await graphql(query, { after: first.body.data.events.pageInfo.endCursor });
    expect(second.body.data.events.edges.map((edge: { node: { eventId: string } }) => edge.node.eventId)).toEqual([events[2].eventId]);
    expect(second.body.data.events.pageInfo.hasNextPage).toBe(false);
  });

  it('verifies integrity once the seal has caught up, and shows zero lag', async () => {
    await waitForProjections();
    const { body } = await graphql('{ verifyIntegrity { ok checkedEvents sealedEvents firstBadPosition reason } health { projections { name lag } } }');
    expect(body.data.verifyIntegrity).toEqual({ ok: true, checkedEvents: 3, sealedEvents: 3, firstBadPosition: null, reason: null });
    expect(body.data.health.projections.every((projection: { lag: number }) => projection.lag === 0)).toBe(true);
  });

  it('answers invalid input with VALIDATION_FAILED, one entry per field with the constraint and what is allowed', async () => {
    const { status, body } = await graphql('{ events(streamId: "appraisal-org1.p1.2025Q2", first: 0) { edges { cursor } } }');
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'first', constraints: [{ name: 'min', message: 'first must not be less than 1' }], allowed: '1 to 500' }],
    });
    expect(body.errors[0].message).toMatch(/first/);
  });

  it('answers a malformed query with GRAPHQL_VALIDATION_FAILED and status 400', async () => {
    const { status, body } = await graphql('{ events(streamId: 42) { nope } }');
    expect(status).toBe(400);
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never shows an unexpected error, its stack or its SQL: only a reference', async () => {
    const query = infrastructure.pool.query.bind(infrastructure.pool);
    infrastructure.pool.query = (() => Promise.reject(new Error('relation "events" does not exist at SELECT max(global_position)'))) as never;
    try {
      const { body, text } = await graphql('{ health { lastGlobalPosition } }');
      expect(body.errors[0].extensions.code).toBe('INTERNAL_ERROR');
      expect(body.errors[0].message).toMatch(/^internal error \(reference [0-9a-f-]{36}\)$/);
      expect(text).not.toMatch(/SELECT|relation|at .*\.js/);
    } finally {
      infrastructure.pool.query = query;
    }
  });
});
