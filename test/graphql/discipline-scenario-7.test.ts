import { COMMITTEE, HR, INSPECTOR, LEADER, PEOPLE, recordId, registerUnit } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

let service: GraphQLTestApp;

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
});
afterAll(async () => {
  await service.close();
});

const RECORD_QUERY = `query Record($recordId: String!) {
  appraisalRecord(recordId: $recordId) {
    status outcome { grade label }
    flags { factType code reason resolved }
  }
}`;
const TRACE_QUERY = `query Trace($recordId: String!) { gradeTrace(recordId: $recordId) { history { kind outcome { grade } recordedAt } } }`;
const CONSEQUENCES_QUERY = `query Consequences($personId: String!) { gradeConsequences(personId: $personId) { year kind label } }`;

describe('DOMAIN §9 scenario 7: a late-recorded sanction flags a final grade, overwrites nothing', () => {
  it('flags the 2025 优秀 when a 诫勉 dated 2025-12-28 is recorded on 2026-01-20; a correction resolves it', async () => {
    const excellent = recordId('p1', '2025');
    service.today('2025-12-01');
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2025', personIds: PEOPLE }, HR);
    service.today('2026-01-06');
    await service.mutate('proposeGrade', { recordId: excellent, grade: 'EXCELLENT', reason: '全年表现突出' }, LEADER);
    await service.mutate('reviewProposal', { recordId: excellent, agrees: true, reason: '' }, LEADER);
    await service.mutate('determineGrade', { recordId: excellent }, COMMITTEE);
    service.today('2026-01-09');
    await service.mutate('startPublicNotice', { recordId: excellent, startDate: '2026-01-09' }, HR);
    service.today('2026-01-18');
    await service.mutate('finalizeGrade', { recordId: excellent }, COMMITTEE);
    await service.catchUp('grade_consequences');
    expect((await service.query(CONSEQUENCES_QUERY, { personId: 'p1' })).gradeConsequences).toContainEqual({ year: 2025, kind: 'COMMENDATION', label: '嘉奖' });

    service.today('2026-01-20');
    await service.mutate(
      'recordDisciplinaryMeasure',
      { personId: 'p1', measureId: 'admonition-2025-8', measure: 'ADMONITION', decisionDate: '2025-12-28', effectiveDate: '2025-12-28', authority: '派驻纪检监察组', documentNumber: '诫勉〔2025〕8号' },
      INSPECTOR,
    );
    await service.catchUp('late_fact_flags');

    const flagged = (await service.query(RECORD_QUERY, { recordId: excellent })).appraisalRecord;
    expect(flagged).toMatchObject({ status: 'FINAL', outcome: { grade: 'EXCELLENT', label: '优秀' } });
    expect(flagged.flags).toEqual([{ factType: 'AdmonitionIssued', code: 'APPRAISAL.TOP_GRADE_BARRED', reason: expect.stringContaining('ADMONITION'), resolved: false }]);

    // Discipline inspection sees the conflict in the read model.
    await service.catchUp('grade_view');
    const CONFLICTS = `query { conflictingGrades(first: 10) { edges { node { recordId grade flags { factType code } } } } }`;
    expect((await service.query(CONFLICTS)).conflictingGrades.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      { recordId: excellent, grade: 'EXCELLENT', flags: [{ factType: 'AdmonitionIssued', code: 'APPRAISAL.TOP_GRADE_BARRED' }] },
    ]);

    // Before the 诫勉 reached the log the record held the unflagged 优秀: the flag comes after it.
    const { events } = await service.query(`query { events(streamId: "appraisal-${excellent}", first: 50) { edges { node { type globalPosition metadata { effectiveAt } } } } }`);
    const nodes: { type: string; globalPosition: string; metadata: { effectiveAt: string } }[] = events.edges.map((edge: { node: unknown }) => edge.node);
    const finalized = nodes.find((node) => node.type === 'GradeFinalized')!;
    const flag = nodes.find((node) => node.type === 'GradeFlagged')!;
    expect(finalized.metadata.effectiveAt).toBe('2026-01-18');
    expect(BigInt(flag.globalPosition) > BigInt(finalized.globalPosition)).toBe(true);
    expect(nodes.filter((node) => node.type === 'GradeDetermined')).toHaveLength(1);

    // The record as it stood just before the flag reached the log: the unflagged 优秀.
    const AS_OF = `query AsOf($recordId: String!, $at: AsOfInput!) { recordAsOf(recordId: $recordId, at: $at) { status outcome { grade } flags { code } lastGlobalPosition } }`;
    const before = BigInt(flag.globalPosition) - 1n;
    const asOfBefore = (await service.query(AS_OF, { recordId: excellent, at: { globalPosition: before.toString() } })).recordAsOf;
    expect(asOfBefore).toMatchObject({ status: 'FINAL', outcome: { grade: 'EXCELLENT' }, flags: [] });
    const asOfFlag = (await service.query(AS_OF, { recordId: excellent, at: { globalPosition: flag.globalPosition } })).recordAsOf;
    expect(asOfFlag.flags).toEqual([{ code: 'APPRAISAL.TOP_GRADE_BARRED' }]);
    const DIFF = `query Diff($recordId: String!, $from: AsOfInput!, $to: AsOfInput!) { recordDiff(recordId: $recordId, from: $from, to: $to) { changes { field } events { type } } }`;
    const diff = (await service.query(DIFF, { recordId: excellent, from: { globalPosition: before.toString() }, to: { globalPosition: flag.globalPosition } })).recordDiff;
    expect(diff.events).toEqual([{ type: 'GradeFlagged' }]);
    expect(diff.changes.map((change: { field: string }) => change.field)).toEqual(expect.arrayContaining(['flags', 'lastGlobalPosition']));
    const HISTORY = `query History($recordId: String!) { recordHistory(recordId: $recordId, first: 100) { edges { node { type recordedAt metadata { effectiveAt actor { id role } } } } } }`;
    const recorded = (await service.query(HISTORY, { recordId: excellent })).recordHistory.edges.map((edge: { node: unknown }) => edge.node);
    expect(recorded.find((node: { type: string }) => node.type === 'GradeDetermined')).toMatchObject({ metadata: { effectiveAt: '2026-01-06', actor: { id: COMMITTEE.id, role: COMMITTEE.role } } });
    expect(recorded.find((node: { type: string }) => node.type === 'GradeFlagged')).toMatchObject({ metadata: { actor: { id: 'system:late-facts', role: 'SYSTEM' } } });

    const refused = await service.refusal('correctFlaggedGrade', { recordId: excellent, grade: 'EXCELLENT', reasons: '维持' }, COMMITTEE);
    expect(refused.extensions.code).toBe('APPRAISAL.TOP_GRADE_BARRED');
    await service.mutate('correctFlaggedGrade', { recordId: excellent, grade: 'COMPETENT', reasons: '受诫勉，当年不得确定为优秀' }, COMMITTEE);
    const corrected = (await service.query(RECORD_QUERY, { recordId: excellent })).appraisalRecord;
    expect(corrected.outcome).toMatchObject({ grade: 'COMPETENT' });
    expect(corrected.flags[0].resolved).toBe(true);
    const history = (await service.query(TRACE_QUERY, { recordId: excellent })).gradeTrace.history;
    expect(history.map((entry: { kind: string; outcome: { grade: string } }) => [entry.kind, entry.outcome.grade])).toEqual([
      ['DETERMINED', 'EXCELLENT'],
      ['REVISED', 'COMPETENT'],
    ]);

    await service.catchUp('grade_view');
    expect((await service.query(CONFLICTS)).conflictingGrades.edges).toEqual([]);
    await service.catchUp('grade_consequences');
    expect((await service.query(CONSEQUENCES_QUERY, { personId: 'p1' })).gradeConsequences).not.toContainEqual(expect.objectContaining({ year: 2025, kind: 'COMMENDATION' }));
  });
});
