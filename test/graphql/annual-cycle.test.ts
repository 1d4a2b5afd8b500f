import {
  attendance,
  COMMITTEE,
  fiveElementIndicators,
  GRADED,
  HR,
  LEADER,
  ON_PROBATION,
  PEOPLE,
  personActor,
  recordId,
  registerUnit,
  scoreSheet,
  UNIT_HEAD,
  type Indicator,
} from '../support/appraisal-unit.js';
import ExcelJS from 'exceljs';
import { shanghaiDate } from '../../src/shared/business-date.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

/**
 * The 2025 annual appraisal (年度考核) of 综合科 over GraphQL, after three quarterly cycles whose
 * results it links in: 优秀 needs 好 in most quarters and no 一般 or 较差.
 */
const YEAR = '2025';
const DIRECTOR = { id: 'director-1', role: 'HEAD_OF_ORGAN', organizationId: 'bureau' };
const annualRecord = (personId: string) => recordId(personId, YEAR);

/** Each graded person's quarterly grades, at most four 好 a quarter (9 graded × 40%, half-up). */
const QUARTERS: { period: string; opens: string; grades: Record<string, string> }[] = [
  {
    period: '2025Q1',
    opens: '2025-04-01',
    grades: { p1: 'GOOD', p2: 'GOOD', p3: 'GOOD', p4: 'GOOD', p5: 'FAIRLY_GOOD', p6: 'FAIRLY_GOOD', p7: 'FAIRLY_GOOD', p8: 'AVERAGE', p9: 'FAIRLY_GOOD' },
  },
  {
    period: '2025Q2',
    opens: '2025-07-01',
    grades: { p1: 'GOOD', p2: 'GOOD', p3: 'FAIRLY_GOOD', p4: 'GOOD', p5: 'GOOD', p6: 'FAIRLY_GOOD', p7: 'FAIRLY_GOOD', p8: 'AVERAGE', p9: 'FAIRLY_GOOD' },
  },
  {
    period: '2025Q3',
    opens: '2025-10-09',
    grades: { p1: 'FAIRLY_GOOD', p2: 'AVERAGE', p3: 'GOOD', p4: 'GOOD', p5: 'GOOD', p6: 'GOOD', p7: 'FAIRLY_GOOD', p8: 'FAIRLY_GOOD', p9: 'FAIRLY_GOOD' },
  },
];
const QUARTERLY_SCORES: Record<string, number> = { GOOD: 93, FAIRLY_GOOD: 82, AVERAGE: 68 };

/** The annual grades proposed: p1 (好 twice) and p2 (好 twice, but 一般 in Q3) are put up for 优秀. */
const PROPOSED: Record<string, string> = {
  p1: 'EXCELLENT',
  p2: 'EXCELLENT',
  p3: 'COMPETENT',
  p4: 'COMPETENT',
  p5: 'COMPETENT',
  p6: 'COMPETENT',
  p7: 'COMPETENT',
  p8: 'BASICALLY_COMPETENT',
  p9: 'COMPETENT',
};

const TRACE_QUERY = `query Trace($recordId: String!) {
  gradeTrace(recordId: $recordId) {
    current {
      outcome { grade label }
      steps { kind kindLabel inputs { eventId globalPosition } conclusion explanation values }
    }
  }
}`;

let service: GraphQLTestApp;
let indicators: Indicator[];

async function streamEvents(streamId: string): Promise<{ eventId: string; globalPosition: string; type: string }[]> {
  const data = await service.query('query Stream($streamId: String!) { events(streamId: $streamId, first: 500) { edges { node { eventId globalPosition type } } } }', { streamId });
  return data.events.edges.map((edge: { node: { eventId: string; globalPosition: string; type: string } }) => edge.node);
}

async function topGradesReserved(period: string): Promise<number> {
  const { cycle } = await service.query('query Cycle($period: String!) { cycle(organizationId: "bureau", period: $period) { topGradesReserved } }', { period });
  return cycle.topGradesReserved;
}

/** A quarter with only the steps the annual linkage reads: scores, proposal, review, determination, and the notice of each 好. */
async function runQuarter({ period, opens, grades }: (typeof QUARTERS)[number]): Promise<void> {
  service.today(opens);
  await service.mutate('openCycle', { organizationId: 'bureau', period, personIds: PEOPLE }, HR);
  for (const personId of GRADED) {
    const record = recordId(personId, period);
    const grade = grades[personId];
    await service.mutate('recordScores', { recordId: record, raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, QUARTERLY_SCORES[grade]) }, UNIT_HEAD);
    await service.mutate('proposeGrade', { recordId: record, grade, reason: '' }, UNIT_HEAD);
    await service.mutate('reviewProposal', { recordId: record, agrees: true, reason: '' }, LEADER);
    await service.mutate('determineGrade', { recordId: record }, COMMITTEE);
  }
  const topGraded = GRADED.filter((personId) => grades[personId] === 'GOOD');
  const notices = [];
  for (const personId of topGraded) {
    notices.push(await service.mutate('startPublicNotice', { recordId: recordId(personId, period), startDate: opens }, HR));
  }
  service.today(notices[0].events[0].data.finalFrom);
  for (const personId of topGraded) await service.mutate('finalizeGrade', { recordId: recordId(personId, period) }, COMMITTEE);
}

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
  indicators = await fiveElementIndicators(service);
});

afterAll(() => service.close());

describe('an annual cycle linked to the year\'s quarters, end to end over GraphQL', () => {
  it('runs the three quarterly cycles of 2025', async () => {
    for (const quarter of QUARTERS) {
      await runQuarter(quarter);
      expect(await topGradesReserved(quarter.period)).toBe(4);
    }
    const { appraisalRecord } = await service.query(`{ appraisalRecord(recordId: "${recordId('p2', '2025Q3')}") { status outcome { grade label } } }`);
    expect(appraisalRecord).toEqual({ status: 'FINAL', outcome: { grade: 'AVERAGE', label: '一般' } });
  });

  it('opens the annual cycle and takes self summaries, democratic evaluations and comments', async () => {
    service.today('2025-12-15');
    await service.mutate('openCycle', { organizationId: 'bureau', period: YEAR, personIds: PEOPLE }, HR);
    service.today('2025-12-16');
    for (const personId of PEOPLE) {
      await service.mutate('submitSelfSummary', { recordId: annualRecord(personId), text: `${personId} 2025 年度述职报告`, attendance: attendance(245) }, personActor(personId));
    }
    service.today('2025-12-17');
    for (const personId of GRADED) {
      const excellentVotes = personId === 'p1' ? 15 : 4;
      await service.mutate(
        'recordDemocraticEvaluation',
        { recordId: annualRecord(personId), voters: 20, votes: [{ grade: 'EXCELLENT', votes: excellentVotes }, { grade: 'COMPETENT', votes: 20 - excellentVotes }] },
        HR,
      );
    }
    for (const personId of PEOPLE) {
      await service.mutate('writeComment', { recordId: annualRecord(personId), text: `${personId}：全年工作扎实，遵守纪律。` }, LEADER);
    }
  });

  it('takes the supervising leader\'s proposals and the director\'s reviews', async () => {
    service.today('2025-12-18');
    for (const personId of GRADED) {
      await service.mutate('proposeGrade', { recordId: annualRecord(personId), grade: PROPOSED[personId], reason: '听取群众意见后提出' }, LEADER);
      await service.mutate('reviewProposal', { recordId: annualRecord(personId), agrees: true, reason: '同意' }, DIRECTOR);
    }
  });

  it('refuses 优秀 to the person with a 一般 quarter, and gives back the quota place the attempt took', async () => {
    service.today('2025-12-29');
    const barred = await service.refusal('determineGrade', { recordId: annualRecord('p2'), grade: 'EXCELLENT' }, COMMITTEE);
    expect(barred.message).toBe('EXCELLENT is barred: 平时考核有2025Q3 AVERAGE，不得评为优秀');
    expect(barred.extensions).toMatchObject({ code: 'APPRAISAL.TOP_GRADE_BARRED', grade: 'EXCELLENT', because: ['平时考核有2025Q3 AVERAGE，不得评为优秀'] });
    expect(await topGradesReserved(YEAR)).toBe(0);
    await service.mutate('determineGrade', { recordId: annualRecord('p2'), grade: 'COMPETENT' }, COMMITTEE);
  });

  it('holds the grade the quarters force: 一般 in two of three quarters means 基本称职', async () => {
    const forced = await service.refusal('determineGrade', { recordId: annualRecord('p8'), grade: 'COMPETENT' }, COMMITTEE);
    expect(forced).toMatchObject({
      message: 'the grade must be BASICALLY_COMPETENT: 平时考核 2/3 个季度为 AVERAGE/POOR，超过半数',
      extensions: { code: 'APPRAISAL.GRADE_FORCED', required: 'BASICALLY_COMPETENT' },
    });
    await service.mutate('determineGrade', { recordId: annualRecord('p8') }, COMMITTEE);
  });

  it('determines 优秀 for the person with 好 in most quarters, traced to those quarters, and the reviewed grades of the rest', async () => {
    const excellent = await service.mutate('determineGrade', { recordId: annualRecord('p1') }, COMMITTEE);
    expect(excellent.events.map((event) => event.type)).toEqual(['GradeDetermined']);
    expect(excellent.events[0].data).toMatchObject({ outcome: { kind: 'GRADE', grade: 'EXCELLENT' }, requiresPublicNotice: true });
    for (const personId of ['p3', 'p4', 'p5', 'p6', 'p7', 'p9', ON_PROBATION]) {
      await service.mutate('determineGrade', { recordId: annualRecord(personId) }, COMMITTEE);
    }

    const { gradeTrace } = await service.query(TRACE_QUERY, { recordId: annualRecord('p1') });
    expect(gradeTrace.current.outcome).toEqual({ grade: 'EXCELLENT', label: '优秀' });
    const steps = gradeTrace.current.steps;
    expect(steps.map((step: { kindLabel: string }) => step.kindLabel)).toEqual(['参加考核情况', '平时考核结果运用', '年度考核优秀率', '优秀（好）等次比例限额', '确定等次']);
    const linkage = steps[1];
    expect(linkage).toMatchObject({ kind: 'ANNUAL_LINKAGE', conclusion: 'TOP_ELIGIBLE', explanation: '平时考核好等次 2/3，可评优秀', values: { topCount: 2, quarterCount: 3 } });
    const quarterlyFinals = [];
    for (const { period } of QUARTERS) {
      const stream = await streamEvents(`appraisal-${recordId('p1', period)}`);
      const { eventId, globalPosition } = stream.filter((event) => event.type === 'GradeFinalized').at(-1)!;
      quarterlyFinals.push({ eventId, globalPosition });
    }
    expect(linkage.inputs).toEqual(quarterlyFinals);
    expect(steps[2]).toMatchObject({ kind: 'EXCELLENT_RATE', conclusion: 'RATE 0.7167', explanation: '年度考核优秀率 71.67%' });
    expect(steps[3]).toMatchObject({ kind: 'QUOTA', explanation: '优秀名额：10 人 × 0.2 = 2.00，取整（FLOOR）为 2，已用 0' });
  });

  it('finalises 优秀 only after the 5-working-day notice, which runs over the New Year holiday and its make-up Sunday', async () => {
    service.today('2025-12-30');
    const notice = await service.mutate('startPublicNotice', { recordId: annualRecord('p1'), startDate: '2025-12-30' }, HR);
    expect(notice.events[0].data).toMatchObject({
      workingDays: ['2025-12-30', '2025-12-31', '2026-01-04', '2026-01-05', '2026-01-06'],
      finalFrom: '2026-01-07',
    });
    service.today('2026-01-06');
    const early = await service.refusal('finalizeGrade', { recordId: annualRecord('p1') }, COMMITTEE);
    expect(early.extensions).toEqual({ code: 'APPRAISAL.NOTICE_NOT_OVER', finalFrom: '2026-01-07', today: '2026-01-06' });
    service.today('2026-01-07');
    await service.mutate('finalizeGrade', { recordId: annualRecord('p1') }, COMMITTEE);
  });

  it('publishes, notifies and has every result signed: the year is ready to file', async () => {
    for (const personId of PEOPLE) {
      const published = await service.mutate('publishResult', { recordId: annualRecord(personId) }, HR);
      expect(published.events[0].data).toMatchObject({ publishedOn: '2026-01-07', objectionDays: 30, objectionDeadline: '2026-02-06' });
    }
    service.today('2026-01-08');
    for (const personId of PEOPLE) await service.mutate('notifyPerson', { recordId: annualRecord(personId), method: 'WRITTEN' }, HR);
    service.today('2026-01-09');
    for (const personId of PEOPLE) {
      const agrees = personId !== 'p8';
      await service.mutate('signOff', { recordId: annualRecord(personId), agrees, opinion: agrees ? '同意' : '本人对第一、二季度等次有不同意见' }, personActor(personId));
    }

    const records = [];
    for (const personId of PEOPLE) {
      const { appraisalRecord } = await service.query(`{ appraisalRecord(recordId: "${annualRecord(personId)}") { personId status signedOff outcome { kind grade label } } }`);
      records.push(appraisalRecord);
    }
    const outcome = (grade: string, label: string) => ({ kind: 'GRADE', grade, label });
    expect(records).toEqual(
      [
        { personId: 'p1', outcome: outcome('EXCELLENT', '优秀') },
        { personId: 'p2', outcome: outcome('COMPETENT', '称职') },
        ...['p3', 'p4', 'p5', 'p6', 'p7'].map((personId) => ({ personId, outcome: outcome('COMPETENT', '称职') })),
        { personId: 'p8', outcome: outcome('BASICALLY_COMPETENT', '基本称职') },
        { personId: 'p9', outcome: outcome('COMPETENT', '称职') },
        { personId: ON_PROBATION, outcome: { kind: 'COMMENT_ONLY', grade: null, label: '只写评语、不定等次（试用期人员只写评语、不定等次）' } },
      ].map((expected) => ({ status: 'PUBLISHED', signedOff: true, ...expected })),
    );
    expect(await topGradesReserved(YEAR)).toBe(1);
  });
});

const REPORT_QUERY = `query Report($reportId: String!, $revision: Int) {
  report(reportId: $reportId, revision: $revision) {
    revision title issuedOn rowCount columns { key header } summary
    causedBy { type streamId }
    diff { added { key cells } removed { key cells } changed { key cells { header before after } } }
    rows(first: 100) { edges { node { key cells } } }
  }
}`;
const REPORTS_QUERY = `query Reports($organizationId: String!, $after: String, $first: Int) {
  reports(organizationId: $organizationId, after: $after, first: $first) {
    edges { cursor node { reportId organizationId kind latestRevision revisions { revision } } }
    pageInfo { endCursor hasNextPage }
  }
}`;
const REPORT_KINDS = ['QUARTERLY_SUMMARY', 'REGISTRATION_SUMMARY', 'ANNUAL_REGISTRATION', 'ROSTER', 'SANCTIONED_LIST'];
const NAME: Record<string, string> = { p1: '王芳', p2: '李强', p3: '张伟', p4: '刘洋', p5: '陈静', p6: '杨帆', p7: '赵磊', p8: '黄敏', p9: '周杰', p10: '吴婷' };

type ReportRowNode = { key: string; cells: Record<string, unknown> };

async function report(reportId: string, revision?: number) {
  await service.catchUp('report_revisions');
  const { report: revisionOf } = await service.query(REPORT_QUERY, { reportId, revision });
  return { ...revisionOf, rows: revisionOf.rows.edges.map((edge: { node: ReportRowNode }) => edge.node) as ReportRowNode[] };
}

const cellsOf = (rows: ReportRowNode[], key: string) => rows.find((row) => row.key === key)?.cells;

describe('the year filed with the regulator: six reports, reissued when a late penalty and a 复核 change them', () => {
  it('files the Q1 filing and the five annual reports of the organization, and a report of a child and a sibling organ', async () => {
    service.today('2026-01-12');
    await service.mutate('fileReport', { organizationId: 'bureau', period: '2025Q1', kind: 'QUARTERLY_FILING' }, HR);
    for (const kind of REPORT_KINDS) await service.mutate('fileReport', { organizationId: 'bureau', period: YEAR, kind }, HR);

    // 区统计局 below 市统计局, and 市税务局 beside it, each with one person in a Q1 cycle: the bureau's
    // HR works in its own subtree, the tax bureau's HR in the tax bureau.
    const TAX_HR = { id: 'hr-tax', role: 'HR', organizationId: 'tax' };
    for (const [organizationId, name, parentId, personId, hr] of [
      ['district', '区统计局', 'bureau', 'd1', HR],
      ['tax', '市税务局', undefined, 't1', TAX_HR],
    ] as const) {
      await service.mutate('registerOrganization', { organizationId, name, kind: 'ORGAN', ...(parentId ? { parentId } : {}) }, hr);
      await service.mutate('adoptRuleSet', { organizationId, year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, hr);
      await service.mutate(
        'registerPerson',
        { personId, name: `${name}科员`, category: 'CIVIL_SERVANT', organizationId, position: '科员', rank: '二级科员', isSectionHead: false, inPostSince: '2020-09-01' },
        hr,
      );
      await service.mutate('openCycle', { organizationId, period: '2025Q1', personIds: [personId] }, hr);
      await service.mutate('fileReport', { organizationId, period: '2025Q1', kind: 'ROSTER' }, hr);
    }

    const refused = await service.refusal('fileReport', { organizationId: 'tax', period: '2025Q2', kind: 'ROSTER' }, TAX_HR);
    expect(refused).toMatchObject({ message: '考核结果花名册: organization tax has no appraisal cycle for 2025Q2', extensions: { code: 'REPORT.NO_CYCLE' } });

    await service.catchUp('organization_tree');
    await service.catchUp('report_revisions');
    const ids = async (organizationId: string) =>
      (await service.query(REPORTS_QUERY, { organizationId })).reports.edges.map((edge: { node: { reportId: string } }) => edge.node.reportId);
    expect(await ids('bureau')).toEqual([
      'bureau.2025.ANNUAL_REGISTRATION',
      'bureau.2025.QUARTERLY_SUMMARY',
      'bureau.2025.REGISTRATION_SUMMARY',
      'bureau.2025.ROSTER',
      'bureau.2025.SANCTIONED_LIST',
      'bureau.2025Q1.QUARTERLY_FILING',
      'district.2025Q1.ROSTER',
    ]);
    expect(await ids('district')).toEqual(['district.2025Q1.ROSTER']);
    expect(await ids('tax')).toEqual(['tax.2025Q1.ROSTER']);

    const firstPage = (await service.query(REPORTS_QUERY, { organizationId: 'bureau', first: 4 })).reports;
    expect(firstPage.pageInfo).toEqual({ endCursor: 'bureau.2025.ROSTER', hasNextPage: true });
    const secondPage = (await service.query(REPORTS_QUERY, { organizationId: 'bureau', first: 4, after: firstPage.pageInfo.endCursor })).reports;
    expect(secondPage.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual(['bureau.2025.SANCTIONED_LIST', 'bureau.2025Q1.QUARTERLY_FILING', 'district.2025Q1.ROSTER']);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);

    const tax = await report('tax.2025Q1.ROSTER');
    expect(tax.rows).toEqual([{ key: 'tax.t1.2025Q1', cells: { name: '市税务局科员', unitAndPost: '市税务局 科员（二级科员）', category: '公务员', outcome: '尚未确定等次', remarks: '' } }]);
  });

  it('summarises a quarter across the subtree: the organ and the organ below it, not the sibling', async () => {
    await service.catchUp('grade_view');
    const { gradeSummary } = await service.query('{ gradeSummary(organizationId: "bureau", period: "2025Q1") { organizations records undetermined outcomes { outcomeKind grade count } } }');
    expect(gradeSummary).toEqual({
      organizations: 2,
      records: 11,
      undetermined: 2,
      outcomes: [
        { outcomeKind: 'GRADE', grade: 'FAIRLY_GOOD', count: 4 },
        { outcomeKind: 'GRADE', grade: 'GOOD', count: 4 },
        { outcomeKind: 'GRADE', grade: 'AVERAGE', count: 1 },
      ],
    });
    expect((await service.query('{ gradeSummary(organizationId: "tax", period: "2025Q1") { organizations records } }')).gradeSummary).toEqual({ organizations: 1, records: 1 });
  });

  it('平时考核结果备案表 (2025Q1): counts, shares and name lists of the unit and in total', async () => {
    const filing = await report('bureau.2025Q1.QUARTERLY_FILING');
    expect(filing).toMatchObject({ revision: 1, title: '平时考核结果备案表', issuedOn: '2026-01-12', rowCount: 2, causedBy: { type: 'ReportFiled' } });
    const expected = {
      unit: '综合科',
      period: '2025年第一季度',
      expected: 10,
      participating: 10,
      'count:GOOD': 4,
      'share:GOOD': '40.00%',
      'count:FAIRLY_GOOD': 4,
      'share:FAIRLY_GOOD': '40.00%',
      'count:AVERAGE': 1,
      'share:AVERAGE': '10.00%',
      'count:POOR': 0,
      'share:POOR': '0.00%',
      topList: [NAME.p1, NAME.p2, NAME.p3, NAME.p4].join('、'),
      lowList: NAME.p8,
      ungradedList: `${NAME.p10}（尚未确定等次）`,
    };
    expect(cellsOf(filing.rows, 'UNIT:office')).toEqual(expected);
    expect(cellsOf(filing.rows, 'TOTAL')).toEqual({ ...expected, unit: '合计' });
  });

  it('公务员平时考核结果汇总表: one row per quarter', async () => {
    const summary = await report('bureau.2025.QUARTERLY_SUMMARY');
    expect(summary.columns.map((column: { header: string }) => column.header)).toEqual([
      '考核周期',
      '考核为好等次人数',
      '好等次人数占实际参加考核总人数比例',
      '考核为好等次人员名单',
      '因派驻、挂职等原因在接收单位考核为好等次人员名单',
      '评定为一般及以下等次、未定等次人员名单',
    ]);
    expect(summary.rows.map((row: ReportRowNode) => [row.key, row.cells.topCount, row.cells.topShare, row.cells.topList])).toEqual([
      ['2025Q1', 4, '40.00%', '王芳、李强、张伟、刘洋'],
      ['2025Q2', 4, '40.00%', '王芳、李强、刘洋、陈静'],
      ['2025Q3', 4, '40.00%', '张伟、刘洋、陈静、杨帆'],
    ]);
    // Within a unit, people are in the order of their ids (p10 before p2).
    expect(cellsOf(summary.rows, '2025Q3')!.lowOrUngradedList).toBe('吴婷（尚未确定等次）、李强（一般）');
  });

  it('考核情况登记汇总表: quarters, excellence rates by the rule set\'s formula, and the proposal', async () => {
    const registration = await report('bureau.2025.REGISTRATION_SUMMARY');
    expect(registration.columns.map((column: { header: string }) => column.header)).toEqual([
      '序号',
      '姓名',
      '平时考核定等（第一季度）',
      '平时考核定等（第二季度）',
      '平时考核定等（第三季度）',
      '平时考核优秀率',
      '年终考核测评优秀率',
      '年度考核优秀率',
      '年度考核定等建议',
      '绩效奖励级差建议',
    ]);
    expect(cellsOf(registration.rows, annualRecord('p1'))).toEqual({
      name: '王芳',
      'quarter:1': '好',
      'quarter:2': '好',
      'quarter:3': '较好',
      quarterlyTopRate: '66.67%',
      voteTopRate: '75.00%',
      annualTopRate: '71.67%',
      proposal: '优秀',
      awardTier: null,
    });
    expect(cellsOf(registration.rows, annualRecord('p8'))).toMatchObject({ 'quarter:1': '一般', quarterlyTopRate: '0.00%', voteTopRate: '20.00%', annualTopRate: '12.00%', proposal: '基本称职' });
  });

  it('考核审核备案登记表: the annual grades and the organization-wide quota of 20 %', async () => {
    const registration = await report('bureau.2025.ANNUAL_REGISTRATION');
    const counts = { 'count:EXCELLENT': 1, 'count:COMPETENT': 7, 'count:BASICALLY_COMPETENT': 1, 'count:INCOMPETENT': 0, 'share:EXCELLENT': '10.00%', 'share:COMPETENT': '70.00%' };
    expect(cellsOf(registration.rows, 'UNIT:office')).toMatchObject({ unit: '综合科', expected: 10, participating: 10, ungraded: 1, ...counts, quotaCap: '20.00%', quotaAllowed: null, quotaHolds: null });
    expect(cellsOf(registration.rows, 'TOTAL')).toMatchObject({ unit: '合计', ...counts, quotaCap: '20.00%', quotaAllowed: 2, quotaHolds: '是' });
    expect(registration.summary).toMatchObject({ organization: '市统计局', quotaScope: 'ORGANIZATION' });
  });

  it('考核结果花名册 and the list of the sanctioned: every record with post and outcome; nobody sanctioned yet', async () => {
    const roster = await report('bureau.2025.ROSTER');
    expect(roster.rowCount).toBe(10);
    expect(cellsOf(roster.rows, annualRecord('p1'))).toEqual({ name: '王芳', unitAndPost: '综合科 科员（一级科员）', category: '公务员', outcome: '优秀', remarks: '' });
    expect(cellsOf(roster.rows, annualRecord(ON_PROBATION))!.outcome).toBe('只写评语、不定等次（试用期人员只写评语、不定等次）');
    expect((await report('bureau.2025.SANCTIONED_LIST')).rows).toEqual([]);
  });

  it('reissues the roster and the list of the sanctioned when a 2025 penalty is recorded late, citing it; the quarterly filing stays at revision 1', async () => {
    service.today('2026-01-20');
    const penalty = await service.mutate(
      'recordDisciplinaryMeasure',
      { personId: 'p8', measureId: 'pw-2025-9', measure: 'PARTY_WARNING', decisionDate: '2025-06-01', effectiveDate: '2025-06-01', authority: '市纪委', documentNumber: '市纪〔2025〕9号' },
      { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' },
    );
    const sanctioned = await report('bureau.2025.SANCTIONED_LIST');
    // A reissue is dated the day the change was recorded, not the day the penalty took effect.
    expect(sanctioned).toMatchObject({ revision: 2, issuedOn: shanghaiDate(penalty.events[0].recordedAt), causedBy: { type: 'PenaltyImposed', streamId: 'person-p8' } });
    expect(sanctioned.rows).toEqual([
      { key: `${annualRecord('p8')}:pw-2025-9`, cells: { name: '黄敏', unitAndPost: '综合科 科员（一级科员）', outcome: '基本称职', penalty: '党内警告', decisionDate: '2025-06-01', effectPeriod: expect.stringMatching(/^2025-06-01/) } },
    ]);
    expect(sanctioned.diff).toMatchObject({ added: [{ key: `${annualRecord('p8')}:pw-2025-9` }], removed: [], changed: [] });

    const roster = await report('bureau.2025.ROSTER');
    expect(roster.revision).toBe(2);
    expect(roster.diff.changed).toEqual([{ key: annualRecord('p8'), cells: [{ header: '备注', before: '', after: '党内警告（2025-06-01）' }] }]);
    expect(penalty.events[0].type).toBe('PenaltyImposed');
    expect((await report('bureau.2025Q1.QUARTERLY_FILING')).revision).toBe(1);
    expect((await report('bureau.2025.ANNUAL_REGISTRATION')).revision).toBe(1);
  });

  it('reissues again when a 复核 is filed and when it revises the grade: the changed rows, with the events that caused them', async () => {
    service.today('2026-01-21');
    await service.mutate('fileObjection', { recordId: annualRecord('p3'), reasons: '本人第一、三季度均为好等次，申请复核' }, personActor('p3'));
    const filed = await report('bureau.2025.ROSTER');
    expect(filed).toMatchObject({ revision: 3, causedBy: { type: 'ObjectionFiled' } });
    expect(filed.diff.changed).toEqual([{ key: annualRecord('p3'), cells: [{ header: '备注', before: '', after: '已申请复核，待复核决定' }] }]);

    service.today('2026-02-03');
    await service.mutate('ruleOnObjection', { recordId: annualRecord('p3'), ruling: 'REVISED', grade: 'EXCELLENT', reasons: '经复核，两个季度为好等次，改定为优秀' }, COMMITTEE);
    const revised = await report('bureau.2025.ROSTER');
    expect(revised).toMatchObject({ revision: 4, causedBy: { type: 'GradeRevised', streamId: `appraisal-${annualRecord('p3')}` } });
    expect(revised.diff).toMatchObject({
      added: [],
      removed: [],
      changed: [
        {
          key: annualRecord('p3'),
          cells: [
            { header: '考核等次', before: '称职', after: '优秀' },
            { header: '备注', before: '已申请复核，待复核决定', after: '经复核改变等次' },
          ],
        },
      ],
    });
    const registration = await report('bureau.2025.ANNUAL_REGISTRATION');
    expect(registration).toMatchObject({ revision: 2, causedBy: { type: 'GradeRevised' } });
    expect(registration.diff.changed.map((change: { key: string }) => change.key)).toEqual(['UNIT:office', 'TOTAL']);
    expect(cellsOf(registration.rows, 'TOTAL')).toMatchObject({ 'count:EXCELLENT': 2, 'count:COMPETENT': 6, quotaAllowed: 2, quotaHolds: '是' });
    expect((await report('bureau.2025.SANCTIONED_LIST')).revision).toBe(2);

    const { reportDiff } = await service.query(
      `{ reportDiff(reportId: "bureau.2025.ROSTER", fromRevision: 1, toRevision: 4) { changed { key cells { header before after } } causedBy { type } } }`,
    );
    expect(reportDiff.causedBy.map((cause: { type: string }) => cause.type)).toEqual(['PenaltyImposed', 'ObjectionFiled', 'GradeRevised']);
    expect(reportDiff.changed).toEqual([
      { key: annualRecord('p3'), cells: [{ header: '考核等次', before: '称职', after: '优秀' }, { header: '备注', before: '', after: '经复核改变等次' }] },
      { key: annualRecord('p8'), cells: [{ header: '备注', before: '', after: '党内警告（2025-06-01）' }] },
    ]);
    const first = await report('bureau.2025.ROSTER', 1);
    expect(cellsOf(first.rows, annualRecord('p3'))).toMatchObject({ outcome: '称职', remarks: '' });
  });

  it('exports the reissued roster as XLSX and CSV with the form\'s Chinese headers, from the paths the revision names', async () => {
    const { report: revision } = await service.query(`{ report(reportId: "bureau.2025.ROSTER") { revision exports { xlsx csv } } }`);
    expect(revision).toEqual({
      revision: 4,
      exports: { xlsx: '/reports/bureau.2025.ROSTER/revisions/4/export.xlsx', csv: '/reports/bureau.2025.ROSTER/revisions/4/export.csv' },
    });
    const xlsx = await service.download(revision.exports.xlsx);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(values(2)).toEqual(['序号', '姓名', '单位及职务（职级）', '人员类别', '考核等次', '备注']);
    expect(sheet.rowCount).toBe(2 + 10);
    const p3 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(values).find((row) => row[1] === '张伟');
    expect(p3).toEqual([expect.any(Number), '张伟', '综合科 科员（一级科员）', '公务员', '优秀', '经复核改变等次']);

    const csv = await service.download(revision.exports.csv);
    const lines = csv.body.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('序号,姓名,单位及职务（职级）,人员类别,考核等次,备注');
    expect(lines).toHaveLength(11);
    expect(lines).toContain(`${p3![0]},张伟,综合科 科员（一级科员）,公务员,优秀,经复核改变等次`);
  });

  it('refuses a report revision that does not exist, naming it', async () => {
    const { body } = await service.request(`{ report(reportId: "bureau.2025.ROSTER", revision: 9) { revision } }`);
    expect(body.errors?.[0]).toMatchObject({ message: 'report revision bureau.2025.ROSTER revision 9 does not exist', extensions: { code: 'NOT_FOUND' } });
  });

  it('rebuilds every report revision from zero, row for row', async () => {
    const verification = await service.replayVerification();
    expect(verification.tables.filter((table) => table.table.startsWith('report_')).map((table) => [table.table, table.equal])).toEqual(
      expect.arrayContaining([
        ['report_filing', true],
        ['report_revision', true],
        ['report_revision_row', true],
      ]),
    );
    expect(verification.equal).toBe(true);
  });
});
