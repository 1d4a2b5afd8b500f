import { COMMITTEE, fiveElementIndicators, HR, PEOPLE, recordId, registerUnit, scoreSheet, UNIT_HEAD } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

/**
 * DOMAIN §8 discipline inspection over GraphQL, on a shortened scenario 1: a case opened in Q2 2025
 * withholds p1's Q2 record and closes with 政务警告; p2 has a case opened only in 2026.
 */
const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' };
const CASE_ID = 'case-2025-017';
const LATER_CASE = 'case-2026-001';
const Q2 = recordId('p1', '2025Q2');
const WARNING = {
  measureId: 'warning-2025-031',
  measure: 'GOVERNMENT_WARNING',
  decisionDate: '2025-11-20',
  effectiveDate: '2025-11-20',
  authority: '市监委',
  documentNumber: '市监委政处〔2025〕31号',
};

const PEOPLE_QUERY = `query People($from: String!, $to: String!, $organizationId: String, $after: String, $first: Int) {
  peopleUnderDiscipline(from: $from, to: $to, organizationId: $organizationId, after: $after, first: $first) {
    edges {
      cursor
      node {
        personId
        measures { measureId measure effectiveDate effectEnds liftedOn caseId }
        investigations { caseId openedOn closedOn outcome }
        grades { recordId period outcomeKind grade flagged }
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}`;
const ACTORS_QUERY = `query Actors($recordId: String!) {
  gradeActors(recordId: $recordId) {
    recordId
    proposed { actorId }
    determined { eventType actorId actorRole recordedAt }
    signed { actorId }
  }
}`;

let service: GraphQLTestApp;

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
  const indicators = await fiveElementIndicators(service);

  service.today('2025-05-10');
  await service.mutate('openCase', { caseId: CASE_ID, personId: 'p1', openedOn: '2025-05-10', authority: '市纪委监委' }, INSPECTOR);

  service.today('2025-07-01');
  await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q2', personIds: PEOPLE }, HR);
  await service.mutate('recordScores', { recordId: Q2, raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, 100) }, UNIT_HEAD);
  await service.mutate('determineGrade', { recordId: Q2 }, COMMITTEE);

  service.today('2025-11-20');
  await service.mutate('closeCase', { caseId: CASE_ID, closedOn: '2025-11-20', outcome: 'WARNING', penalty: WARNING }, INSPECTOR);

  service.today('2026-01-05');
  await service.mutate('openCase', { caseId: LATER_CASE, personId: 'p2', openedOn: '2026-01-05', authority: '市纪委监委' }, INSPECTOR);

  await service.catchUp('backfill_process');
  for (const view of ['grade_view', 'discipline_view', 'audit_trail', 'organization_tree']) await service.catchUp(view);
});

afterAll(() => service.close());

describe('discipline inspection (DOMAIN §8)', () => {
  it('lists p1 for 2025-04-01..2025-12-31 with the warning, the investigation and the Q2 record, and nobody else', async () => {
    const { peopleUnderDiscipline } = await service.query(PEOPLE_QUERY, { from: '2025-04-01', to: '2025-12-31' });
    expect(peopleUnderDiscipline.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['p1']);
    expect(peopleUnderDiscipline.pageInfo).toEqual({ endCursor: 'p1', hasNextPage: false });
    const [{ node }] = peopleUnderDiscipline.edges;
    expect(node.measures).toEqual([
      { measureId: WARNING.measureId, measure: 'GOVERNMENT_WARNING', effectiveDate: '2025-11-20', effectEnds: '2025-12-31', liftedOn: null, caseId: CASE_ID },
    ]);
    expect(node.investigations).toEqual([{ caseId: CASE_ID, openedOn: '2025-05-10', closedOn: '2025-11-20', outcome: 'WARNING' }]);
    expect(node.grades).toContainEqual({ recordId: Q2, period: '2025Q2', outcomeKind: 'GRADE', grade: 'FAIRLY_GOOD', flagged: false });
  });

  it('filters by the organization\'s subtree: the organ, or the unit its people work in', async () => {
    const inBureau = await service.query(PEOPLE_QUERY, { from: '2025-04-01', to: '2025-12-31', organizationId: 'bureau' });
    expect(inBureau.peopleUnderDiscipline.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['p1']);
    // The records are the bureau's, of people of 综合科 (office), a unit below it.
    const inOffice = await service.query(PEOPLE_QUERY, { from: '2025-04-01', to: '2025-12-31', organizationId: 'office' });
    expect(inOffice.peopleUnderDiscipline.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['p1']);
    expect(inOffice.peopleUnderDiscipline.edges[0].node.grades).toContainEqual(expect.objectContaining({ recordId: Q2 }));
    const elsewhere = await service.query(PEOPLE_QUERY, { from: '2025-04-01', to: '2025-12-31', organizationId: 'no-such-organization' });
    expect(elsewhere.peopleUnderDiscipline).toEqual({ edges: [], pageInfo: { endCursor: null, hasNextPage: false } });
  });

  it('pages one person at a time', async () => {
    const window = { from: '2025-01-01', to: '2026-12-31', first: 1 };
    const first = (await service.query(PEOPLE_QUERY, window)).peopleUnderDiscipline;
    expect(first.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['p1']);
    expect(first.pageInfo).toEqual({ endCursor: 'p1', hasNextPage: true });
    const second = (await service.query(PEOPLE_QUERY, { ...window, after: first.pageInfo.endCursor })).peopleUnderDiscipline;
    expect(second.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['p2']);
    expect(second.edges[0].node.investigations).toEqual([{ caseId: LATER_CASE, openedOn: '2026-01-05', closedOn: null, outcome: null }]);
    expect(second.pageInfo).toEqual({ endCursor: 'p2', hasNextPage: false });
  });

  it('refuses a malformed window and a page size out of range', async () => {
    const { body } = await service.request(PEOPLE_QUERY, { from: '2025/04/01', to: '2025-12-31', first: 501 });
    expect(body.errors?.[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(body.errors?.[0].extensions.fields.map((field: { field: string }) => field.field).sort()).toEqual(['first', 'from']);
  });

  it('names the committee as determiner of the Q2 record, and the backfill after it', async () => {
    const { gradeActors } = await service.query(ACTORS_QUERY, { recordId: Q2 });
    expect(gradeActors).toMatchObject({ recordId: Q2, proposed: [], signed: [] });
    expect(gradeActors.determined).toMatchObject([
      { eventType: 'GradeDetermined', actorId: COMMITTEE.id, actorRole: COMMITTEE.role },
      { eventType: 'GradeBackfilled' },
    ]);
    expect(gradeActors.determined[0].recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it('lists no conflicting grades when none is flagged', async () => {
    const { conflictingGrades } = await service.query('{ conflictingGrades(first: 10) { edges { cursor node { recordId flags { code } } } pageInfo { hasNextPage } } }');
    expect(conflictingGrades).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  });
});
