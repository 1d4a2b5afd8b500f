import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import WebSocket from 'ws';
import { createApp } from '../../src/bootstrap.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;
let url: string;

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
const meta = (commandId: string, date: string) => ({ commandId, actor: HR, now: `${date}T02:00:00.000Z` });

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false });
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

/** A graphql-transport-ws client: resolves with the first `next` payload of the subscription. */
function firstGradeChange(organizationId: string): { ready: Promise<void>; received: Promise<unknown>; close: () => void } {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const received = new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('error', reject);
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
        setTimeout(ready, 200);
      }
      if (message.type === 'next') resolve(message.payload.data.gradeChanged);
      if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
  });
  return { ready: readyPromise, received, close: () => socket.close() };
}

describe('gradeChanged subscription', () => {
  it('delivers a new grade of the organization once the grade view has committed it, and nothing of others', async () => {
    const bureau = firstGradeChange('bureau');
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
      await expect(bureau.received).resolves.toMatchObject({
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
});
