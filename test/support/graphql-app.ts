import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import type { Actor } from '../../src/event-store/event.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { verifyReplay, type ReplayVerification } from '../../src/projection/replay-verify.js';
import { startKurrentDbTestServer, type KurrentDbTestServer } from './kurrentdb-test-server.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

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

function actorHeaders(actor: Actor | undefined): Record<string, string> {
  return actor ? { 'x-actor-id': actor.id, 'x-actor-role': actor.role, 'x-actor-organization': actor.organizationId } : {};
}

/**
 * The service over HTTP on its own database, with a clock the test moves: every command is stamped
 * 09:00 Asia/Shanghai of the day set last.
 */
export class GraphQLTestApp {
  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly infrastructure: Infrastructure,
    private readonly database: TestDatabase,
    private readonly clock: { now: Date },
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
    const app = await createApp(infrastructure, { logger: false, clock: () => clock.now });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new GraphQLTestApp(app, infrastructure, database, clock, kurrentDb);
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
      await projections.catchUp(name);
    } finally {
      projections.start();
    }
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
      await pool.query('DELETE FROM projection_checkpoint WHERE name = $1', [name]);
      await projections.catchUp(name);
    } finally {
      projections.start();
    }
  }

  async request(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    const response = await this.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: response.statusCode, body: response.json() };
  }

  /** GETs a path of the service (an export, say) and returns the status, headers and raw body. */
  async download(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
    const response = await this.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: path });
    return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
  }

  /** Runs `mutation name(input: …)` as the actor and returns the whole response. */
  attempt(name: string, input: Record<string, unknown>, actor?: Actor): Promise<GraphQLResponse> {
    const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    return this.request(`mutation Run($input: ${inputType}!) { ${name}(input: $input) ${OUTCOME_FIELDS} }`, { input }, actorHeaders(actor));
  }

  /** Runs the mutation and returns its outcome; fails the test with the errors if there are any. */
  async mutate(name: string, input: Record<string, unknown>, actor: Actor): Promise<Outcome> {
    const { body } = await this.attempt(name, input, actor);
    if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors, null, 2)}`);
    return body.data![name];
  }

  /** Runs the mutation expecting exactly one error, and returns it. */
  async refusal(name: string, input: Record<string, unknown>, actor: Actor): Promise<{ message: string; extensions: Record<string, any> }> {
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
