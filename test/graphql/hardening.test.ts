import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'fastify';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { getIntrospectionQuery, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createApp } from '../../src/bootstrap.js';
import type { Actor } from '../../src/event-store/event.js';
import { HARDENING_DEFAULTS, type HardeningConfiguration } from '../../src/graphql/hardening/hardening.config.js';
import { measureOperation } from '../../src/graphql/hardening/query-limits.js';
import { DEFAULT_QUERY } from '../../src/graphql/offline-graphiql.js';
import { ReportRowsArgs } from '../../src/graphql/report.inputs.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { EVERYTHING_READER, TestTokens } from '../support/test-tokens.js';

/**
 * The limits in front of GraphQL and the exports: depth and complexity, page sizes, body size,
 * introspection, per-actor rate limits, and errors that never show a stack, SQL or a file path.
 */

interface TestApp {
  app: NestFastifyApplication;
  infrastructure: Infrastructure;
}

let database: TestDatabase;
const tokens = new TestTokens();
const started: TestApp[] = [];
/** The defaults, as every other test runs with (no rate limit). */
let standard: TestApp;
/** Small limits and introspection off. */
let strict: TestApp;
/** Three requests per actor and minute. */
let limited: TestApp;

const STRICT: HardeningConfiguration = { maxDepth: 3, maxComplexity: 50, bodyLimitBytes: 2048, introspection: false, rateLimitPerMinute: 0 };

async function start(hardening?: HardeningConfiguration): Promise<TestApp> {
  const infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  const app = await createApp(infrastructure, { logger: false, authentication: tokens.authentication, hardening });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const testApp = { app, infrastructure };
  started.push(testApp);
  return testApp;
}

beforeAll(async () => {
  database = await createTestDatabase();
  standard = await start();
  strict = await start(STRICT);
  limited = await start({ ...HARDENING_DEFAULTS, rateLimitPerMinute: 3 });
});
afterAll(async () => {
  for (const { app } of started) await app.close();
  await database.drop();
});

async function inject(target: TestApp, options: InjectOptions) {
  const response = await target.app.getHttpAdapter().getInstance().inject(options);
  return { status: response.statusCode, headers: response.headers, text: response.body, json: () => response.json() };
}

async function graphql(target: TestApp, query: string, variables?: Record<string, unknown>, options: { actor?: Actor; operationName?: string } = {}) {
  return inject(target, {
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(await tokens.headers(options.actor ?? EVERYTHING_READER)) },
    payload: JSON.stringify({ query, variables, operationName: options.operationName }),
  });
}

function schemaOf(target: TestApp): GraphQLSchema {
  return target.app.getHttpAdapter().getInstance().graphql.schema;
}

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ name: operation.name?.value, ...measureOperation(schemaOf(standard), document, operation, variables) }));
}

/** What an error response must never contain: a stack, SQL, a table name, a source path. */
function expectNothingLeaked(text: string): void {
  expect(text).not.toMatch(/"stack"|\bat \S+ \(|\/work\/|\/src\/|\.ts:\d+|\.js:\d+|node_modules/);
  expect(text).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b|relation "|report_revision|grade_view|syntax error/);
}

const GRADES_QUERY = `query Grades($first: Int, $after: String) {
  grades(organizationId: "bureau", period: "2025", first: $first, after: $after) {
    edges {
      cursor
      node {
        recordId personId unitId period periodKind category status score flagged lastGlobalPosition
        outcome { kind grade label }
        ruleSet { id version name }
        flags { factEventId factType code reason resolved }
        history {
          eventId globalPosition recordedAt kind actorId score
          outcome { kind grade label }
          steps { kind kindLabel rule { ruleSetId ruleSetVersion clause } inputs { eventId globalPosition } conclusion explanation values }
        }
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}`;

describe('depth and complexity, measured before anything executes', () => {
  it('measures depth by nested fields and complexity by fields times page sizes, fragments expanded', () => {
    expect(measure('{ health { store } }')).toEqual([{ name: undefined, depth: 2, complexity: 2 }]);
    // events: 1 + 20 × (edges 1 + cursor 1 + node 1 + eventId 1)
    expect(measure('{ events(streamId: "s", first: 20) { edges { cursor node { eventId } } } }')[0]).toMatchObject({ depth: 4, complexity: 81 });
    // Without first, the schema's default page (50); with a variable, the variable's value, else its default.
    expect(measure('{ events(streamId: "s") { edges { cursor } } }')[0].complexity).toBe(1 + 50 * 2);
    expect(measure('query Q($n: Int) { events(streamId: "s", first: $n) { edges { cursor } } }', { n: 7 })[0].complexity).toBe(1 + 7 * 2);
    expect(measure('query Q($n: Int = 3) { events(streamId: "s", first: $n) { edges { cursor } } }')[0].complexity).toBe(1 + 3 * 2);
    // A fragment counts where it is spread, as often as it is spread.
    const spread = measure(`{ a: events(streamId: "s", first: 10) { ...Page } b: events(streamId: "t", first: 10) { ...Page } }
      fragment Page on EventConnection { edges { node { eventId } } pageInfo { hasNextPage } }`);
    expect(spread[0]).toMatchObject({ depth: 4, complexity: 2 * (1 + 10 * (3 + 2)) });
    // Nested pages multiply: 1 + 2 × (edges + node + (revisions + (rows: 1 + 3 × (edges + node + key))))
    expect(measure('{ reports(organizationId: "o", first: 2) { edges { node { revisions { rows(first: 3) { edges { node { key } } } } } } } }')[0]).toMatchObject({
      depth: 8,
      complexity: 1 + 2 * (1 + 1 + 1 + (1 + 3 * 3)),
    });
  });

  it('admits with the defaults every GraphiQL example, GraphiQL schema query and a full page of 500 grade views', async () => {
    const examples = measure(DEFAULT_QUERY);
    expect(examples.length).toBeGreaterThanOrEqual(9);
    for (const example of examples) {
      expect(example.depth).toBeLessThanOrEqual(HARDENING_DEFAULTS.maxDepth);
      expect(example.complexity).toBeLessThanOrEqual(HARDENING_DEFAULTS.maxComplexity);
      const { body } = await graphql(standard, DEFAULT_QUERY, undefined, { operationName: example.name }).then((r) => ({ body: r.json() }));
      for (const error of body.errors ?? []) expect(error.extensions.code).not.toMatch(/^QUERY_TOO_/);
    }

    const introspection = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true });
    const [schemaQuery] = measure(introspection);
    expect(schemaQuery.depth).toBeLessThanOrEqual(HARDENING_DEFAULTS.maxDepth);
    expect(schemaQuery.complexity).toBeLessThanOrEqual(HARDENING_DEFAULTS.maxComplexity);
    const response = await graphql(standard, introspection);
    expect(response.status).toBe(200);
    expect(response.json().data.__schema.queryType.name).toBe('Query');

    const [fullPage] = measure(GRADES_QUERY, { first: 500 });
    expect(fullPage.depth).toBe(7);
    expect(fullPage.complexity).toBeLessThanOrEqual(HARDENING_DEFAULTS.maxComplexity);
    expect(measure(GRADES_QUERY, { first: 100 })[0].complexity).toBeLessThan(fullPage.complexity);
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH with QUERY_TOO_DEEP, its depth and the limit (HTTP 400)', async () => {
    const response = await graphql(strict, '{ events(streamId: "s", first: 1) { edges { node { eventId } } } }');
    expect(response.status).toBe(400);
    const { errors, data } = response.json();
    expect(data).toBeNull();
    expect(errors).toEqual([
      {
        message: 'the operation nests fields 4 deep; at most 3 levels are allowed',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'QUERY_TOO_DEEP', depth: 4, maxDepth: 3 },
      },
    ]);

    // With the defaults: a recursive introspection query, its depth counted through fragments.
    let ofType = 'name';
    for (let level = 0; level < 20; level += 1) ofType = `name ofType { ${ofType} }`;
    const deep = await graphql(standard, `query Deep { __schema { types { ...Deep } } } fragment Deep on __Type { fields { type { ${ofType} } } }`);
    expect(deep.status).toBe(400);
    expect(deep.json().errors).toEqual([
      expect.objectContaining({
        message: `operation Deep nests fields 25 deep; at most ${HARDENING_DEFAULTS.maxDepth} levels are allowed`,
        extensions: { code: 'QUERY_TOO_DEEP', depth: 25, maxDepth: HARDENING_DEFAULTS.maxDepth },
      }),
    ]);
  });

  it('refuses a query costlier than GRAPHQL_MAX_COMPLEXITY with QUERY_TOO_COMPLEX, the cost and the limit', async () => {
    const page = 'query Page($n: Int) { events(streamId: "s", first: $n) { edges { cursor } } }';
    expect((await graphql(strict, page, { n: 24 })).json().errors).toBeUndefined(); // 1 + 24 × 2 = 49
    const refused = await graphql(strict, page, { n: 25 });
    expect(refused.status).toBe(400);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', complexity: 51, maxComplexity: 50 } }),
    ]);
    expect(refused.json().errors[0].message).toMatch(/operation Page has complexity 51; at most 50 is allowed/);

    // With the defaults: report rows nested in a page of reports, and the same page asked for under many aliases.
    const nested = await graphql(
      standard,
      '{ reports(organizationId: "bureau", first: 100) { edges { node { revisions { rows { edges { node { cells } } } } } } } }',
    );
    expect(nested.status).toBe(400);
    expect(nested.json().errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', complexity: 1 + 100 * (3 + 1 + 200 * 3), maxComplexity: HARDENING_DEFAULTS.maxComplexity });
    const aliases = Array.from({ length: 20 }, (_, index) => `a${index}: events(streamId: "s${index}", first: 500) { edges { node { eventId type data } } }`);
    const wide = await graphql(standard, `{ ${aliases.join(' ')} }`);
    expect(wide.status).toBe(400);
    expect(wide.json().errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', complexity: 20 * (1 + 500 * 5), maxComplexity: HARDENING_DEFAULTS.maxComplexity });
  });
});

describe('introspection, GRAPHQL_INTROSPECTION', () => {
  it('answers __schema and __type when on', async () => {
    const { json } = await graphql(standard, '{ __type(name: "Query") { name } }');
    expect(json()).toEqual({ data: { __type: { name: 'Query' } } });
  });

  it('refuses __schema and __type with INTROSPECTION_DISABLED when off; __typename still works', async () => {
    for (const [query, field] of [
      ['{ __schema { queryType { name } } }', '__schema'],
      ['{ __type(name: "Query") { name } }', '__type'],
    ]) {
      const response = await graphql(strict, query);
      expect(response.status).toBe(400);
      expect(response.json().errors).toEqual([
        {
          message: `introspection is disabled on this server (GRAPHQL_INTROSPECTION=false): ${field} cannot be queried`,
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'INTROSPECTION_DISABLED', field },
        },
      ]);
    }
    expect((await graphql(strict, '{ __typename }')).json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('maximum page sizes', () => {
  /** Every paginated list of the schema, the largest `first` its arguments accept, and valid other arguments. */
  const AUDITED: Record<string, { max: number; query?: (first: number) => string }> = {
    'Query.events': { max: 500, query: (first) => `{ events(streamId: "appraisal-bureau.p1.2025", first: ${first}) { edges { cursor } } }` },
    'Query.recordHistory': { max: 500, query: (first) => `{ recordHistory(recordId: "bureau.p1.2025", first: ${first}) { edges { cursor } } }` },
    'Query.grades': { max: 500, query: (first) => `{ grades(organizationId: "bureau", period: "2025", first: ${first}) { edges { cursor } } }` },
    'Query.peopleUnderDiscipline': {
      max: 500,
      query: (first) => `{ peopleUnderDiscipline(from: "2025-01-01", to: "2025-12-31", first: ${first}) { edges { cursor } } }`,
    },
    'Query.conflictingGrades': { max: 500, query: (first) => `{ conflictingGrades(first: ${first}) { edges { cursor } } }` },
    'Query.reports': { max: 500, query: (first) => `{ reports(organizationId: "bureau", first: ${first}) { edges { cursor } } }` },
    'Query.accessDenials': { max: 500, query: (first) => `{ accessDenials(first: ${first}) { edges { cursor } } }` },
    // A field of a report revision: checked on its arguments class below (it needs a filed report to resolve).
    'ReportRevision.rows': { max: 1000 },
  };

  it('knows every field that takes `first`', () => {
    const schema = schemaOf(standard);
    const paginated: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type)) continue;
      for (const field of Object.values(type.getFields())) {
        if ('args' in field && field.args.some((argument) => argument.name === 'first')) paginated.push(`${type.name}.${field.name}`);
      }
    }
    expect(paginated.sort()).toEqual(Object.keys(AUDITED).sort());
  });

  it('refuses a page above the maximum with VALIDATION_FAILED naming the allowed range, and accepts the maximum', async () => {
    for (const [field, { max, query }] of Object.entries(AUDITED)) {
      if (!query) continue;
      const above = (await graphql(standard, query(max + 1))).json();
      expect({ field, code: above.errors?.[0]?.extensions.code }).toEqual({ field, code: 'VALIDATION_FAILED' });
      expect(above.errors[0].extensions.fields).toEqual([expect.objectContaining({ field: 'first', allowed: expect.stringContaining(String(max)) })]);
      const at = (await graphql(standard, query(max))).json();
      expect({ field, errors: at.errors }).toEqual({ field, errors: undefined });
    }
    const rows = async (first: number) => validate(plainToInstance(ReportRowsArgs, { first }));
    expect(await rows(1000)).toEqual([]);
    expect((await rows(1001)).map((error) => Object.keys(error.constraints ?? {}))).toEqual([['max']]);
  });
});

describe('request body limit, GRAPHQL_BODY_LIMIT_BYTES', () => {
  it('answers a body over 1 MiB (the default) with HTTP 413 and a JSON error, no stack', async () => {
    const response = await inject(standard, {
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query: '{ health { store } }', variables: { padding: 'x'.repeat(1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      data: null,
      errors: [{ message: 'the request body is larger than 1048576 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 1048576 } }],
    });
    expectNothingLeaked(response.text);
  });

  it('takes the configured limit', async () => {
    const body = (size: number) => JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(size) } });
    const small = await inject(strict, { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...(await tokens.headers(EVERYTHING_READER)) }, payload: body(1500) });
    expect(small.status).toBe(200);
    const large = await inject(strict, { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: body(2100) });
    expect(large.status).toBe(413);
    expect(large.json().errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 2048 });
  });
});

describe('errors never show a stack trace, SQL or a file path', () => {
  it('answers malformed JSON with HTTP 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await inject(standard, { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query": "{ health { store } }"' });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      data: null,
      errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    expectNothingLeaked(response.text);
  });

  it('answers a content type it does not read with HTTP 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await inject(standard, { method: 'POST', url: '/graphql', headers: { 'content-type': 'text/xml' }, payload: '<query/>' });
    expect(response.status).toBe(415);
    expect(response.json().errors).toEqual([
      { message: 'unsupported content type: send application/json (or application/graphql to /graphql)', extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    ]);
    expectNothingLeaked(response.text);
  });

  it('shows a resolver error carrying SQL and a stack only as INTERNAL_ERROR with a reference', async () => {
    const { pool } = standard.infrastructure;
    const query = pool.query.bind(pool);
    const failure = new Error('syntax error at or near "SELEC": SELEC * FROM grade_view WHERE organization_id = $1');
    failure.stack = `${failure.message}\n    at GradeViewQueries.page (/work/main/src/application/grade-view-queries.ts:42:7)`;
    pool.query = (() => Promise.reject(failure)) as never;
    try {
      const response = await graphql(standard, '{ grades(organizationId: "bureau", period: "2025") { edges { cursor } } }');
      expect(response.status).toBe(200);
      const { errors } = response.json();
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(/^internal error \(reference [0-9a-f-]{36}\)$/);
      expect(errors[0].extensions).toEqual({ code: 'INTERNAL_ERROR', reference: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expectNothingLeaked(response.text);
    } finally {
      pool.query = query;
    }
  });

  it('shows a real SQL error (a missing read-model table) as INTERNAL_ERROR, in GraphQL and in an export', async () => {
    const { pool } = standard.infrastructure;
    await pool.query('ALTER TABLE report_revision RENAME TO report_revision_hidden');
    try {
      const response = await graphql(standard, '{ report(reportId: "bureau.2025.ROSTER") { title } }');
      expect(response.json().errors).toEqual([
        expect.objectContaining({ extensions: { code: 'INTERNAL_ERROR', reference: expect.stringMatching(/^[0-9a-f-]{36}$/) } }),
      ]);
      expectNothingLeaked(response.text);

      const download = await inject(standard, {
        method: 'GET',
        url: '/reports/bureau.2025.ROSTER/revisions/1/export.csv',
        headers: await tokens.headers(EVERYTHING_READER),
      });
      expect(download.status).toBe(500);
      expect(download.headers['content-type']).toMatch(/^application\/json/);
      expect(download.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: expect.stringMatching(/^internal error \(reference [0-9a-f-]{36}\)$/),
        reference: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expectNothingLeaked(download.text);
    } finally {
      await pool.query('ALTER TABLE report_revision_hidden RENAME TO report_revision');
    }
  });

  it('answers an export route with a bad body or path in JSON, no stack', async () => {
    const response = await inject(standard, { method: 'GET', url: '/reports/x/revisions/abc/export.pdf', headers: await tokens.headers(EVERYTHING_READER) });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expectNothingLeaked(response.text);
  });
});

describe('per-actor rate limit, RATE_LIMIT_PER_MINUTE', () => {
  const alice: Actor = { id: 'alice', role: 'AUDITOR', organizationId: '*' };
  const bob: Actor = { id: 'bob', role: 'AUDITOR', organizationId: '*' };

  it('answers the fourth request of a minute with HTTP 429 RATE_LIMITED and retryAfter; another actor is not affected', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await graphql(limited, '{ __typename }', undefined, { actor: alice })).status).toBe(200);
    }
    const refused = await graphql(limited, '{ __typename }', undefined, { actor: alice });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({
      data: null,
      errors: [
        {
          message: `more than 3 requests in a minute: retry in ${retryAfter} s`,
          extensions: { code: 'RATE_LIMITED', retryAfter, limit: 3 },
        },
      ],
    });
    expectNothingLeaked(refused.text);

    // Bob has his own bucket, and so do requests without a token (by IP address).
    expect((await graphql(limited, '{ __typename }', undefined, { actor: bob })).status).toBe(200);
    const anonymous = await inject(limited, { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ __typename }' }) });
    expect(anonymous.status).not.toBe(429);

    // The exports count against the same bucket and answer in their own shape.
    const download = await inject(limited, { method: 'GET', url: '/reports/x/revisions/1/export.csv', headers: await tokens.headers(alice) });
    expect(download.status).toBe(429);
    expect(download.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^more than 3 requests in a minute: retry in \d+ s$/),
      retryAfter: expect.any(Number),
      limit: 3,
    });
    // GraphiQL's page is not counted.
    expect((await inject(limited, { method: 'GET', url: '/graphiql', headers: await tokens.headers(alice) })).status).toBe(200);
  });
});
