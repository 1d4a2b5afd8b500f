import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { createApp } from '../../src/bootstrap.js';
import { DEFAULT_QUERY, EXAMPLE_ACTOR_HEADERS } from '../../src/graphql/offline-graphiql.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TestTokens } from '../support/test-tokens.js';

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false, authentication: new TestTokens().authentication });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

function get(url: string) {
  return app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
}

/** Every src and href attribute value of the page. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((match) => match[1]);
}

describe('GraphiQL served offline at /graphiql', () => {
  it('serves an HTML page whose scripts and stylesheets all come from /graphiql/assets/, never from another host', async () => {
    const response = await get('/graphiql');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);

    const urls = referencedUrls(response.body);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\/[\w.-]+$/);
    expect(response.body).not.toMatch(/\b(?:src|href)\s*=\s*["']\s*(?:https?:)?\/\//i);
    expect(response.body).not.toMatch(/(?:src|href)\s*=\s*["'][^"']*https?:\/\//i);

    const scriptTags = response.body.match(/<script\b[^>]*>/gi) ?? [];
    const linkTags = response.body.match(/<link\b[^>]*>/gi) ?? [];
    expect(scriptTags.filter((tag) => /\bsrc=/.test(tag))).toHaveLength(3);
    expect(linkTags).toHaveLength(1);
  });

  it('points GraphiQL at /graphql with the Authorization header prefilled and the example queries as default', async () => {
    const { body } = await get('/graphiql');
    expect(body).toContain('"endpoint":"/graphql"');
    expect(body).toContain('defaultHeaders');
    expect(Object.keys(EXAMPLE_ACTOR_HEADERS)).toEqual(['Authorization']);
    expect(body).toContain('Bearer ');
    expect(body).toContain('paste a token from npm run token');
    expect(body).not.toContain('x-actor-');
    for (const operation of ['health', 'gradeTrace', 'appraisalRecord', 'events(', 'verifyIntegrity', '等次溯源', 'Grade trace']) {
      expect(body).toContain(operation);
    }
    // three asset scripts and the inline start-up script: the embedded query never closes a script early
    expect(body.match(/<\/script>/gi)).toHaveLength(4);
  });

  it('offers a default query whose every operation is valid against the service schema', () => {
    const schema = (app.getHttpAdapter().getInstance() as unknown as { graphql: { schema: GraphQLSchema } }).graphql.schema;
    const document = parse(DEFAULT_QUERY);
    expect(validate(schema, document)).toEqual([]);
    const operations = document.definitions.map((definition) => ('name' in definition ? definition.name?.value : undefined));
    expect(operations).toEqual(['Health', 'GradeTrace', 'AppraisalRecord', 'Events', 'VerifyIntegrity', 'RecordAsOf', 'PeopleUnderDiscipline', 'ConflictsAndActors', 'Reports']);
  });

  it('answers the health query exactly as the IDE sends it', async () => {
    const response = await app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...EXAMPLE_ACTOR_HEADERS },
      payload: JSON.stringify({ query: DEFAULT_QUERY, operationName: 'Health' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.health.store).toBe('postgresql');
  });

  it('serves every asset the page references with a JavaScript or CSS content type and a real body', async () => {
    const { body } = await get('/graphiql');
    for (const url of referencedUrls(body)) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      const contentType = String(response.headers['content-type']);
      if (url.endsWith('.css')) expect(contentType).toMatch(/^text\/css/);
      else expect(contentType).toMatch(/^(?:text|application)\/javascript/);
      expect(response.rawPayload.length).toBeGreaterThan(10_000);
      expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    }
  });

  it.each([
    '/graphiql/assets/..%2F..%2Fpackage.json',
    '/graphiql/assets/..%2F..%2F..%2Fpackage.json',
    '/graphiql/assets/../../package.json',
    '/graphiql/assets/%2E%2E%2Fpackage.json',
    '/graphiql/assets/secret.js',
    '/graphiql/assets/graphiql.min.js.map',
    '/graphiql/assets/react.development.js',
    '/graphiql/assets/__proto__',
    '/graphiql/assets/constructor',
    '/graphiql/assets/',
    '/graphiql/assets/react%2Fumd%2Freact.production.min.js',
  ])('answers 404 for %s, outside the whitelist', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('"name": "appraisal-records"');
  });
});
