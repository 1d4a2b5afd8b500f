import { COMMITTEE, fiveElementIndicators, HR, LEADER, recordId, registerUnit, scoreSheet, UNIT_HEAD, type Indicator } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

/**
 * The whole service with its log in KurrentDB (the protocol-level test server) and its read models
 * in PostgreSQL: commands, projections, a process manager, a reissued report, the seal and replay.
 */
const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' };

let service: GraphQLTestApp;
let indicators: Indicator[];

beforeAll(async () => {
  service = await GraphQLTestApp.start({ eventStore: 'kurrentdb' });
  await registerUnit(service);
  indicators = await fiveElementIndicators(service);
}, 60_000);

afterAll(() => service.close());

describe('the service with its log in KurrentDB', () => {
  it('reports the KurrentDB store in health, with $all positions as checkpoints', async () => {
    await service.catchUp('grade_view');
    const { health } = await service.query('{ health { store lastGlobalPosition oldestOpenTransactionSeconds projections { name checkpoint } } }');
    expect(health).toMatchObject({ store: 'kurrentdb', oldestOpenTransactionSeconds: null });
    const gradeView = health.projections.find((projection: { name: string }) => projection.name === 'grade_view');
    expect(gradeView.checkpoint).toBe(`${health.lastGlobalPosition}.${health.lastGlobalPosition}`);
  });

  it('withholds a record under investigation, backfills it when the case closes with a warning, and reissues the filed roster', async () => {
    service.today('2025-05-10');
    await service.mutate('openCase', { caseId: 'case-k', personId: 'p1', openedOn: '2025-05-10', authority: '市纪委监委' }, INSPECTOR);
    service.today('2025-07-01');
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q2', personIds: ['p1', 'p2'] }, HR);
    await service.mutate('recordScores', { recordId: recordId('p1', '2025Q2'), raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, 100) }, UNIT_HEAD);
    await service.mutate('determineGrade', { recordId: recordId('p1', '2025Q2') }, COMMITTEE);
    await service.mutate('proposeGrade', { recordId: recordId('p2', '2025Q2'), grade: 'FAIRLY_GOOD', reason: '' }, UNIT_HEAD);
    await service.mutate('reviewProposal', { recordId: recordId('p2', '2025Q2'), agrees: true, reason: '同意' }, LEADER);
    await service.mutate('determineGrade', { recordId: recordId('p2', '2025Q2') }, COMMITTEE);
    await service.mutate('fileReport', { organizationId: 'bureau', period: '2025Q2', kind: 'ROSTER' }, HR);

    const again = await service.mutate('fileReport', { organizationId: 'bureau', period: '2025Q2', kind: 'ROSTER', commandId: 'file-once' }, HR).catch((error: Error) => error);
    expect(String(again)).toContain('REPORT.ALREADY_FILED');

    service.today('2025-11-20');
    await service.mutate(
      'closeCase',
      {
        caseId: 'case-k',
        closedOn: '2025-11-20',
        outcome: 'WARNING',
        penalty: { measureId: 'w-k', measure: 'GOVERNMENT_WARNING', decisionDate: '2025-11-20', effectiveDate: '2025-11-20', authority: '市监委', documentNumber: '市监委〔2025〕1号' },
      },
      INSPECTOR,
    );
    await service.catchUp('backfill_process');
    const events = await service.streamEvents(`appraisal-${recordId('p1', '2025Q2')}`);
    expect(events.map((event) => event.type)).toEqual(['RecordOpened', 'ScoresRecorded', 'GradeDetermined', 'GradeFinalized', 'GradeBackfilled']);

    await service.catchUp('report_revisions');
    const { report } = await service.query('{ report(reportId: "bureau.2025Q2.ROSTER") { revision causedBy { type } diff { changed { key cells { header before after } } } } }');
    expect(report).toMatchObject({ revision: 2, causedBy: { type: 'GradeBackfilled' } });
    expect(report.diff.changed).toEqual([
      { key: recordId('p1', '2025Q2'), cells: [expect.objectContaining({ header: '考核等次', after: '较好' }), expect.objectContaining({ header: '备注' })] },
    ]);
  });

  it('replays a command id without appending again', async () => {
    const leave = { personId: 'p3', kind: 'SICK_OR_PERSONAL', from: '2025-12-01', to: '2025-12-05', commandId: 'leave-k' };
    const first = await service.mutate('recordLeave', leave, HR);
    const second = await service.mutate('recordLeave', leave, HR);
    expect(first.replayed).toBe(false);
    expect(second).toMatchObject({ replayed: true, events: first.events });
    expect((await service.streamEvents('person-p3')).filter((event) => event.type === 'LeaveRecorded')).toHaveLength(1);
  });

  it('verifies the log against the seal, and rebuilds every view equal to the live one', async () => {
    const verification = await service.replayVerification();
    expect(verification.equal).toBe(true);
    const { verifyIntegrity } = await service.query('{ verifyIntegrity { ok checkedEvents sealedEvents reason } }');
    expect(verifyIntegrity).toMatchObject({ ok: true, reason: null });
    expect(verifyIntegrity.checkedEvents).toBeGreaterThan(30);
    expect(verifyIntegrity.sealedEvents).toBe(verifyIntegrity.checkedEvents);
  });
});
