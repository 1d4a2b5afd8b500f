import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GraphQLSchema } from 'graphql';
import { createApp } from '../../src/bootstrap.js';
import type { Actor } from '../../src/event-store/event.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { verifyReplay, type ReplayVerification } from '../../src/projection/replay-verify.js';
import { untilLogReadable } from './log-readable.js';
import { startKurrentDbTestServer, type KurrentDbTestServer } from './kurrentdb-test-server.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { EVERYTHING_READER, TestTokens, type TokenSubject } from './test-tokens.js';

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions: Record<string, any> }[] };
}

/** An event as the tests read it. */
export interface GraphQLEvent {
  eventId: string;
  streamId: string;
  globalPosition: string;
  type: string;
  recordedAt: string;
  data: any;
  metadata: { commandId: string; effectiveAt: string; actor: Actor };
}

/** What every mutation returns, with the event fields the tests read. */
export interface Outcome {
  commandId: string;
  streamId: string;
  replayed: boolean;
  events: GraphQLEvent[];
}

const EVENT_FIELDS = `{ eventId streamId globalPosition type recordedAt data metadata { commandId effectiveAt actor { id role organizationId } } }`;
const OUTCOME_FIELDS = `{ commandId streamId replayed events ${EVENT_FIELDS} }`;

/** A row of the access_denial table, as the tests read it. */
export interface DenialRow {
  actor_id: string;
  actor_role: string;
  actor_organization_id: string;
  operation: string;
  target: string | null;
  target_organization_ids: string[];
  reason_code: string;
  reason: string;
}

/**
 * The service over HTTP on its own database, with a clock the test moves: every command is stamped
 * 09:00 Asia/Shanghai of the day set last. Requests carry bearer tokens signed with a test key:
 * a mutation's for its actor, and queries, unless a test names an actor, the token of an auditor
 * scoped to every organization (EVERYTHING_READER).
 */
export class GraphQLTestApp {
  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly infrastructure: Infrastructure,
    private readonly database: TestDatabase,
    private readonly clock: { now: Date },
    readonly tokens: TestTokens,
    private readonly kurrentDb?: KurrentDbTestServer,
  ) {}

  /**
   * With `eventStore: 'kurrentdb'` (or TEST_EVENT_STORE=kurrentdb) the log lives in a
   * protocol-level KurrentDB test server (the read models stay in PostgreSQL), so any GraphQL test
   * can run against the KurrentDB adapter.
   */
  static async start(options: { eventStore?: 'postgresql' | 'kurrentdb' } = {}): Promise<GraphQLTestApp> {
    const database = await createTestDatabase();
    const eventStore = options.eventStore ?? (process.env.TEST_EVENT_STORE === 'kurrentdb' ? 'kurrentdb' : 'postgresql');
    const kurrentDb = eventStore === 'kurrentdb' ? await startKurrentDbTestServer() : undefined;
    const infrastructure = await openInfrastructure({
      databaseUrl: database.url,
      dataDirectory: 'unused',
      embeddedPostgresPort: undefined,
      eventStoreUrl: kurrentDb?.connectionString,
    });
    const clock = { now: new Date('2025-01-02T09:00:00+08:00') };
    const tokens = new TestTokens();
    const app = await createApp(infrastructure, { logger: false, clock: () => clock.now, authentication: tokens.authentication });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new GraphQLTestApp(app, infrastructure, database, clock, tokens, kurrentDb);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.kurrentDb?.close();
    await this.database.drop();
  }

  /** From now on, commands happen at 09:00 in Beijing on `day` (YYYY-MM-DD). */
  today(day: string): void {
    this.clock.now = new Date(`${day}T09:00:00+08:00`);
  }

  /**
   * Runs a projection or process manager (e.g. `backfill_process`) until it has read the whole log,
   * so the test need not wait for its background loop.
   */
  async catchUp(name: string): Promise<void> {
    // A background batch still open would hide later appends from the catch-up (they become
    // readable only below the oldest open transaction): pause the loops meanwhile.
    const { projections } = this.infrastructure;
    await projections.stop();
    try {
      await untilLogReadable(this.infrastructure);
      await projections.catchUp(name);
    } finally {
      projections.start();
    }
  }

  /** Catches every projection up and leaves the background loops stopped: nothing appends behind the test's back. */
  async settle(): Promise<void> {
    const { projections } = this.infrastructure;
    await projections.stop();
    await untilLogReadable(this.infrastructure);
    for (const name of projections.names) await projections.catchUp(name);
  }

  /** Listens on a free port of 127.0.0.1 (once) and returns the WebSocket URL of /graphql, for subscriptions. */
  async webSocketUrl(): Promise<string> {
    if (!this.app.getHttpServer().listening) await this.app.listen(0, '127.0.0.1');
    return `ws://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  }

  /** Catches every projection up, then rebuilds every view from zero in a scratch schema and compares. */
  async replayVerification(): Promise<ReplayVerification> {
    const { projections, pool, store } = this.infrastructure;
    for (const name of projections.names) await this.catchUp(name);
    return verifyReplay(pool, store, projections.views);
  }

  /**
   * Runs a process manager over the whole log again, as after a lost checkpoint. The background
   * loops pause meanwhile, so that none of them writes the old checkpoint back.
   */
  async rerunFromStart(name: string): Promise<void> {
    const { projections, pool } = this.infrastructure;
    await projections.stop();
    try {
      await untilLogReadable(this.infrastructure);
      await pool.query('DELETE FROM projection_checkpoint WHERE name = $1', [name]);
      await projections.catchUp(name);
    } finally {
      projections.start();
    }
  }

  /** The bearer token header of the subject; none for null. */
  async authorization(subject: TokenSubject | null): Promise<Record<string, string>> {
    return subject ? this.tokens.headers(subject) : {};
  }

  /** POSTs to /graphql with exactly these headers (no token unless they hold one). */
  async send(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    const response = await this.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: response.statusCode, body: response.json() };
  }

  /** POSTs to /graphql with the headers given; without an Authorization header, as EVERYTHING_READER. */
  async request(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    const named = Object.keys(headers).some((header) => header.toLowerCase() === 'authorization');
    return this.send(query, variables, named ? headers : { ...(await this.authorization(EVERYTHING_READER)), ...headers });
  }

  /** Runs a query or mutation as the subject (no token for null) and returns the whole response. */
  async requestAs(subject: TokenSubject | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    return this.send(query, variables, { ...(await this.authorization(subject)), ...headers });
  }

  /** GETs a path of the service (an export, say) as the subject (EVERYTHING_READER unless named; null: no token). */
  async download(path: string, subject: TokenSubject | null = EVERYTHING_READER): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
    const response = await this.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: path, headers: await this.authorization(subject) });
    return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
  }

  /** Runs `mutation name(input: …)` as the actor (without a token when there is none) and returns the whole response. */
  attempt(name: string, input: Record<string, unknown>, actor?: TokenSubject): Promise<GraphQLResponse> {
    const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    return this.requestAs(actor ?? null, `mutation Run($input: ${inputType}!) { ${name}(input: $input) ${OUTCOME_FIELDS} }`, { input });
  }

  /** Every row of the access_denial table, oldest first. */
  async denials(): Promise<DenialRow[]> {
    const { rows } = await this.infrastructure.pool.query<DenialRow>(
      'SELECT actor_id, actor_role, actor_organization_id, operation, target, target_organization_ids, reason_code, reason FROM access_denial ORDER BY position',
    );
    return rows;
  }

  /** Runs SQL on the service's database (to show what the database refuses). */
  async sql(text: string, values: unknown[] = []): Promise<unknown[]> {
    return (await this.infrastructure.pool.query(text, values)).rows;
  }

  /** The global position of the log's last event (null while empty): unchanged when nothing was appended. */
  async lastGlobalPosition(): Promise<string | null> {
    return (await this.infrastructure.store.lastGlobalPosition())?.toString() ?? null;
  }

  /** The service's executable schema, as mercurius serves it. */
  schema(): GraphQLSchema {
    return (this.app.getHttpAdapter().getInstance() as unknown as { graphql: { schema: GraphQLSchema } }).graphql.schema;
  }

  /** Sends `mutation name(input: $input)` with the input as a variable of its declared type, whatever it holds; returns status, body and raw text. */
  async sendMutation(name: string, inputTypeName: string, input: unknown, actor: TokenSubject): Promise<GraphQLResponse & { text: string }> {
    const response = await this.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(await this.authorization(actor)) },
      payload: JSON.stringify({ query: `mutation Run($input: ${inputTypeName}) { ${name}(input: $input) { commandId } }`, variables: { input } }),
    });
    return { status: response.statusCode, body: response.json(), text: response.body };
  }

  /** Runs the mutation and returns its outcome; fails the test with the errors if there are any. */
  async mutate(name: string, input: Record<string, unknown>, actor: TokenSubject): Promise<Outcome> {
    const { body } = await this.attempt(name, input, actor);
    if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors, null, 2)}`);
    return body.data![name];
  }

  /** Runs the mutation expecting exactly one error, and returns it. */
  async refusal(name: string, input: Record<string, unknown>, actor: TokenSubject): Promise<{ message: string; extensions: Record<string, any> }> {
    const { body } = await this.attempt(name, input, actor);
    if (!body.errors || body.errors.length !== 1) throw new Error(`${name} was expected to fail once: ${JSON.stringify(body)}`);
    return body.errors[0];
  }

  /** Every event of the stream, oldest first. */
  async streamEvents(streamId: string): Promise<GraphQLEvent[]> {
    const data = await this.query(`query Stream($streamId: String!) { events(streamId: $streamId, first: 500) { edges { node ${EVENT_FIELDS} } } }`, { streamId });
    return data.events.edges.map((edge: { node: GraphQLEvent }) => edge.node);
  }

  /** Runs a query and returns its data; fails the test with the errors if there are any. */
  async query(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const { body } = await this.request(query, variables);
    if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors, null, 2)}`);
    return body.data!;
  }
}
