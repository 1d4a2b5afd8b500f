import WebSocket from 'ws';
import { POLICY } from '../../src/auth/policy.js';
import { ROLES, type Role } from '../../src/auth/roles.js';
import type { Actor } from '../../src/event-store/event.js';
import { GraphQLTestApp, type GraphQLResponse } from '../support/graphql-app.js';
import type { TokenSubject } from '../support/test-tokens.js';

/**
 * The access policy cell by cell: every operation, every role, once in scope and once out of it.
 *
 *   city (organ: the regulator's jurisdiction)
 *   ├── bureau (organ) ── office (unit) ........ p1, p2 (cycle bureau 2025Q2), p3 (case-1)
 *   └── tax (organ) ──── tax-office (unit) ..... t1
 *
 * In scope, each role acts at its natural place (HR, leaders, committee, inspection and auditors at
 * bureau, the unit head at office, the regulator at city, the appraised person as p1 on p1's
 * record); out of scope the same role acts at tax (tax-office for the unit head), and the appraised
 * person as p2, p1's colleague. The expected answer is computed here from the operation's
 * targets and this tree, independently of the service: allowed (any answer but FORBIDDEN), or
 * FORBIDDEN with the reason, a denial row and no event appended.
 */

const PARENTS: Record<string, string | undefined> = { bureau: 'city', office: 'bureau', tax: 'city', 'tax-office': 'tax' };
function contains(root: string, organizationId: string): boolean {
  for (let current: string | undefined = organizationId; current; current = PARENTS[current]) if (current === root) return true;
  return root === '*';
}

const IN_SCOPE: Record<Role, Actor> = {
  APPRAISED: { id: 'p1', role: 'APPRAISED', organizationId: 'office' },
  UNIT_HEAD: { id: 'head-1', role: 'UNIT_HEAD', organizationId: 'office' },
  SUPERVISING_LEADER: { id: 'leader-1', role: 'SUPERVISING_LEADER', organizationId: 'bureau' },
  HEAD_OF_ORGAN: { id: 'director-1', role: 'HEAD_OF_ORGAN', organizationId: 'bureau' },
  COMMITTEE: { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' },
  HR: { id: 'hr-1', role: 'HR', organizationId: 'bureau' },
  DISCIPLINE_INSPECTION: { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' },
  REGULATOR: { id: 'regulator-1', role: 'REGULATOR', organizationId: 'city' },
  AUDITOR: { id: 'auditor-1', role: 'AUDITOR', organizationId: 'bureau' },
};
const OUT_OF_SCOPE: Record<Role, Actor> = Object.fromEntries(
  ROLES.map((role) => [
    role,
    role === 'APPRAISED'
      ? { id: 'p2', role, organizationId: 'office' }
      : { id: `${role.toLowerCase()}-tax`, role, organizationId: role === 'UNIT_HEAD' ? 'tax-office' : 'tax' },
  ]),
) as Record<Role, Actor>;

/** Where an operation points: organizations (one inside the scope suffices) and, for OWN, whose it is; `none` for no organization. */
type Target = { organizations: string[]; owner?: string } | 'none';

const RECORD = 'bureau.p1.2025Q2';
const OTHER_RECORD = 'bureau.p2.2025Q2';
const record: Target = { organizations: ['bureau', 'office'], owner: 'p1' };
const bureau: Target = { organizations: ['bureau'] };
const office: Target = { organizations: ['office'] };
const p3: Target = { organizations: ['office'], owner: 'p3' };

interface Case {
  operation: string;
  document: string;
  variables: () => Record<string, unknown>;
  targets: Target[];
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

const queryCase = (operation: string, document: string, targets: Target[], variables: Record<string, unknown> = {}): Case => ({ operation, document, variables: () => variables, targets });
const mutationCase = (operation: string, input: () => Record<string, unknown>, targets: Target[]): Case => ({
  operation,
  document: `mutation Run($input: ${operation[0].toUpperCase()}${operation.slice(1)}Input!) { ${operation}(input: $input) { commandId } }`,
  variables: () => ({ input: input() }),
  targets,
});
const onRecord = (operation: string, fields: Record<string, unknown>) => mutationCase(operation, () => ({ recordId: RECORD, ...fields }), [record]);
const onPerson = (operation: string, fields: () => Record<string, unknown>) => mutationCase(operation, () => ({ personId: 'p3', ...fields() }), [p3]);

const WARNING = { measure: 'GOVERNMENT_WARNING', decisionDate: '2025-05-01', effectiveDate: '2025-05-01', authority: '市纪委监委', documentNumber: '纪〔2025〕1号' };
const ASSESSMENT = 'bureau.2025.training-work-checklist';
const REPORT = 'bureau.2025Q2.QUARTERLY_FILING';

const CASES: Case[] = [
  // Queries
  queryCase('events', 'query Q($streamId: String!) { events(streamId: $streamId) { edges { cursor } } }', [record], { streamId: `appraisal-${RECORD}` }),
  queryCase('verifyIntegrity', '{ verifyIntegrity { ok } }', ['none']),
  queryCase('logDigest', '{ logDigest { format } }', ['none']),
  queryCase(
    'verifyDigest',
    'query Q($digest: LogDigestInput!) { verifyDigest(digest: $digest) { ok } }',
    ['none'],
    { digest: { format: 'appraisal-log-digest/v1', sealPosition: '1', globalPosition: '1', eventId: 'e', chainHash: '0'.repeat(64), signedAt: '2025-01-01T00:00:00Z', keyId: '0'.repeat(16), signature: 'AA==' } },
  ),
  queryCase('accessDenials', 'query Q($organizationId: String) { accessDenials(organizationId: $organizationId) { edges { cursor } } }', [bureau], { organizationId: 'bureau' }),
  queryCase('presetRuleSets', '{ presetRuleSets { id } }', ['none']),
  queryCase('ruleSet', '{ ruleSet(id: "national-current", version: 1) }', ['none']),
  queryCase('cycle', '{ cycle(organizationId: "bureau", period: "2025Q2") { cycleId } }', [bureau]),
  queryCase('appraisalRecord', `{ appraisalRecord(recordId: "${RECORD}") { recordId } }`, [record]),
  queryCase('gradeTrace', `{ gradeTrace(recordId: "${RECORD}") { recordId } }`, [record]),
  queryCase('recordHistory', `{ recordHistory(recordId: "${RECORD}") { edges { cursor } } }`, [record]),
  queryCase('recordAsOf', `{ recordAsOf(recordId: "${RECORD}", at: { globalPosition: "999999" }) { recordId } }`, [record]),
  queryCase('recordDiff', `{ recordDiff(recordId: "${RECORD}", from: { globalPosition: "1" }, to: { globalPosition: "999999" }) { recordId } }`, [record]),
  queryCase('grades', '{ grades(organizationId: "bureau", period: "2025Q2") { edges { cursor } } }', [bureau]),
  queryCase('gradeSummary', '{ gradeSummary(organizationId: "bureau", period: "2025Q2") { records } }', [bureau]),
  queryCase('gradeConsequences', '{ gradeConsequences(personId: "p1") { year } }', [{ organizations: ['office'], owner: 'p1' }]),
  queryCase('peopleUnderDiscipline', '{ peopleUnderDiscipline(from: "2025-01-01", to: "2025-12-31", organizationId: "bureau") { edges { cursor } } }', [bureau]),
  queryCase('conflictingGrades', '{ conflictingGrades(organizationId: "bureau") { edges { cursor } } }', [bureau]),
  queryCase('gradeActors', `{ gradeActors(recordId: "${RECORD}") { recordId } }`, [record]),
  queryCase('reports', '{ reports(organizationId: "bureau") { edges { cursor } } }', [bureau]),
  queryCase('report', `{ report(reportId: "${REPORT}") { reportId } }`, [bureau]),
  queryCase('reportDiff', `{ reportDiff(reportId: "${REPORT}", fromRevision: 1, toRevision: 2) { reportId } }`, [bureau]),
  queryCase('unitAssessment', `{ unitAssessment(assessmentId: "${ASSESSMENT}") { assessmentId } }`, [bureau]),

  // Mutations: rule sets, organizations, people, cycles
  mutationCase('publishRuleSet', () => ({ document: { id: unique('rules') } }), ['none']),
  mutationCase('publishPresetRuleSet', () => ({ id: 'trial-2007' }), ['none']),
  mutationCase('registerOrganization', () => ({ organizationId: unique('unit'), name: '新科室', kind: 'UNIT', parentId: 'bureau' }), [bureau]),
  mutationCase('renameOrganization', () => ({ organizationId: 'bureau', name: unique('市统计局') }), [bureau]),
  mutationCase('adoptRuleSet', () => ({ organizationId: 'bureau', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1, reason: '重申' }), [bureau]),
  mutationCase(
    'registerPerson',
    () => ({ personId: unique('new'), name: '新人', category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2025-01-01' }),
    [office],
  ),
  mutationCase('changePost', () => ({ personId: 'p3', organizationId: 'office', position: '科员', rank: '二级主任科员', isSectionHead: false, effectiveDate: '2025-04-01' }), [p3, office]),
  onPerson('startProbation', () => ({ startDate: '2025-01-01', endDate: '2025-12-31' })),
  onPerson('recordLeave', () => ({ kind: 'STATUTORY', from: '2025-04-01', to: '2025-04-03' })),
  onPerson('startSecondment', () => ({ receivingOrganizationId: 'tax', from: '2025-08-01', to: '2025-08-31' })),
  onPerson('endSecondment', () => ({ date: '2025-08-15' })),
  onPerson('recordDeparture', () => ({ reason: 'RETIRED', date: '2026-12-31' })),
  mutationCase('openCycle', () => ({ organizationId: 'bureau', period: '2025Q3', personIds: ['p1'] }), [bureau]),

  // Mutations: the record
  onRecord('submitSelfSummary', { text: '本季度完成统计任务', attendance: { daysPresent: 60, sickLeaveDays: 0, personalLeaveDays: 0, lateCount: 0, earlyLeaveCount: 0, trainings: [] } }),
  onRecord('signOff', { agrees: true, opinion: '同意' }),
  onRecord('fileObjection', { reasons: '得分偏低' }),
  onRecord('fileAppeal', { reasons: '复核结果不当' }),
  onRecord('recordScores', { raterId: 'head-1', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'workload', points: 1 }] }),
  onRecord('recordScoreAdjustment', { kind: 'BONUS', matter: unique('matter'), points: 1, basis: '表彰' }),
  onRecord('writeComment', { text: '工作认真' }),
  onRecord('recordDemocraticEvaluation', { voters: 10, averageScore: 90 }),
  onRecord('recordDirectTrigger', { trigger: 'COMMENDATION', basis: '嘉奖令' }),
  onRecord('proposeGrade', { grade: 'GOOD', reason: '表现良好' }),
  onRecord('reviewProposal', { agrees: true, reason: '同意' }),
  onRecord('determineGrade', {}),
  onRecord('recordReceivingOrganizationResult', { receivingOrganizationId: 'tax', grade: 'GOOD', document: '函〔2025〕1号' }),
  onRecord('startPublicNotice', { startDate: '2025-07-07' }),
  onRecord('finalizeGrade', {}),
  onRecord('publishResult', {}),
  onRecord('notifyPerson', { method: 'WRITTEN' }),
  onRecord('recordRefusalToSign', { note: '拒签' }),
  onRecord('ruleOnObjection', { ruling: 'UPHELD', reasons: '维持' }),
  onRecord('correctFlaggedGrade', { reasons: '更正' }),
  onRecord('decideAppeal', { decision: 'UPHELD', reasons: '维持', authority: '市公务员局' }),

  // Mutations: discipline
  onPerson('recordDisciplinaryMeasure', () => ({ measureId: unique('measure'), ...WARNING })),
  onPerson('liftMeasure', () => ({ measureId: 'measure-0', date: '2025-06-01' })),
  onPerson('revokeMeasure', () => ({ measureId: 'measure-0', date: '2025-06-01', reason: '复查撤销' })),
  onPerson('openCase', () => ({ caseId: unique('case'), openedOn: '2025-05-01', authority: '市纪委监委' })),
  mutationCase('closeCase', () => ({ caseId: 'case-1', closedOn: '2025-06-01', outcome: 'NO_PENALTY' }), [{ organizations: ['office'] }]),

  // Mutations: reports and unit assessments
  mutationCase('fileReport', () => ({ organizationId: 'bureau', period: '2025Q2', kind: 'QUARTERLY_FILING' }), [bureau]),
  mutationCase('openUnitAssessment', () => ({ organizationId: 'bureau', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion' }), [bureau]),
  mutationCase('recordUnitScores', () => ({ assessmentId: ASSESSMENT, raterId: 'training-office', scores: [{ indicatorId: 'training-delivery', points: 40 }] }), [bureau]),
  mutationCase('recordUnitBonus', () => ({ assessmentId: ASSESSMENT, matter: unique('prize'), points: 1, basis: '省级竞赛' }), [bureau]),
  mutationCase('determineUnitResult', () => ({ assessmentId: ASSESSMENT }), [bureau]),
];

type Answer = 'allowed' | `FORBIDDEN ${string}`;

/** What the policy, read as a specification, says the cell must answer. */
function expected(operation: string, role: Role, actor: Actor, targets: Target[]): Answer {
  const access = POLICY[operation].roles[role];
  if (!access) return 'FORBIDDEN ROLE_NOT_ALLOWED';
  for (const target of targets) {
    if (target === 'none') continue;
    if (access === 'OWN') {
      if (target.owner !== actor.id) return 'FORBIDDEN NOT_OWN_RECORD';
    } else if (!target.organizations.some((organizationId) => contains(actor.organizationId, organizationId))) {
      return 'FORBIDDEN OUTSIDE_SCOPE';
    }
  }
  return 'allowed';
}

let service: GraphQLTestApp;
const SETUP: TokenSubject = { id: 'setup', roles: ['HR', 'DISCIPLINE_INSPECTION'], organizationId: '*' };
const setupAs = (role: 'HR' | 'DISCIPLINE_INSPECTION') => ({ ...SETUP, roles: [role] });

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  service.today('2025-03-03');
  const hr = setupAs('HR');
  await service.mutate('publishPresetRuleSet', { id: 'national-current' }, hr);
  for (const [organizationId, kind, parentId] of [
    ['city', 'ORGAN', undefined],
    ['bureau', 'ORGAN', 'city'],
    ['office', 'UNIT', 'bureau'],
    ['tax', 'ORGAN', 'city'],
    ['tax-office', 'UNIT', 'tax'],
  ] as const) {
    await service.mutate('registerOrganization', { organizationId, name: organizationId, kind, ...(parentId ? { parentId } : {}) }, hr);
  }
  for (const organizationId of ['bureau', 'tax']) {
    await service.mutate('adoptRuleSet', { organizationId, year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, hr);
  }
  for (const [personId, organizationId] of [['p1', 'office'], ['p2', 'office'], ['p3', 'office'], ['t1', 'tax-office']]) {
    await service.mutate(
      'registerPerson',
      { personId, name: personId, category: 'CIVIL_SERVANT', organizationId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
      hr,
    );
  }
  service.today('2025-07-01');
  await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q2', personIds: ['p1', 'p2'] }, hr);
  await service.mutate('openCase', { caseId: 'case-1', personId: 'p3', openedOn: '2025-05-01', authority: '市纪委监委' }, setupAs('DISCIPLINE_INSPECTION'));
  await service.mutate('recordDisciplinaryMeasure', { personId: 'p3', measureId: 'measure-0', ...WARNING }, setupAs('DISCIPLINE_INSPECTION'));
  await service.mutate('recordDisciplinaryMeasure', { personId: 'p1', measureId: 'measure-p1', ...WARNING }, setupAs('DISCIPLINE_INSPECTION'));
  await service.mutate('openUnitAssessment', { organizationId: 'bureau', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion' }, hr);
  // From here on nothing appends behind the test's back: an unchanged log position means nothing was appended.
  await service.settle();
}, 120_000);

afterAll(() => service.close());

/** The answer of a response: allowed unless it holds a FORBIDDEN error (an UNAUTHENTICATED one is a failure of the test). */
function answerOf(response: GraphQLResponse): Answer {
  const errors = response.body.errors ?? [];
  const codes = errors.map((error) => error.extensions.code);
  if (codes.includes('UNAUTHENTICATED')) throw new Error(`unexpected UNAUTHENTICATED: ${JSON.stringify(errors)}`);
  const forbidden = errors.find((error) => error.extensions.code === 'FORBIDDEN');
  return forbidden ? `FORBIDDEN ${forbidden.extensions.reason}` : 'allowed';
}

describe('the policy table', () => {
  it('has a case here for every operation it names but health (public) and the export and the subscription (tested below)', () => {
    const tested = new Set([...CASES.map((entry) => entry.operation), 'health', 'exportReport', 'gradeChanged']);
    expect(Object.keys(POLICY).filter((operation) => !tested.has(operation))).toEqual([]);
  });
});

describe.each(CASES)('$operation, every role in scope and out of scope', (entry) => {
  it('is allowed or FORBIDDEN as the policy says, each denial recorded and nothing appended', async () => {
    const answers: Record<string, Answer> = {};
    const wanted: Record<string, Answer> = {};
    for (const role of ROLES) {
      for (const [scope, actor] of [['in', IN_SCOPE[role]], ['out', OUT_OF_SCOPE[role]]] as const) {
        const cell = `${role} ${scope}`;
        wanted[cell] = expected(entry.operation, role, actor, entry.targets);
        const denialsBefore = (await service.denials()).length;
        const positionBefore = await service.lastGlobalPosition();
        const response = await service.requestAs(actor, entry.document, entry.variables());
        answers[cell] = answerOf(response);
        const newDenials = (await service.denials()).slice(denialsBefore);
        if (answers[cell] === 'allowed') {
          expect({ cell, newDenials }).toEqual({ cell, newDenials: [] });
          continue;
        }
        const error = response.body.errors!.find((candidate) => candidate.extensions.code === 'FORBIDDEN')!;
        expect({ cell, extensions: error.extensions }).toMatchObject({ cell, extensions: { operation: entry.operation, role } });
        expect(error.message).toContain(`${entry.operation} is not allowed`);
        expect(response.body.data?.[entry.operation] ?? null).toBeNull();
        expect({ cell, newDenials }).toMatchObject({
          cell,
          newDenials: [{ actor_id: actor.id, actor_role: role, actor_organization_id: actor.organizationId, operation: entry.operation, reason_code: error.extensions.reason, reason: error.message }],
        });
        expect({ cell, position: await service.lastGlobalPosition() }).toEqual({ cell, position: positionBefore });
      }
    }
    expect(answers).toEqual(wanted);
  });
});

describe('health', () => {
  it('answers everyone, with or without a token', async () => {
    for (const actor of [null, IN_SCOPE.APPRAISED, OUT_OF_SCOPE.AUDITOR]) {
      const { body } = await service.requestAs(actor, '{ health { store } }');
      expect(body.errors).toBeUndefined();
      expect(body.data!.health.store).toBe('postgresql');
    }
  });
});

describe('exportReport (GET /reports/…/export.csv), every role in scope and out of scope', () => {
  it('is served or refused with 403 as the policy says, each refusal recorded', async () => {
    const answers: Record<string, Answer> = {};
    const wanted: Record<string, Answer> = {};
    for (const role of ROLES) {
      for (const [scope, actor] of [['in', IN_SCOPE[role]], ['out', OUT_OF_SCOPE[role]]] as const) {
        const cell = `${role} ${scope}`;
        wanted[cell] = expected('exportReport', role, actor, [bureau]);
        const before = (await service.denials()).length;
        const response = await service.download(`/reports/${REPORT}/revisions/1/export.csv`, actor);
        const body = JSON.parse(response.body.toString('utf8'));
        // The report was never filed: allowed callers learn that (404), refused ones do not.
        answers[cell] = response.status === 403 ? `FORBIDDEN ${body.reason}` : response.status === 404 ? 'allowed' : (`status ${response.status}` as Answer);
        expect((await service.denials()).length - before).toBe(response.status === 403 ? 1 : 0);
      }
    }
    expect(answers).toEqual(wanted);
  });
});

describe('gradeChanged (graphql-transport-ws), every role in scope and out of scope', () => {
  /** Subscribes with the actor's token; FORBIDDEN arrives at once when refused, nothing while allowed. */
  async function subscribe(actor: Actor): Promise<Answer> {
    const socket = new WebSocket(await service.webSocketUrl(), 'graphql-transport-ws');
    const token = await service.tokens.token(actor);
    try {
      return await new Promise<Answer>((resolve, reject) => {
        const quiet = setTimeout(() => resolve('allowed'), 400);
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
        socket.on('error', reject);
        socket.on('message', (raw) => {
          const message = JSON.parse(String(raw));
          if (message.type === 'connection_ack') {
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { gradeChanged(organizationId: "bureau") { recordId } }' } }));
          } else if (message.type === 'error' || message.type === 'next') {
            clearTimeout(quiet);
            const errors = message.type === 'error' ? message.payload : (message.payload.errors ?? []);
            const forbidden = errors.find((error: { extensions?: { code?: string } }) => error.extensions?.code === 'FORBIDDEN');
            resolve(forbidden ? `FORBIDDEN ${forbidden.extensions.reason}` : 'allowed');
          }
        });
      });
    } finally {
      socket.close();
    }
  }

  it('is allowed or FORBIDDEN as the policy says', async () => {
    const answers: Record<string, Answer> = {};
    const wanted: Record<string, Answer> = {};
    for (const role of ROLES) {
      for (const [scope, actor] of [['in', IN_SCOPE[role]], ['out', OUT_OF_SCOPE[role]]] as const) {
        const cell = `${role} ${scope}`;
        wanted[cell] = expected('gradeChanged', role, actor, [bureau]);
        answers[cell] = await subscribe(actor);
      }
    }
    expect(answers).toEqual(wanted);
  }, 60_000);
});

describe('the appraised person', () => {
  const P1 = IN_SCOPE.APPRAISED;

  it('reads their own record, history and consequences, and nothing of a colleague', async () => {
    const own = await service.requestAs(P1, `{ appraisalRecord(recordId: "${RECORD}") { personId } recordHistory(recordId: "${RECORD}") { edges { cursor } } }`);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.appraisalRecord.personId).toBe('p1');

    const colleague = await service.requestAs(P1, `{ appraisalRecord(recordId: "${OTHER_RECORD}") { personId } }`);
    expect(colleague.body.data).toBeNull();
    expect(colleague.body.errors![0]).toMatchObject({
      message: `appraisalRecord is not allowed: record ${OTHER_RECORD} is not p1's own`,
      extensions: { code: 'FORBIDDEN', operation: 'appraisalRecord', role: 'APPRAISED', reason: 'NOT_OWN_RECORD', target: `record ${OTHER_RECORD}` },
    });
    const colleagueConsequences = await service.requestAs(P1, '{ gradeConsequences(personId: "p2") { year } }');
    expect(colleagueConsequences.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_RECORD' });
  });

  it('sees no discipline data: not the inspection queries, not a colleague\'s person or case stream', async () => {
    for (const document of [
      '{ peopleUnderDiscipline(from: "2025-01-01", to: "2025-12-31", organizationId: "office") { edges { cursor } } }',
      '{ conflictingGrades(organizationId: "office") { edges { cursor } } }',
      `{ gradeActors(recordId: "${RECORD}") { recordId } }`,
    ]) {
      const { body } = await service.requestAs(P1, document);
      expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED' });
    }
    for (const streamId of ['person-p3', 'case-case-1']) {
      const { body } = await service.requestAs(P1, 'query Q($streamId: String!) { events(streamId: $streamId) { edges { cursor } } }', { streamId });
      expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_RECORD', target: `stream ${streamId}` });
    }
    // Their own person stream is theirs to read.
    const own = await service.requestAs(P1, '{ events(streamId: "person-p1") { edges { node { type } } } }');
    expect(own.body.errors).toBeUndefined();
  });
});

describe('discipline data', () => {
  it('is read by discipline inspection and auditors only, whatever else the role may read', async () => {
    const document = '{ peopleUnderDiscipline(from: "2025-01-01", to: "2025-12-31", organizationId: "bureau") { edges { node { personId measures { measureId } } } } }';
    const answers = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, answerOf(await service.requestAs(IN_SCOPE[role], document))] as const)));
    expect(answers).toEqual({
      APPRAISED: 'FORBIDDEN ROLE_NOT_ALLOWED',
      UNIT_HEAD: 'FORBIDDEN ROLE_NOT_ALLOWED',
      SUPERVISING_LEADER: 'FORBIDDEN ROLE_NOT_ALLOWED',
      HEAD_OF_ORGAN: 'FORBIDDEN ROLE_NOT_ALLOWED',
      COMMITTEE: 'FORBIDDEN ROLE_NOT_ALLOWED',
      HR: 'FORBIDDEN ROLE_NOT_ALLOWED',
      DISCIPLINE_INSPECTION: 'allowed',
      REGULATOR: 'FORBIDDEN ROLE_NOT_ALLOWED',
      AUDITOR: 'allowed',
    });
    const { body } = await service.requestAs(IN_SCOPE.DISCIPLINE_INSPECTION, document);
    expect(body.data!.peopleUnderDiscipline.edges).toContainEqual({ node: { personId: 'p1', measures: [{ measureId: 'measure-p1' }] } });
    // A person's and a case's streams are discipline data too: only an auditor reads them raw.
    for (const streamId of ['person-p3', 'case-case-1']) {
      const hr = await service.requestAs(IN_SCOPE.HR, 'query Q($streamId: String!) { events(streamId: $streamId) { edges { cursor } } }', { streamId });
      expect(hr.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED' });
      const auditor = await service.requestAs(IN_SCOPE.AUDITOR, 'query Q($streamId: String!) { events(streamId: $streamId) { edges { cursor } } }', { streamId });
      expect(auditor.body.errors).toBeUndefined();
    }
  });

  it('over every organization (no organizationId) is only for a token scoped to *', async () => {
    const document = '{ conflictingGrades { edges { cursor } } }';
    expect(answerOf(await service.requestAs(IN_SCOPE.DISCIPLINE_INSPECTION, document))).toBe('FORBIDDEN OUTSIDE_SCOPE');
    expect(answerOf(await service.requestAs({ id: 'national-inspector', role: 'DISCIPLINE_INSPECTION', organizationId: '*' }, document))).toBe('allowed');
  });
});

describe('the acting role', () => {
  const BOTH = { id: 'head-2', roles: ['UNIT_HEAD', 'APPRAISED'], organizationId: 'office' };

  it('is the token\'s first role, or the one x-acting-role names among its roles; the event records it', async () => {
    const comment = 'mutation Run($input: WriteCommentInput!) { writeComment(input: $input) { events { metadata { actor { id role organizationId } } } } }';
    const asFirst = await service.requestAs(BOTH, comment, { input: { recordId: OTHER_RECORD, text: '认真' } });
    expect(asFirst.body.errors).toBeUndefined();
    expect(asFirst.body.data!.writeComment.events[0].metadata.actor).toEqual({ id: 'head-2', role: 'UNIT_HEAD', organizationId: 'office' });

    const asAppraised = await service.requestAs(BOTH, comment, { input: { recordId: OTHER_RECORD, text: '认真' } }, { 'x-acting-role': 'APPRAISED' });
    expect(asAppraised.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', role: 'APPRAISED', reason: 'ROLE_NOT_ALLOWED', allowedRoles: ['UNIT_HEAD', 'SUPERVISING_LEADER', 'HEAD_OF_ORGAN'] });
  });

  it('cannot be one the token does not grant: FORBIDDEN ROLE_NOT_HELD, recorded', async () => {
    const before = (await service.denials()).length;
    const { body } = await service.requestAs(BOTH, `{ appraisalRecord(recordId: "${RECORD}") { recordId } }`, {}, { 'x-acting-role': 'COMMITTEE' });
    expect(body.errors![0]).toMatchObject({
      message: 'appraisalRecord is not allowed: the token does not grant the role COMMITTEE (it grants UNIT_HEAD, APPRAISED)',
      extensions: { code: 'FORBIDDEN', role: 'COMMITTEE', reason: 'ROLE_NOT_HELD' },
    });
    expect((await service.denials()).slice(before)).toMatchObject([{ actor_id: 'head-2', actor_role: 'COMMITTEE', operation: 'appraisalRecord', reason_code: 'ROLE_NOT_HELD' }]);
  });
});

describe('accessDenials', () => {
  it('lists the denials newest first for auditors, scoped to their subtree, one page at a time', async () => {
    const denialsQuery = 'query Q($organizationId: String, $after: String, $first: Int) { accessDenials(organizationId: $organizationId, after: $after, first: $first) { edges { cursor node { actorId actorRole actorOrganizationId operation target targetOrganizationIds reason message } } pageInfo { endCursor hasNextPage } } }';
    await service.catchUp('organization_tree');
    const all = (await service.requestAs({ id: 'national-auditor', role: 'AUDITOR', organizationId: '*' }, denialsQuery, { first: 500 })).body.data!.accessDenials;
    const rows = await service.denials();
    expect(all.edges).toHaveLength(Math.min(rows.length, 500));
    expect(all.edges[0].node).toMatchObject({ actorId: rows[rows.length - 1].actor_id, operation: rows[rows.length - 1].operation, reason: rows[rows.length - 1].reason_code });

    const tax = (await service.requestAs(IN_SCOPE.AUDITOR, denialsQuery, { organizationId: 'bureau', first: 500 })).body.data!.accessDenials;
    expect(tax.edges.length).toBeGreaterThan(0);
    for (const { node } of tax.edges) {
      const inside = (organizationId: string) => contains('bureau', organizationId);
      expect(inside(node.actorOrganizationId) || node.targetOrganizationIds.some(inside)).toBe(true);
    }

    const first = (await service.requestAs(IN_SCOPE.AUDITOR, denialsQuery, { organizationId: 'bureau', first: 2 })).body.data!.accessDenials;
    const second = (await service.requestAs(IN_SCOPE.AUDITOR, denialsQuery, { organizationId: 'bureau', first: 2, after: first.pageInfo.endCursor })).body.data!.accessDenials;
    expect([...first.edges, ...second.edges].map((edge: { cursor: string }) => edge.cursor)).toEqual(tax.edges.slice(0, 4).map((edge: { cursor: string }) => edge.cursor));
  });

  it('is for auditors only, and append-only in the database', async () => {
    const { body } = await service.requestAs(IN_SCOPE.HR, '{ accessDenials(organizationId: "bureau") { edges { cursor } } }');
    expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED', allowedRoles: ['AUDITOR'] });
    const count = (await service.denials()).length;
    for (const statement of ["UPDATE access_denial SET reason = 'nothing happened'", 'DELETE FROM access_denial', 'TRUNCATE access_denial']) {
      await expect(service.sql(statement)).rejects.toThrow(/access_denial is append-only/);
    }
    expect(await service.denials()).toHaveLength(count);
  });
});
