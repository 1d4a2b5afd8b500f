import { COMMITTEE, fiveElementIndicators, HR, LEADER, PEOPLE, recordId, registerUnit, scoreSheet, UNIT_HEAD, type Indicator } from '../support/appraisal-unit.js';
import { shanghaiDate } from '../../src/shared/business-date.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

/**
 * DOMAIN.md §9 scenario 1 over GraphQL, under national-current: a case opened in Q2 withholds the
 * Q2 and Q3 records; it closes with 政务警告, so the backfill process manager grades them from
 * their recorded scores, never with the top grade; the annual grade may be anything but 优秀.
 */
const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' };
const PERSON = 'p1';
const CASE_ID = 'case-2025-017';
const QUARTERS = [
  { period: '2025Q2', opens: '2025-07-01' },
  { period: '2025Q3', opens: '2025-10-09' },
];
const WARNING = {
  measureId: 'warning-2025-031',
  measure: 'GOVERNMENT_WARNING',
  decisionDate: '2025-11-20',
  effectiveDate: '2025-11-20',
  authority: '市监委',
  documentNumber: '市监委政处〔2025〕31号',
};

const RECORD_QUERY = `query Record($recordId: String!) { appraisalRecord(recordId: $recordId) { outcome { kind grade label } } }`;
const TRACE_QUERY = `query Trace($recordId: String!) {
  gradeTrace(recordId: $recordId) {
    current { kind determinedBy score outcome { grade label } steps { conclusion } }
    history { kind outcome { kind } }
  }
}`;

const REPORT_QUERY = `query Report($reportId: String!, $revision: Int) {
  report(reportId: $reportId, revision: $revision) {
    revision issuedOn columns { key header } diff { added { key } removed { key } changed { key cells { header before after } } }
    causedBy { eventId type streamId }
    rows(first: 100) { edges { node { ordinal key cells } } }
  }
}`;
const REPORTS_QUERY = `query Reports($period: String) { reports(organizationId: "bureau", period: $period) { edges { node { kind latestRevision } } } }`;
const DIFF_QUERY = `query Diff($reportId: String!) {
  reportDiff(reportId: $reportId, fromRevision: 1, toRevision: 2) { changed { key cells { header before after } } causedBy { eventId } }
}`;

let service: GraphQLTestApp;
let indicators: Indicator[];

async function outcomeOf(record: string) {
  return (await service.query(RECORD_QUERY, { recordId: record })).appraisalRecord.outcome;
}

async function eventTypes(streamId: string): Promise<string[]> {
  return (await service.streamEvents(streamId)).map((event) => event.type);
}

async function topGradesReserved(period: string): Promise<number> {
  const { cycle } = await service.query('query Cycle($period: String!) { cycle(organizationId: "bureau", period: $period) { topGradesReserved } }', { period });
  return cycle.topGradesReserved;
}

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
  indicators = await fiveElementIndicators(service);
});

afterAll(() => service.close());

describe('scenario 1: a case opened in Q2 and closed with a warning, over GraphQL', () => {
  it('opens the case on 2025-05-10 and notes the investigation on the person', async () => {
    service.today('2025-05-10');
    const opened = await service.mutate('openCase', { caseId: CASE_ID, personId: PERSON, openedOn: '2025-05-10', authority: '市纪委监委' }, INSPECTOR);
    expect(opened).toMatchObject({ streamId: `case-${CASE_ID}`, events: [{ type: 'CaseOpened', data: { caseId: CASE_ID, personId: PERSON, openedOn: '2025-05-10' } }] });
    expect(await eventTypes(`person-${PERSON}`)).toContain('InvestigationOpened');
  });

  it('withholds the Q2 and Q3 records: full-mark scores are taken, but no comment and no grade', async () => {
    for (const { period, opens } of QUARTERS) {
      const record = recordId(PERSON, period);
      service.today(opens);
      await service.mutate('openCycle', { organizationId: 'bureau', period, personIds: PEOPLE }, HR);
      await service.mutate('recordScores', { recordId: record, raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, 100) }, UNIT_HEAD);

      const comment = await service.refusal('writeComment', { recordId: record, text: '工作认真。' }, UNIT_HEAD);
      expect(comment).toMatchObject({
        message: `no comment is written while the person is under investigation (case ${CASE_ID}, opened 2025-05-10)`,
        extensions: { code: 'APPRAISAL.UNDER_INVESTIGATION', caseId: CASE_ID },
      });
      const graded = await service.refusal('determineGrade', { recordId: record, grade: 'GOOD' }, COMMITTEE);
      expect(graded.extensions).toMatchObject({ code: 'APPRAISAL.UNDER_INVESTIGATION', caseId: CASE_ID, openedOn: '2025-05-10' });

      const withheld = await service.mutate('determineGrade', { recordId: record }, COMMITTEE);
      expect(withheld.events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
      expect(withheld.events[0].data).toMatchObject({ outcome: { kind: 'WITHHELD_INVESTIGATION' }, withheldByCase: CASE_ID });
      expect(await outcomeOf(record)).toMatchObject({ kind: 'WITHHELD_INVESTIGATION', grade: null });
    }
    expect((await service.streamEvents(`case-${CASE_ID}`)).filter((event) => event.type === 'RecordWithheldByCase').map((event) => event.data.recordId)).toEqual(
      QUARTERS.map(({ period }) => recordId(PERSON, period)),
    );
  });

  it('files the Q2 and Q3 quarterly filings and rosters: revision 1 lists the withheld person with the reason', async () => {
    for (const { period } of QUARTERS) {
      await service.mutate('proposeGrade', { recordId: recordId('p2', period), grade: 'AVERAGE', reason: '完成任务一般' }, UNIT_HEAD);
      await service.mutate('reviewProposal', { recordId: recordId('p2', period), agrees: true, reason: '同意' }, LEADER);
      await service.mutate('determineGrade', { recordId: recordId('p2', period), grade: 'AVERAGE' }, COMMITTEE);
      for (const kind of ['QUARTERLY_FILING', 'ROSTER']) {
        const filed = await service.mutate('fileReport', { organizationId: 'bureau', period, kind }, HR);
        expect(filed.events).toMatchObject([{ type: 'ReportFiled', data: { reportId: `bureau.${period}.${kind}`, filedOn: '2025-10-09', filedBy: HR.id } }]);
      }
    }
    const again = await service.refusal('fileReport', { organizationId: 'bureau', period: '2025Q2', kind: 'ROSTER' }, HR);
    expect(again.extensions).toMatchObject({ code: 'REPORT.ALREADY_FILED', reportId: 'bureau.2025Q2.ROSTER', filedOn: '2025-10-09' });
    const wrongPeriod = await service.refusal('fileReport', { organizationId: 'bureau', period: '2025', kind: 'QUARTERLY_FILING' }, HR);
    expect(wrongPeriod).toMatchObject({ message: '平时考核结果备案表 is filed for QUARTERLY or MONTHLY periods, not ANNUAL', extensions: { code: 'REPORT.PERIOD_NOT_ALLOWED', field: 'period' } });
    await service.catchUp('report_revisions');

    const { report } = await service.query(REPORT_QUERY, { reportId: 'bureau.2025Q2.QUARTERLY_FILING' });
    expect(report).toMatchObject({ revision: 1, issuedOn: '2025-10-09', diff: null, causedBy: { type: 'ReportFiled', streamId: 'report-bureau.2025Q2.QUARTERLY_FILING' } });
    expect(report.columns.map((column: { header: string }) => column.header)).toEqual([
      '单位', '考核周期', '应参加考核人数', '实际参加考核人数',
      '好等次人数', '好等次比例', '较好等次人数', '较好等次比例', '一般等次人数', '一般等次比例', '较差等次人数', '较差等次比例',
      '好等次人员名单', '一般及以下等次人员名单', '未定等次人员名单及原因', '填报时间',
    ]);
    const [unit, total] = report.rows.edges.map((edge: { node: unknown }) => edge.node);
    expect(unit).toMatchObject({ ordinal: 1, key: 'UNIT:office', cells: { unit: '综合科', period: '2025年第二季度', expected: 10, participating: 10, 'count:AVERAGE': 1, 'share:AVERAGE': '10.00%', lowList: '李强' } });
    expect(unit.cells.ungradedList).toContain('王芳（不写评语、不定等次');
    expect(total).toMatchObject({ ordinal: 2, key: 'TOTAL', cells: { unit: '合计', expected: 10, 'count:FAIRLY_GOOD': 0 } });
  });

  it('refuses a malformed measure, a measure not on the record and a closing whose penalty is heavier than its outcome, naming what is wrong', async () => {
    service.today('2025-11-20');
    const badDay = await service.refusal('recordDisciplinaryMeasure', { personId: PERSON, ...WARNING, decisionDate: '2025/11/20' }, INSPECTOR);
    expect(badDay.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'decisionDate', constraints: [{ name: 'matches', message: 'decisionDate must be a date YYYY-MM-DD' }], allowed: 'a date YYYY-MM-DD' }],
    });
    const noSuchDay = await service.refusal('recordDisciplinaryMeasure', { personId: PERSON, ...WARNING, effectiveDate: '2025-11-31' }, INSPECTOR);
    expect(noSuchDay).toMatchObject({
      message: 'effectiveDate must be a calendar date YYYY-MM-DD, got "2025-11-31"',
      extensions: { code: 'PERSON.INVALID_DATE', field: 'effectiveDate', value: '2025-11-31' },
    });
    const probationWithoutTerm = await service.refusal('recordDisciplinaryMeasure', { personId: PERSON, ...WARNING, measure: 'PARTY_PROBATION' }, INSPECTOR);
    expect(probationWithoutTerm).toMatchObject({
      message: '留党察看 needs a term of 1 or 2 years',
      extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'termYears', constraints: [{ name: 'isIn', message: '1 or 2 for PARTY_PROBATION' }], allowed: '1, 2' }] },
    });
    const heavier = await service.refusal('closeCase', { caseId: CASE_ID, closedOn: '2025-11-20', outcome: 'WARNING', penalty: { ...WARNING, measure: 'GOVERNMENT_DEMERIT' } }, INSPECTOR);
    expect(heavier).toMatchObject({
      message: 'a case closed with WARNING carries a warning (GOVERNMENT_WARNING or PARTY_WARNING)',
      extensions: { code: 'CASE.WARNING_EXPECTED', outcome: 'WARNING', measure: 'GOVERNMENT_DEMERIT' },
    });

    const notRecorded = { code: 'DISCIPLINE.MEASURE_NOT_FOUND', measureId: WARNING.measureId };
    expect((await service.refusal('liftMeasure', { personId: PERSON, measureId: WARNING.measureId, date: '2025-11-20' }, INSPECTOR)).extensions).toEqual(notRecorded);
    expect((await service.refusal('revokeMeasure', { personId: PERSON, measureId: WARNING.measureId, date: '2025-11-20', reason: '复审撤销' }, INSPECTOR)).extensions).toEqual(notRecorded);

    expect(await eventTypes(`case-${CASE_ID}`)).not.toContain('CaseClosed');
    expect(await eventTypes(`person-${PERSON}`)).not.toContain('PenaltyImposed');
  });

  it('closes the case on 2025-11-20 with 政务警告, which is recorded on the person', async () => {
    const closed = await service.mutate('closeCase', { caseId: CASE_ID, closedOn: '2025-11-20', outcome: 'WARNING', penalty: WARNING }, INSPECTOR);
    expect(closed.events).toMatchObject([{ type: 'CaseClosed', data: { caseId: CASE_ID, personId: PERSON, outcome: 'WARNING', penalty: { measure: 'GOVERNMENT_WARNING' } } }]);
    const person = await service.streamEvents(`person-${PERSON}`);
    expect(person.find((event) => event.type === 'PenaltyImposed')?.data).toMatchObject({ ...WARNING, periodMonths: null, termYears: null, caseId: CASE_ID });
    expect(person.find((event) => event.type === 'InvestigationClosed')?.data).toMatchObject({ caseId: CASE_ID, closedOn: '2025-11-20', outcome: 'WARNING' });
  });

  it('backfills Q2 and Q3 from their full-mark scores as 较好, never 好, and keeps the withheld determinations in history', async () => {
    await service.catchUp('backfill_process');
    for (const { period } of QUARTERS) {
      const record = recordId(PERSON, period);
      expect(await outcomeOf(record)).toEqual({ kind: 'GRADE', grade: 'FAIRLY_GOOD', label: '较好' });

      const events = await service.streamEvents(`appraisal-${record}`);
      expect(events.map((event) => event.type)).toEqual(['RecordOpened', 'ScoresRecorded', 'GradeDetermined', 'GradeFinalized', 'GradeBackfilled']);
      expect(events[2].data.outcome.kind).toBe('WITHHELD_INVESTIGATION');
      expect(events[4].data).toMatchObject({ outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 100, caseId: CASE_ID, caseOutcome: 'WARNING' });

      const { gradeTrace } = await service.query(TRACE_QUERY, { recordId: record });
      expect(gradeTrace.history.map(({ kind, outcome }: { kind: string; outcome: { kind: string } }) => [kind, outcome.kind])).toEqual([
        ['DETERMINED', 'WITHHELD_INVESTIGATION'],
        ['BACKFILLED', 'GRADE'],
      ]);
      expect(gradeTrace.current).toMatchObject({ kind: 'BACKFILLED', determinedBy: 'system:backfill', score: 100, outcome: { grade: 'FAIRLY_GOOD', label: '较好' } });
      expect(gradeTrace.current.steps.map((step: { conclusion: string }) => step.conclusion)).toEqual(expect.arrayContaining(['BACKFILL WARNING', 'BAND GOOD']));
    }
  });

  it('reissues the Q2 and Q3 filings as revision 2 with exactly the rows the backfill changed, citing the backfill', async () => {
    await service.catchUp('report_revisions');
    for (const { period } of QUARTERS) {
      const record = recordId(PERSON, period);
      const backfill = (await service.streamEvents(`appraisal-${record}`)).find((event) => event.type === 'GradeBackfilled')!;
      const { reports } = await service.query(REPORTS_QUERY, { period });
      expect(reports.edges.map((edge: { node: { kind: string; latestRevision: number } }) => [edge.node.kind, edge.node.latestRevision])).toEqual([
        ['QUARTERLY_FILING', 2],
        ['ROSTER', 2],
      ]);

      const { report: filing } = await service.query(REPORT_QUERY, { reportId: `bureau.${period}.QUARTERLY_FILING` });
      expect(filing).toMatchObject({ revision: 2, issuedOn: shanghaiDate(backfill.recordedAt), causedBy: { eventId: backfill.eventId, type: 'GradeBackfilled', streamId: `appraisal-${record}` } });
      expect(filing.diff.added).toEqual([]);
      expect(filing.diff.removed).toEqual([]);
      expect(filing.diff.changed.map((change: { key: string }) => change.key)).toEqual(['UNIT:office', 'TOTAL']);
      for (const change of filing.diff.changed) {
        expect(change.cells.map((cell: { header: string }) => cell.header)).toEqual(['较好等次人数', '较好等次比例', '未定等次人员名单及原因']);
        expect(change.cells[0]).toMatchObject({ before: 0, after: 1 });
      }

      const { reportDiff } = await service.query(DIFF_QUERY, { reportId: `bureau.${period}.ROSTER` });
      expect(reportDiff.causedBy.map((cause: { eventId: string }) => cause.eventId)).toEqual([backfill.eventId]);
      expect(reportDiff.changed).toEqual([
        {
          key: record,
          cells: [
            { header: '考核等次', before: expect.stringContaining('不写评语、不定等次'), after: '较好' },
            { header: '备注', before: '', after: `补定等次（案件${CASE_ID}结案：WARNING）` },
          ],
        },
      ]);
      const { report: first } = await service.query(REPORT_QUERY, { reportId: `bureau.${period}.ROSTER`, revision: 1 });
      expect(first.rows.edges.find((edge: { node: { key: string } }) => edge.node.key === record).node.cells.outcome).toContain('不写评语、不定等次');
    }
  });

  it('changes nothing when the process manager runs over the log again', async () => {
    const streams = QUARTERS.flatMap(({ period }) => [`appraisal-${recordId(PERSON, period)}`, `cycle-bureau.${period}`]);
    const before = await Promise.all(streams.map(eventTypes));
    await service.rerunFromStart('backfill_process');
    expect(await Promise.all(streams.map(eventTypes))).toEqual(before);
  });

  it('grades the 2025 annual record, but not 优秀: the warning took effect that year', async () => {
    const record = recordId(PERSON, '2025');
    service.today('2025-12-15');
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2025', personIds: PEOPLE }, HR);
    await service.mutate('writeComment', { recordId: record, text: '全年工作扎实。' }, LEADER);
    await service.mutate('proposeGrade', { recordId: record, grade: 'COMPETENT', reason: '' }, LEADER);
    await service.mutate('reviewProposal', { recordId: record, agrees: true, reason: '同意' }, COMMITTEE);

    service.today('2025-12-29');
    const excellent = await service.refusal('determineGrade', { recordId: record, grade: 'EXCELLENT' }, COMMITTEE);
    expect(excellent.extensions).toMatchObject({ code: 'APPRAISAL.TOP_GRADE_BARRED', grade: 'EXCELLENT' });
    expect(excellent.extensions.because).toContain('处分或组织处理：不得确定为优秀（GOVERNMENT_WARNING）');
    expect(await topGradesReserved('2025')).toBe(0);

    await service.mutate('determineGrade', { recordId: record }, COMMITTEE);
    expect(await outcomeOf(record)).toEqual({ kind: 'GRADE', grade: 'COMPETENT', label: '称职' });
  });

  it('DOMAIN §9 scenario 8: dropping every view and replaying the log gives the same rows, traces included', async () => {
    const verification = await service.replayVerification();
    const tables = verification.tables.map((table) => table.table);
    expect(tables).toEqual(
      expect.arrayContaining(['grade_view', 'grade_history', 'discipline_view', 'investigation_view', 'grade_consequence', 'audit_trail', 'report_revision', 'report_revision_row', 'organization_tree']),
    );
    expect(verification.tables.filter((table) => !table.equal)).toEqual([]);
    expect(verification.tables.find((table) => table.table === 'grade_history')!.liveRows).toBeGreaterThanOrEqual(4);
    expect(verification.tables.find((table) => table.table === 'report_revision')!.liveRows).toBe(8);
    expect(verification.equal).toBe(true);
  });
});
