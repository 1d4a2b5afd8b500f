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
