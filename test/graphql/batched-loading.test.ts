import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApp } from '../../src/bootstrap.js';
import type { Actor } from '../../src/event-store/event.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { COMMITTEE, HR, INSPECTOR, LEADER } from '../support/appraisal-unit.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { EVERYTHING_READER, TestTokens } from '../support/test-tokens.js';

/**
 * `grades(organizationId, period)` pages grade_view rows; each row's rule set, outcome label, flags
 * and grade history (with its trace) are mercurius loaders, batched over the page. The number of
 * SQL statements a page costs must not grow with the number of records on it.
 *
 * Seeds one annual cycle of 100 people, each with a determined grade and its trace; p001 holds a
 * 优秀 that a 诫勉 recorded later flags (DOMAIN §9 scenario 7).
 */
const COUNT = 100;
const PERIOD = '2025';
const PEOPLE = Array.from({ length: COUNT }, (_, index) => `p${String(index + 1).padStart(3, '0')}`);
const FLAGGED = PEOPLE[0];
const recordId = (personId: string) => `bureau.${personId}.${PERIOD}`;

const GRADES_QUERY = `query Grades($first: Int, $after: String) {
  grades(organizationId: "bureau", period: "${PERIOD}", first: $first, after: $after) {
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

const TRACE_QUERY = `query Trace($recordId: String!) {
  gradeTrace(recordId: $recordId) {
    current {
      eventId globalPosition kind
      outcome { kind grade label }
      steps { kind kindLabel rule { ruleSetId ruleSetVersion clause } inputs { eventId globalPosition } conclusion explanation values }
    }
  }
}`;

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;
const tokens = new TestTokens();
const clock = { now: new Date('2025-03-03T09:00:00+08:00') };

function today(day: string): void {
  clock.now = new Date(`${day}T09:00:00+08:00`);
}

/** As the actor; queries as an auditor scoped to every organization. */
async function request(query: string, variables: Record<string, unknown> = {}, actor: Actor = EVERYTHING_READER) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(await tokens.headers(actor)) };
  const response = await app.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/graphql', headers, payload: JSON.stringify({ query, variables }) });
  return response.json() as { data?: Record<string, any>; errors?: { message: string; extensions: Record<string, any> }[] };
}

async function mutate(name: string, input: Record<string, unknown>, actor: Actor): Promise<void> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const body = await request(`mutation Run($input: ${inputType}!) { ${name}(input: $input) { commandId } }`, { input }, actor);
  if (body.errors) throw new Error(`${name} failed: ${JSON.stringify(body.errors)}`);
}

async function query(text: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const body = await request(text, variables);
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/** Runs `work` for every person, `width` people at a time (each person's steps stay in order). */
async function forEachPerson(work: (personId: string, index: number) => Promise<void>, width = 20): Promise<void> {
  for (let start = 0; start < PEOPLE.length; start += width) {
    await Promise.all(PEOPLE.slice(start, start + width).map((personId, offset) => work(personId, start + offset)));
  }
}

/**
 * The SQL statements the service sends while it answers one GraphQL request: every
 * `pg.Client#query` (the pool's `query` runs through it) between the request's start and end. The
 * projection runner is stopped meanwhile, so that nothing else uses the database.
 */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [string | { text: string }];
    statements.push(typeof config === 'string' ? config : config.text);
    return (original as (...all: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    return { result: await run(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false, clock: () => clock.now, authentication: tokens.authentication });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  today('2025-03-03');
  await mutate('publishPresetRuleSet', { id: 'national-current' }, HR);
  await mutate('registerOrganization', { organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, HR);
  await mutate('registerOrganization', { organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, HR);
  await mutate('adoptRuleSet', { organizationId: 'bureau', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, HR);
  await forEachPerson((personId, index) =>
    mutate(
      'registerPerson',
      { personId, name: `职员${index + 1}`, category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
      HR,
    ),
  );

  today('2025-12-01');
  await mutate('openCycle', { organizationId: 'bureau', period: PERIOD, personIds: PEOPLE }, HR);

  // Every record: proposal, review, determination (称职, final at once) — a GradeDetermined with its trace.
  today('2026-01-06');
  await forEachPerson(async (personId) => {
    const grade = personId === FLAGGED ? 'EXCELLENT' : 'COMPETENT';
    await mutate('proposeGrade', { recordId: recordId(personId), grade, reason: '全年工作' }, LEADER);
    await mutate('reviewProposal', { recordId: recordId(personId), agrees: true, reason: '同意' }, LEADER);
    await mutate('determineGrade', { recordId: recordId(personId) }, COMMITTEE);
  });

  // p001's 优秀: public notice, final, then a 诫勉 dated 2025-12-28 reaches the log and flags it.
  today('2026-01-09');
  await mutate('startPublicNotice', { recordId: recordId(FLAGGED), startDate: '2026-01-09' }, HR);
  today('2026-01-18');
  await mutate('finalizeGrade', { recordId: recordId(FLAGGED) }, COMMITTEE);
  today('2026-01-20');
  await mutate(
    'recordDisciplinaryMeasure',
    { personId: FLAGGED, measureId: 'admonition-2025-8', measure: 'ADMONITION', decisionDate: '2025-12-28', effectiveDate: '2025-12-28', authority: '派驻纪检监察组', documentNumber: '诫勉〔2025〕8号' },
    INSPECTOR,
  );

  // From here on only the catch-up below and the requests under test touch the database: with no
  // background batch open, every appended event is readable when the catch-up looks for it.
  const { projections } = infrastructure;
  await projections.stop();
  await projections.catchUp('late_fact_flags');
  for (const name of projections.names) await projections.catchUp(name);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('grades(organizationId, period): cursor pagination with batched per-record fields', () => {
  it('answers a page of 10 and a page of 100 records, with traces and flags, in the same few SQL statements', async () => {
    const ten = await statementsOf(() => query(GRADES_QUERY, { first: 10 }));
    const hundred = await statementsOf(() => query(GRADES_QUERY, { first: 100 }));

    const tenEdges = ten.result.grades.edges;
    const hundredEdges = hundred.result.grades.edges;
    expect(tenEdges).toHaveLength(10);
    expect(ten.result.grades.pageInfo).toEqual({ endCursor: recordId(PEOPLE[9]), hasNextPage: true });
    expect(hundredEdges).toHaveLength(COUNT);
    expect(hundred.result.grades.pageInfo).toEqual({ endCursor: recordId(PEOPLE[COUNT - 1]), hasNextPage: false });
    expect(hundredEdges.map((edge: { cursor: string }) => edge.cursor)).toEqual(PEOPLE.map(recordId));

    // Real records with real traces: every one determined, its history holding the derivation.
    for (const { node } of hundredEdges) {
      expect(node).toMatchObject({ unitId: 'office', period: PERIOD, periodKind: 'ANNUAL', category: 'CIVIL_SERVANT', ruleSet: { id: 'national-current', version: 1 } });
      expect(node.history).toHaveLength(1);
      expect(node.history[0]).toMatchObject({ kind: 'DETERMINED', actorId: COMMITTEE.id, outcome: node.outcome });
      expect(node.history[0].steps.length).toBeGreaterThan(0);
      expect(node.history[0].steps.map((step: { kind: string }) => step.kind)).toContain('DETERMINATION');
    }
    const competent = hundredEdges[1].node;
    expect(competent).toMatchObject({ status: 'FINAL', flagged: false, flags: [], outcome: { kind: 'GRADE', grade: 'COMPETENT', label: '称职' } });
    const flagged = hundredEdges[0].node;
    expect(flagged).toMatchObject({ recordId: recordId(FLAGGED), status: 'FINAL', flagged: true, outcome: { kind: 'GRADE', grade: 'EXCELLENT', label: '优秀' } });
    expect(flagged.flags).toEqual([
      { factEventId: expect.any(String), factType: 'AdmonitionIssued', code: 'APPRAISAL.TOP_GRADE_BARRED', reason: expect.stringContaining('ADMONITION'), resolved: false },
    ]);
    // The first ten are the same records, answered the same way.
    expect(tenEdges).toEqual(hundredEdges.slice(0, 10));

    // Bounded, not proportional: the page, its rule set, the flags and the histories, once each.
    expect(ten.statements.length).toBeGreaterThan(0);
    expect(hundred.statements).toHaveLength(ten.statements.length);
    expect(hundred.statements.length).toBeLessThanOrEqual(5);
    expect(hundred.statements.filter((text) => /FROM grade_history/.test(text))).toHaveLength(1);
    expect(hundred.statements.filter((text) => /FROM grade_flag/.test(text))).toHaveLength(1);
  });

  it('gives the same trace as gradeTrace, which replays the record stream', async () => {
    const { grades } = await query(GRADES_QUERY, { first: 3 });
    for (const { node } of grades.edges) {
      const { gradeTrace } = await query(TRACE_QUERY, { recordId: node.recordId });
      const [entry] = node.history;
      expect({ eventId: entry.eventId, globalPosition: entry.globalPosition, kind: entry.kind, outcome: entry.outcome, steps: entry.steps }).toEqual(gradeTrace.current);
    }
  });

  it('pages through all 100 records with first/after, each once and in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const { grades }: { grades: { edges: { cursor: string; node: { recordId: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } } = (await query(
        GRADES_QUERY,
        { first: 30, after },
      )) as never;
      seen.push(...grades.edges.map((edge) => edge.node.recordId));
      expect(grades.pageInfo.endCursor).toBe(seen[seen.length - 1]);
      if (!grades.pageInfo.hasNextPage) break;
      after = grades.pageInfo.endCursor;
    }
    expect(seen).toEqual(PEOPLE.map(recordId));
    const past = await query(GRADES_QUERY, { first: 30, after: recordId(PEOPLE[COUNT - 1]) });
    expect(past.grades).toEqual({ edges: [], pageInfo: { endCursor: recordId(PEOPLE[COUNT - 1]), hasNextPage: false } });
  });

  it('lists nothing for another organization or period, and refuses a page size out of range or a malformed period', async () => {
    const other = await query('{ grades(organizationId: "elsewhere", period: "2025") { edges { cursor } pageInfo { endCursor hasNextPage } } }');
    expect(other.grades).toEqual({ edges: [], pageInfo: { endCursor: null, hasNextPage: false } });
    const body = await request('{ grades(organizationId: "bureau", period: "2025-Q2", first: 501) { edges { cursor } } }');
    expect(body.errors?.[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(body.errors?.[0].extensions.fields.map((field: { field: string }) => field.field).sort()).toEqual(['first', 'period']);
  });
});
