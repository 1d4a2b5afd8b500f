import { GraphQLTestApp } from '../support/graphql-app.js';

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
const UNIT_HEAD = { id: 'head-1', role: 'UNIT_HEAD', organizationId: 'office' };
const RECORD = 'bureau.p1.2025Q2';

let service: GraphQLTestApp;

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  service.today('2025-07-01');
  await service.mutate('publishPresetRuleSet', { id: 'national-current' }, HR);
  await service.mutate('registerOrganization', { organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, HR);
  await service.mutate('registerOrganization', { organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, HR);
  await service.mutate('adoptRuleSet', { organizationId: 'bureau', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, HR);
  await service.mutate(
    'registerPerson',
    { personId: 'p1', name: '李明', category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2019-09-01' },
    HR,
  );
  await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q2', personIds: ['p1'] }, HR);
});

afterAll(() => service.close());

async function eventTypes(streamId: string): Promise<string[]> {
  const data = await service.query('query Stream($streamId: String!) { events(streamId: $streamId) { edges { node { type } } } }', { streamId });
  return data.events.edges.map((edge: { node: { type: string } }) => edge.node.type);
}

describe('validation and errors over GraphQL', () => {
  it('refuses a value outside an enum before any resolver runs, naming the field and the enum', async () => {
    const { status, body } = await service.attempt('recordScores', { recordId: RECORD, raterId: 'head-1', raterRole: 'BOSS', scores: [{ indicatorId: 'workload', points: 12 }] }, UNIT_HEAD);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors![0].message).toContain('at "input.raterRole"');
    expect(body.errors![0].message).toContain('Value "BOSS" does not exist in "RaterRole" enum');
  });

  it('refuses it the same way once the operation is compiled (sent again, mercurius runs it compiled)', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { status, body } = await service.attempt('recordScores', { recordId: RECORD, raterId: 'head-1', raterRole: 'BOSS', scores: [{ indicatorId: 'workload', points: 12 }] }, UNIT_HEAD);
      expect(status).toBe(400);
      expect(body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors![0].message).toContain('Value "BOSS" does not exist in "RaterRole" enum');
    }
  });

  it('answers input the DTO refuses with VALIDATION_FAILED: one entry per field, with what is allowed', async () => {
    const error = await service.refusal(
      'submitSelfSummary',
      {
        commandId: 'c'.repeat(101),
        recordId: RECORD,
        text: '',
        attendance: { daysPresent: 400, sickLeaveDays: -1, personalLeaveDays: 0, lateCount: 0, earlyLeaveCount: 0, trainings: [] },
      },
      { id: 'p1', role: 'APPRAISED', organizationId: 'office' },
    );
    expect(error.extensions.code).toBe('VALIDATION_FAILED');
    const fields = error.extensions.fields.map((field: { field: string; allowed: string }) => ({ field: field.field, allowed: field.allowed }));
    expect(fields).toEqual(
      expect.arrayContaining([
        { field: 'commandId', allowed: '1 to 100 characters' },
        { field: 'text', allowed: '1 to 20000 characters' },
        { field: 'attendance.daysPresent', allowed: '0 to 366' },
        { field: 'attendance.sickLeaveDays', allowed: '0 to 366' },
      ]),
    );
    expect(fields).toHaveLength(4);

    const badDate = await service.refusal('startPublicNotice', { recordId: RECORD, startDate: '2025/07/08' }, HR);
    expect(badDate.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'startDate', constraints: [{ name: 'matches', message: 'startDate must be a date YYYY-MM-DD' }], allowed: 'a date YYYY-MM-DD' }],
    });
    expect(await eventTypes(`appraisal-${RECORD}`)).toEqual(['RecordOpened']);
  });

  it('refuses a score above the indicator\'s points, naming the indicator and its range', async () => {
    const error = await service.refusal(
      'recordScores',
      { recordId: RECORD, raterId: 'head-1', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'workload', points: 15 }, { indicatorId: 'political-ideology', points: 7 }] },
      UNIT_HEAD,
    );
    expect(error.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'scores.1.points', constraints: [{ name: 'range', message: '思想政治素质 is scored 0 to 6' }], allowed: '0 to 6' }],
    });
    expect(await eventTypes(`appraisal-${RECORD}`)).toEqual(['RecordOpened']);
  });

  it('refuses a mutation without a bearer token with UNAUTHENTICATED, saying why, and appends nothing', async () => {
    const anonymous = await service.attempt('writeComment', { recordId: RECORD, text: '工作认真负责' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.errors![0]).toMatchObject({
      message: 'the request carries no bearer token: send the header Authorization: Bearer <token>',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' },
    });

    // The actor headers of old name nobody.
    const query = 'mutation Run($input: WriteCommentInput!) { writeComment(input: $input) { commandId } }';
    const headersOnly = await service.send(query, { input: { recordId: RECORD, text: '工作认真负责' } }, { 'x-actor-id': 'head-1', 'x-actor-role': 'UNIT_HEAD', 'x-actor-organization': 'office' });
    expect(headersOnly.body.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    expect(await eventTypes(`appraisal-${RECORD}`)).toEqual(['RecordOpened']);
  });

  it('returns the first result for a replayed commandId and appends nothing more', async () => {
    const first = await service.mutate('writeComment', { commandId: 'comment-p1-q2', recordId: RECORD, text: '工作认真负责' }, UNIT_HEAD);
    expect(first).toMatchObject({ commandId: 'comment-p1-q2', streamId: `appraisal-${RECORD}`, replayed: false });
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ type: 'CommentWritten', data: { authorId: 'head-1', text: '工作认真负责' }, metadata: { commandId: 'comment-p1-q2', effectiveAt: '2025-07-01', actor: UNIT_HEAD } });

    const again = await service.mutate('writeComment', { commandId: 'comment-p1-q2', recordId: RECORD, text: '另一段评语' }, UNIT_HEAD);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await eventTypes(`appraisal-${RECORD}`)).toEqual(['RecordOpened', 'CommentWritten']);
  });

  it('makes a commandId when the input has none', async () => {
    const outcome = await service.mutate('renameOrganization', { organizationId: 'office', name: '综合办公室' }, HR);
    expect(outcome.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(outcome.events[0].metadata.commandId).toBe(outcome.commandId);
  });

  it('publishes a preset only as the next version, and names the presets there are', async () => {
    const again = await service.refusal('publishPresetRuleSet', { id: 'national-current' }, HR);
    expect(again).toMatchObject({
      message: 'rule set national-current is at version 1: the next version must be 2, got 1',
      extensions: { code: 'RULE_SET.VERSION_OUT_OF_ORDER', id: 'national-current', expected: 2, got: 1 },
    });
    const unknown = await service.refusal('publishPresetRuleSet', { id: 'shanghai-2030' }, HR);
    expect(unknown.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'id', allowed: 'hebei-graded-points, national-current, trial-2007' }] });
    const { presetRuleSets } = await service.query('{ presetRuleSets { id version name effectiveFrom } }');
    expect(presetRuleSets.map((preset: { id: string }) => preset.id)).toEqual(['hebei-graded-points', 'national-current', 'trial-2007']);
  });
});
