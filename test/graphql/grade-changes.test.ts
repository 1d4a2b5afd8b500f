import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import WebSocket from 'ws';
import { createApp } from '../../src/bootstrap.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TestTokens, type TokenSubject } from '../support/test-tokens.js';

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;
let url: string;
const tokens = new TestTokens();

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
/** The other system following the bureau's grades (e.g. 绩效工资): an auditor's read-only token for the bureau. */
const SUBSCRIBER = { id: 'payroll-system', role: 'AUDITOR', organizationId: 'bureau' };
const meta = (commandId: string, date: string) => ({ commandId, actor: HR, now: `${date}T02:00:00.000Z` });

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false, authentication: tokens.authentication });
  await app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const { appraisal } = infrastructure;
  await appraisal.publishRuleSet(loadPresetRuleSets().find((document) => document.id === 'national-current')!, meta('c1', '2025-01-02'));
  for (const organizationId of ['bureau', 'other']) {
    await appraisal.registerOrganization({ organizationId, name: organizationId, kind: 'ORGAN' }, meta(`org-${organizationId}`, '2025-01-02'));
    await appraisal.adoptRuleSet(organizationId, { year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, meta(`adopt-${organizationId}`, '2025-01-02'));
    await appraisal.personCommand(`${organizationId}-p`, {
      type: 'RegisterPerson',
      data: { personId: `${organizationId}-p`, name: '干部', category: 'CIVIL_SERVANT', organizationId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2020-01-01' },
      metadata: meta(`person-${organizationId}`, '2025-01-02'),
    });
    await appraisal.openCycle({ organizationId, period: '2025', personIds: [`${organizationId}-p`] }, meta(`cycle-${organizationId}`, '2025-12-01'));
  }
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

/**
 * A graphql-transport-ws client of `gradeChanged(organizationId)` whose connection_init carries the
 * subscriber's token: `until(predicate)` resolves with the first change that matches; `received`
 * lists every change delivered so far.
 */
function gradeChanges(organizationId: string, subscriber: TokenSubject = SUBSCRIBER) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: Record<string, unknown>[] = [];
  const waiters: { predicate: (change: Record<string, unknown>) => boolean; resolve: (change: Record<string, unknown>) => void }[] = [];
  let failed: ((error: Error) => void) | undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  const ready = new Promise<void>((resolve) => {
    socket.on('open', async () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${await tokens.token(subscriber)}` } })));
    socket.on('error', (error) => failed!(error));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: `subscription { gradeChanged(organizationId: "${organizationId}") { recordId organizationId kind outcomeKind grade eventId } }` },
          }),
        );
        setTimeout(resolve, 200);
      }
      if (message.type === 'next') {
        const change = message.payload.data.gradeChanged;
        received.push(change);
        for (const waiter of waiters.filter((candidate) => candidate.predicate(change))) waiter.resolve(change);
      }
      if (message.type === 'error') failed!(new Error(JSON.stringify(message.payload)));
    });
  });
  const until = (predicate: (change: Record<string, unknown>) => boolean) =>
    Promise.race([failure, new Promise<Record<string, unknown>>((resolve) => {
      const earlier = received.find(predicate);
      if (earlier) resolve(earlier);
      else waiters.push({ predicate, resolve });
    })]);
  return { ready, received, until, close: () => socket.close() };
}

describe('gradeChanged subscription', () => {
  /** What the server says to a socket that sends this connection_init payload, then subscribes: every message until it closes or 1 s passes. */
  async function conversation(payload: Record<string, unknown> | undefined, organizationId: string): Promise<{ messages: { type: string; payload?: any }[]; closed: boolean }> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const messages: { type: string; payload?: any }[] = [];
    let closed = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
      socket.on('close', () => {
        closed = true;
        clearTimeout(timer);
        resolve();
      });
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        messages.push(message);
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { gradeChanged(organizationId: "${organizationId}") { recordId } }` } }));
        }
      });
    });
    socket.close();
    return { messages, closed };
  }

  it('refuses a socket whose connection_init carries no valid token: no acknowledgement, the socket closes', async () => {
    for (const payload of [undefined, {}, { Authorization: 'Bearer not.a.token' }]) {
      const { messages, closed } = await conversation(payload, 'bureau');
      expect(messages.map((message) => message.type)).not.toContain('connection_ack');
      expect(closed).toBe(true);
    }
  });

  it('refuses a subscription outside the token\'s scope with FORBIDDEN, and records the denial', async () => {
    const outsider = { id: 'hr-other', role: 'HR', organizationId: 'other' };
    const { messages } = await conversation({ Authorization: `Bearer ${await tokens.token(outsider)}` }, 'bureau');
    const error = messages.find((message) => message.type === 'error' || (message.type === 'next' && message.payload.errors));
    const errors = error!.type === 'error' ? error!.payload : error!.payload.errors;
    expect(errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', operation: 'gradeChanged', reason: 'OUTSIDE_SCOPE', target: 'organization bureau' });
    const denials = await infrastructure.pool.query('SELECT actor_id, operation, reason_code FROM access_denial');
    expect(denials.rows).toContainEqual({ actor_id: 'hr-other', operation: 'gradeChanged', reason_code: 'OUTSIDE_SCOPE' });
  });

  it('delivers a new grade of the organization once the grade view has committed it, and nothing of others', async () => {
    const bureau = gradeChanges('bureau');
    await bureau.ready;
    const { appraisal, projections } = infrastructure;
    // A record of another organization changes first: the bureau's subscriber must not see it.
    for (const organizationId of ['other', 'bureau']) {
      const recordId = `${organizationId}.${organizationId}-p.2025`;
      await appraisal.recordCommand(recordId, { type: 'ProposeGrade', data: { grade: 'COMPETENT', reason: '' }, metadata: meta(`propose-${organizationId}`, '2026-01-05') });
      await appraisal.recordCommand(recordId, { type: 'ReviewProposal', data: { agrees: true, reason: '' }, metadata: meta(`review-${organizationId}`, '2026-01-05') });
      await appraisal.recordCommand(recordId, { type: 'DetermineGrade', data: {}, metadata: meta(`determine-${organizationId}`, '2026-01-06') });
    }
    await projections.catchUp('grade_view');
    try {
      await expect(bureau.until(() => true)).resolves.toMatchObject({
        recordId: 'bureau.bureau-p.2025',
        organizationId: 'bureau',
        kind: 'NEW',
        outcomeKind: 'GRADE',
        grade: 'COMPETENT',
      });
      const view = await infrastructure.pool.query('SELECT grade FROM grade_view WHERE record_id = $1', ['bureau.bureau-p.2025']);
      expect(view.rows).toEqual([{ grade: 'COMPETENT' }]);
    } finally {
      bureau.close();
    }
  });

  it('delivers the backfill of a grade withheld during an investigation once the case closes without a penalty', async () => {
    const bureau = gradeChanges('bureau');
    await bureau.ready;
    const { appraisal, projections } = infrastructure;
    const personId = 'bureau-c';
    const recordId = `bureau.${personId}.2025Q3`;
    await appraisal.personCommand(personId, {
      type: 'RegisterPerson',
      data: { personId, name: '干部乙', category: 'CIVIL_SERVANT', organizationId: 'bureau', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2020-01-01' },
      metadata: meta('person-bureau-c', '2025-01-02'),
    });
    await appraisal.openCase({ caseId: 'case-c', personId, openedOn: '2025-08-01', authority: '市纪委监委' }, meta('open-case-c', '2025-08-01'));
    await appraisal.openCycle({ organizationId: 'bureau', period: '2025Q3', personIds: [personId] }, meta('cycle-bureau-q3', '2025-10-09'));
    const indicators = loadPresetRuleSets().find((document) => document.id === 'national-current')!.scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;
    await appraisal.recordCommand(recordId, {
      type: 'RecordScores',
      data: { raterId: 'head-1', raterRole: 'SUPERIOR', scores: indicators.map((indicator) => ({ indicatorId: indicator.id, points: (indicator.points * 85) / 100 })) },
      metadata: meta('scores-c', '2025-10-10'),
    });
    await appraisal.recordCommand(recordId, { type: 'DetermineGrade', data: {}, metadata: meta('withhold-c', '2025-10-10') });
    await appraisal.closeCase('case-c', { closedOn: '2025-11-01', outcome: 'NO_PENALTY', penalty: null }, meta('close-case-c', '2025-11-01'));
    await projections.catchUp('backfill_process');
    await projections.catchUp('grade_view');
    try {
      const backfilled = await bureau.until((change) => change.kind === 'BACKFILLED');
      expect(backfilled).toMatchObject({ recordId, organizationId: 'bureau', outcomeKind: 'GRADE', grade: 'FAIRLY_GOOD' });
      const events = await infrastructure.store.readStream(`appraisal-${recordId}`);
      expect(backfilled.eventId).toBe(events.find((event) => event.type === 'GradeBackfilled')!.eventId);
      expect(bureau.received.filter((change) => change.recordId === recordId).map((change) => [change.kind, change.outcomeKind])).toEqual([
        ['NEW', 'WITHHELD_INVESTIGATION'],
        ['BACKFILLED', 'GRADE'],
      ]);
    } finally {
      bureau.close();
    }
  });
});
