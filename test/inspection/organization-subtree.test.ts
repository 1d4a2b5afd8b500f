import { randomUUID } from 'node:crypto';
import { readModelProjections } from '../../projections/index.js';
import type { RecordedEvent } from '../../src/event-store/event.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { InspectionQueries } from '../../src/inspection/inspection-queries.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { newEvent, TEST_ACTOR } from '../support/events.js';
import { GraphQLTestApp } from '../support/graphql-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Discipline inspection scoped at an organization covers its subtree: the organization and every
 * unit or organ below it, to any depth (organization_tree), never a sibling.
 *
 *   市统计局 stats (organ, cycle 2025Q2: p-office, p-data)
 *   ├── 综合处 stats-office (unit) ............... p-office
 *   │   └── 数据科 stats-data (unit) ............. p-data
 *   └── 调查队 survey (organ, own cycle 2025Q2)
 *       └── 调查科 survey-office (unit) .......... p-survey   (two levels below stats)
 *   市税务局 tax (organ, sibling of stats, cycle 2025Q2)
 *   └── 征管科 tax-office (unit) ................. p-tax
 *
 * Each of the four people has a case open in 2025.
 */
const HR = { id: 'hr-1', role: 'HR', organizationId: 'stats' };
const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'stats' };
/** 市税务局 is not below 市统计局: its own HR and inspector write there. */
const TAX_HR = { id: 'hr-tax', role: 'HR', organizationId: 'tax' };
const TAX_INSPECTOR = { id: 'inspector-tax', role: 'DISCIPLINE_INSPECTION', organizationId: 'tax' };
const inTax = (organizationId: string) => organizationId === 'tax' || organizationId === 'tax-office';
const PLACEMENT: Record<string, { unit: string; cycle: string }> = {
  'p-data': { unit: 'stats-data', cycle: 'stats' },
  'p-office': { unit: 'stats-office', cycle: 'stats' },
  'p-survey': { unit: 'survey-office', cycle: 'survey' },
  'p-tax': { unit: 'tax-office', cycle: 'tax' },
};

const PEOPLE_QUERY = `query People($organizationId: String, $after: String, $first: Int) {
  peopleUnderDiscipline(from: "2025-01-01", to: "2025-12-31", organizationId: $organizationId, after: $after, first: $first) {
    edges { cursor node { personId investigations { caseId } grades { recordId } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface PeoplePage {
  edges: { cursor: string; node: { personId: string; investigations: { caseId: string }[]; grades: { recordId: string }[] } }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

describe('peopleUnderDiscipline over an organization subtree (GraphQL)', () => {
  let service: GraphQLTestApp;

  const people = async (organizationId: string | null, first = 50, after: string | null = null): Promise<PeoplePage> =>
    (await service.query(PEOPLE_QUERY, { organizationId, first, after })).peopleUnderDiscipline;
  const personIds = async (organizationId: string | null) => (await people(organizationId)).edges.map((edge) => edge.node.personId);

  beforeAll(async () => {
    service = await GraphQLTestApp.start();
    service.today('2025-03-03');
    await service.mutate('publishPresetRuleSet', { id: 'national-current' }, HR);
    const organizations: [string, string, 'ORGAN' | 'UNIT', string?][] = [
      ['stats', '市统计局', 'ORGAN'],
      ['stats-office', '综合处', 'UNIT', 'stats'],
      ['stats-data', '数据科', 'UNIT', 'stats-office'],
      ['survey', '调查队', 'ORGAN', 'stats'],
      ['survey-office', '调查科', 'UNIT', 'survey'],
      ['tax', '市税务局', 'ORGAN'],
      ['tax-office', '征管科', 'UNIT', 'tax'],
    ];
    for (const [organizationId, name, kind, parentId] of organizations) {
      await service.mutate('registerOrganization', { organizationId, name, kind, ...(parentId ? { parentId } : {}) }, inTax(organizationId) ? TAX_HR : HR);
    }
    for (const organizationId of ['stats', 'survey', 'tax']) {
      await service.mutate('adoptRuleSet', { organizationId, year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, inTax(organizationId) ? TAX_HR : HR);
    }
    for (const [personId, { unit }] of Object.entries(PLACEMENT)) {
      await service.mutate(
        'registerPerson',
        { personId, name: personId, category: 'CIVIL_SERVANT', organizationId: unit, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
        inTax(unit) ? TAX_HR : HR,
      );
    }
    service.today('2025-05-10');
    for (const personId of Object.keys(PLACEMENT)) {
      await service.mutate('openCase', { caseId: `case-${personId}`, personId, openedOn: '2025-05-10', authority: '市纪委监委' }, inTax(PLACEMENT[personId].unit) ? TAX_INSPECTOR : INSPECTOR);
    }
    service.today('2025-07-01');
    for (const cycle of ['stats', 'survey', 'tax']) {
      const personIds = Object.keys(PLACEMENT).filter((personId) => PLACEMENT[personId].cycle === cycle);
      await service.mutate('openCycle', { organizationId: cycle, period: '2025Q2', personIds }, inTax(cycle) ? TAX_HR : HR);
    }
    // A rename changes nothing about who is in which subtree.
    await service.mutate('renameOrganization', { organizationId: 'stats-office', name: '办公室' }, HR);
    for (const view of ['organization_tree', 'grade_view', 'discipline_view']) await service.catchUp(view);
  });

  afterAll(() => service.close());

  it('scoped at a parent organ, lists the people of a unit two levels down (under a child organ with its own cycle) and not a sibling organ\'s', async () => {
    const page = await people('stats');
    expect(page.edges.map((edge) => edge.node.personId)).toEqual(['p-data', 'p-office', 'p-survey']);
    expect(page.pageInfo).toEqual({ endCursor: 'p-survey', hasNextPage: false });
    const survey = page.edges.find((edge) => edge.node.personId === 'p-survey')!.node;
    expect(survey.investigations).toEqual([{ caseId: 'case-p-survey' }]);
    expect(survey.grades).toEqual([{ recordId: 'survey.p-survey.2025Q2' }]);
  });

  it('scoped at a child organ or a unit, lists only that subtree', async () => {
    expect(await personIds('survey')).toEqual(['p-survey']);
    expect(await personIds('survey-office')).toEqual(['p-survey']);
    // A unit's scope reaches the records of its people, appraised in the organ's cycle, and the units below it.
    expect(await personIds('stats-office')).toEqual(['p-data', 'p-office']);
    expect(await personIds('stats-data')).toEqual(['p-data']);
    expect(await personIds('tax')).toEqual(['p-tax']);
    expect(await personIds('no-such-organization')).toEqual([]);
    expect(await personIds(null)).toEqual(['p-data', 'p-office', 'p-survey', 'p-tax']);
  });

  it('answers an inspector within the token\'s subtree only: a sibling organ or every organization is FORBIDDEN', async () => {
    const asInspector = (organizationId: string | null) => service.requestAs(INSPECTOR, PEOPLE_QUERY, { organizationId, first: 50, after: null });
    expect((await asInspector('survey-office')).body.data!.peopleUnderDiscipline.edges.map((edge: { node: { personId: string } }) => edge.node.personId)).toEqual(['p-survey']);
    for (const organizationId of ['tax', null]) {
      const { body } = await asInspector(organizationId);
      expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', operation: 'peopleUnderDiscipline', reason: 'OUTSIDE_SCOPE' });
    }
    // HR of the same organ has no need of discipline data.
    const hr = await service.requestAs(HR, PEOPLE_QUERY, { organizationId: 'stats', first: 50, after: null });
    expect(hr.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED', allowedRoles: ['DISCIPLINE_INSPECTION', 'AUDITOR'] });
  });

  it('pages through a subtree one person at a time', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNumber = 0; pageNumber < 5; pageNumber += 1) {
      const page: PeoplePage = await people('stats', 1, after);
      seen.push(...page.edges.map((edge) => edge.cursor));
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['p-data', 'p-office', 'p-survey']);
  });
});

describe('InspectionQueries over an organization subtree (literal events)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let inspection: InspectionQueries;

  async function append(streamId: string, type: string, data: Record<string, unknown>): Promise<RecordedEvent> {
    const commandId = randomUUID();
    const event = newEvent({ type, data, metadata: { commandId, actor: TEST_ACTOR, correlationId: commandId, causationId: commandId, effectiveAt: '2026-01-20' } });
    return (await store.appendToStream(streamId, 'any', [event])).events[0];
  }

  const register = (organizationId: string, kind: 'ORGAN' | 'UNIT', parentId?: string) =>
    append(`organization-${organizationId}`, 'OrganizationRegistered', { organizationId, name: organizationId, kind, ...(parentId ? { parentId } : {}) });

  /** A final 2025 grade of `organizationId`'s cycle for a person of `unitId`, flagged by a late admonition. */
  async function flaggedRecord(organizationId: string, unitId: string, personId: string): Promise<string> {
    const recordId = `${organizationId}.${personId}.2025`;
    const stream = `appraisal-${recordId}`;
    await append(stream, 'RecordOpened', {
      recordId, cycleId: `${organizationId}.2025`, organizationId, unitId, personId, period: '2025', periodKind: 'ANNUAL',
      category: 'CIVIL_SERVANT', subjectRole: 'STAFF', participation: { outcome: 'GRADED', reason: '' }, ruleSetId: 'national-current', ruleSetVersion: 1,
    });
    const outcome = { kind: 'GRADE', grade: 'EXCELLENT' };
    await append(stream, 'GradeDetermined', { outcome, score: 95, suggestedGrade: 'EXCELLENT', determinedBy: 'c1', requiresPublicNotice: false, trace: [] });
    await append(stream, 'GradeFinalized', { outcome, finalizedOn: '2026-01-19' });
    await append(stream, 'GradeFlagged', { factEventId: randomUUID(), factType: 'AdmonitionIssued', code: 'APPRAISAL.TOP_GRADE_BARRED', reason: '诫勉：不得确定为优秀' });
    await append(`person-${personId}`, 'AdmonitionIssued', {
      personId, measureId: `admonition-${personId}`, measure: 'ADMONITION', decisionDate: '2025-12-28', effectiveDate: '2025-12-28',
      periodMonths: 6, termYears: null, authority: '派驻纪检监察组', documentNumber: `诫勉〔2025〕${personId}`, caseId: null,
    });
    return recordId;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool);
    // province › city (organ) › office (unit) › section (unit); county beside city.
    await register('province', 'ORGAN');
    await register('city', 'ORGAN', 'province');
    await register('office', 'UNIT', 'city');
    await register('section', 'UNIT', 'office');
    await register('county', 'ORGAN', 'province');
    await flaggedRecord('city', 'section', 'p1');
    await flaggedRecord('city', 'office', 'p2');
    await flaggedRecord('county', 'county', 'p3');
    await flaggedRecord('section', 'section', 'p4');
    const runner = new ProjectionRunner(database.pool, store, readModelProjections.map(fromPureProjection), { batchSize: 5 });
    for (const name of runner.names) await runner.catchUp(name);
    inspection = new InspectionQueries(database.pool);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const conflicting = async (organizationId: string | null) =>
    (await inspection.conflictingGrades({ organizationId, first: 50 })).edges.map((edge) => edge.cursor);

  it('conflictingGrades takes the whole subtree and nothing beside it', async () => {
    expect(await conflicting('province')).toEqual(['city.p1.2025', 'city.p2.2025', 'county.p3.2025', 'section.p4.2025']);
    expect(await conflicting('city')).toEqual(['city.p1.2025', 'city.p2.2025', 'section.p4.2025']);
    expect(await conflicting('office')).toEqual(['city.p1.2025', 'city.p2.2025', 'section.p4.2025']);
    expect(await conflicting('section')).toEqual(['city.p1.2025', 'section.p4.2025']);
    expect(await conflicting('county')).toEqual(['county.p3.2025']);
    expect(await conflicting(null)).toEqual(['city.p1.2025', 'city.p2.2025', 'county.p3.2025', 'section.p4.2025']);
  });

  it('conflictingGrades pages within the subtree', async () => {
    const first = await inspection.conflictingGrades({ organizationId: 'city', first: 2 });
    expect(first.edges.map((edge) => edge.cursor)).toEqual(['city.p1.2025', 'city.p2.2025']);
    expect(first.pageInfo).toEqual({ endCursor: 'city.p2.2025', hasNextPage: true });
    const second = await inspection.conflictingGrades({ organizationId: 'city', first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.cursor)).toEqual(['section.p4.2025']);
    expect(second.pageInfo).toEqual({ endCursor: 'section.p4.2025', hasNextPage: false });
  });

  it('peopleUnderDiscipline keeps a person\'s records to the subtree', async () => {
    // p1 has a second record, in county's cycle: outside city's subtree, inside province's.
    await flaggedRecord('county', 'county', 'p1');
    const runner = new ProjectionRunner(database.pool, store, readModelProjections.map(fromPureProjection));
    for (const name of runner.names) await runner.catchUp(name);
    const grades = async (organizationId: string) => {
      const page = await inspection.peopleUnderDiscipline({ organizationId, from: '2025-01-01', to: '2025-12-31', first: 50 });
      return Object.fromEntries(page.edges.map((edge) => [edge.cursor, edge.node.grades.map((grade) => grade.recordId)]));
    };
    expect(await grades('city')).toEqual({ p1: ['city.p1.2025'], p2: ['city.p2.2025'], p4: ['section.p4.2025'] });
    expect(await grades('province')).toEqual({
      p1: ['city.p1.2025', 'county.p1.2025'],
      p2: ['city.p2.2025'],
      p3: ['county.p3.2025'],
      p4: ['section.p4.2025'],
    });
    expect(await grades('county')).toEqual({ p1: ['county.p1.2025'], p3: ['county.p3.2025'] });
  });
});
