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

/** A full 2025Q2 quarterly appraisal (平时考核) of 综合科 over GraphQL, under national-current. */
const PERIOD = '2025Q2';
const record = (personId: string) => recordId(personId, PERIOD);

/** The unit head's score and proposal for each graded person: five 好 proposed for four places. */
const APPRAISALS: Record<string, { score: number; proposed: string }> = {
  p1: { score: 96, proposed: 'GOOD' },
  p2: { score: 95, proposed: 'GOOD' },
  p3: { score: 93, proposed: 'GOOD' },
  p4: { score: 92, proposed: 'GOOD' },
  p5: { score: 91, proposed: 'GOOD' },
  p6: { score: 86, proposed: 'FAIRLY_GOOD' },
  p7: { score: 80, proposed: 'FAIRLY_GOOD' },
  p8: { score: 70, proposed: 'AVERAGE' },
  p9: { score: 58, proposed: 'POOR' },
};
const TOP_GRADED = ['p1', 'p2', 'p3', 'p4'];

const RECORD_QUERY = `query Record($recordId: String!) {
  appraisalRecord(recordId: $recordId) {
    recordId personId status signedOff objectionStatus appealStatus publishedOn publicNoticeFinalFrom
    participation { outcome reason }
    outcome { kind grade reason label }
  }
}`;

const TRACE_QUERY = `query Trace($recordId: String!) {
  gradeTrace(recordId: $recordId) {
    recordId
    current {
      eventId kind determinedBy score suggestedGrade
      outcome { kind grade label }
      ruleSet { id version name }
      steps { kind kindLabel rule { ruleSetId ruleSetVersion clause } inputs { eventId globalPosition } conclusion explanation values }
    }
    history { kind outcome { grade } }
  }
}`;

let service: GraphQLTestApp;
let indicators: Indicator[];

async function appraisalRecord(personId: string) {
  return (await service.query(RECORD_QUERY, { recordId: record(personId) })).appraisalRecord;
}

async function streamEvents(streamId: string): Promise<{ eventId: string; globalPosition: string; type: string }[]> {
  const data = await service.query('query Stream($streamId: String!) { events(streamId: $streamId, first: 500) { edges { node { eventId globalPosition type } } } }', { streamId });
  return data.events.edges.map((edge: { node: { eventId: string; globalPosition: string; type: string } }) => edge.node);
}

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
  indicators = await fiveElementIndicators(service);
});

afterAll(() => service.close());

describe('a quarterly cycle of a ten-person unit, end to end over GraphQL', () => {
  it('opens 2025Q2 with a record per person; the person on probation is comment only', async () => {
    service.today('2025-07-01');
    const opened = await service.mutate('openCycle', { organizationId: 'bureau', period: PERIOD, personIds: PEOPLE }, HR);
    expect(opened).toMatchObject({ streamId: 'cycle-bureau.2025Q2', replayed: false, events: [{ type: 'CycleOpened', metadata: { effectiveAt: '2025-07-01', actor: HR } }] });

    const { cycle } = await service.query('{ cycle(organizationId: "bureau", period: "2025Q2") { cycleId status participants { personId recordId unitId participation { outcome reason } } } }');
    expect(cycle).toMatchObject({ cycleId: 'bureau.2025Q2', status: 'OPEN' });
    expect(cycle.participants).toHaveLength(10);
    expect(cycle.participants.find((participant: { personId: string }) => participant.personId === ON_PROBATION)).toEqual({
      personId: ON_PROBATION,
      recordId: record(ON_PROBATION),
      unitId: 'office',
      participation: { outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' },
    });
  });

  it('takes self summaries, the unit head\'s scores on every indicator and comments; the probationer is not scored', async () => {
    service.today('2025-07-02');
    for (const personId of PEOPLE) {
      await service.mutate('submitSelfSummary', { recordId: record(personId), text: `${personId} 第二季度工作小结`, attendance: attendance(61) }, personActor(personId));
    }
    service.today('2025-07-03');
    for (const personId of GRADED) {
      const scored = await service.mutate(
        'recordScores',
        { recordId: record(personId), raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, APPRAISALS[personId].score) },
        UNIT_HEAD,
      );
      expect(scored.events[0].data.scores).toHaveLength(17);
    }
    const probationScores = await service.refusal(
      'recordScores',
      { recordId: record(ON_PROBATION), raterId: UNIT_HEAD.id, raterRole: 'SUPERIOR', scores: scoreSheet(indicators, 90) },
      UNIT_HEAD,
    );
    expect(probationScores).toMatchObject({ message: 'cannot record scores: 试用期人员只写评语、不定等次', extensions: { code: 'APPRAISAL.NOT_GRADABLE' } });
    for (const personId of PEOPLE) {
      await service.mutate('writeComment', { recordId: record(personId), text: `${personId}：工作认真，作风扎实。` }, UNIT_HEAD);
    }
  });

  it('has the unit head propose and the supervising leader review every grade', async () => {
    service.today('2025-07-04');
    for (const personId of GRADED) {
      await service.mutate('proposeGrade', { recordId: record(personId), grade: APPRAISALS[personId].proposed, reason: `量化得分 ${APPRAISALS[personId].score}` }, UNIT_HEAD);
      await service.mutate('reviewProposal', { recordId: record(personId), agrees: true, reason: '同意' }, LEADER);
    }
  });

  it('determines grades within the quota: 9 graded × 40% = 3.6, half-up 4 好, so the fifth is refused with its numbers', async () => {
    service.today('2025-07-07');
    for (const personId of TOP_GRADED) {
      const determined = await service.mutate('determineGrade', { recordId: record(personId), grade: 'GOOD' }, COMMITTEE);
      expect(determined.events.map((event) => event.type)).toEqual(['GradeDetermined']);
      expect(determined.events[0].data).toMatchObject({ outcome: { kind: 'GRADE', grade: 'GOOD' }, requiresPublicNotice: true, determinedBy: COMMITTEE.id });
    }

    const fifth = await service.refusal('determineGrade', { recordId: record('p5'), grade: 'GOOD' }, COMMITTEE);
    expect(fifth.message).toBe('no top grade left in bureau: cap 0.4 of 9 allows 4 (HALF_UP), 4 used, 0 available');
    expect(fifth.extensions).toEqual({ code: 'APPRAISAL.QUOTA_EXCEEDED', cap: 0.4, denominator: 9, allowed: 4, used: 4, available: 0, scope: 'bureau' });

    const fairlyGood = await service.mutate('determineGrade', { recordId: record('p5'), grade: 'FAIRLY_GOOD' }, COMMITTEE);
    expect(fairlyGood.events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    for (const personId of ['p6', 'p7', 'p8', 'p9', ON_PROBATION]) {
      const determined = await service.mutate('determineGrade', { recordId: record(personId) }, COMMITTEE);
      expect(determined.events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    }
    const { cycle } = await service.query('{ cycle(organizationId: "bureau", period: "2025Q2") { topGradesReserved } }');
    expect(cycle.topGradesReserved).toBe(4);
  });

  it('explains a grade: each step with its rule, its Chinese label and the recorded events it read', async () => {
    const { gradeTrace } = await service.query(TRACE_QUERY, { recordId: record('p1') });
    const { current } = gradeTrace;
    expect(current).toMatchObject({
      kind: 'DETERMINED',
      determinedBy: COMMITTEE.id,
      score: 96,
      suggestedGrade: 'GOOD',
      outcome: { kind: 'GRADE', grade: 'GOOD', label: '好' },
      ruleSet: { id: 'national-current', version: 1 },
    });
    expect(gradeTrace.history).toEqual([{ kind: 'DETERMINED', outcome: { grade: 'GOOD' } }]);
    expect(current.steps.map((step: { kind: string; kindLabel: string; conclusion: string; explanation: string }) => [step.kind, step.kindLabel, step.conclusion, step.explanation])).toEqual([
      ['PARTICIPATION', '参加考核情况', 'GRADED', '参加考核，确定等次'],
      ['SCORE', '量化评分', 'SCORE 96', '指标得分 96，加分 0，减分 0，量化得分 96'],
      ['BAND', '分数段对应等次', 'BAND GOOD', '96 分对应等次：好'],
      ['QUOTA', '优秀（好）等次比例限额', 'QUOTA_AVAILABLE', '好名额：9 人 × 0.4 = 3.60，取整（HALF_UP）为 4，已用 0'],
      ['DETERMINATION', '确定等次', 'GRADE GOOD', '确定为好'],
    ]);
    expect(current.steps[3]).toMatchObject({
      rule: { ruleSetId: 'national-current', ruleSetVersion: 1, clause: 'quotas.QUARTERLY' },
      values: { denominator: 9, cap: 0.4, allowed: 4, used: 0, available: 4 },
    });

    const stream = await streamEvents(`appraisal-${record('p1')}`);
    const cited = (type: string) => stream.filter((event) => event.type === type).map(({ eventId, globalPosition }) => ({ eventId, globalPosition }));
    expect(current.steps[0].inputs).toEqual(cited('RecordOpened'));
    expect(current.steps[1].inputs).toEqual(cited('ScoresRecorded'));
    expect(current.eventId).toBe(cited('GradeDetermined')[0].eventId);
  });

  it('finalises the 好 grades only after five working days of public notice', async () => {
    service.today('2025-07-08');
    for (const personId of TOP_GRADED) {
      const notice = await service.mutate('startPublicNotice', { recordId: record(personId), startDate: '2025-07-08' }, HR);
      expect(notice.events[0].data).toMatchObject({
        workingDays: ['2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14'],
        lastDay: '2025-07-14',
        finalFrom: '2025-07-15',
      });
    }
    service.today('2025-07-14');
    const early = await service.refusal('finalizeGrade', { recordId: record('p1') }, COMMITTEE);
    expect(early.extensions).toEqual({ code: 'APPRAISAL.NOTICE_NOT_OVER', finalFrom: '2025-07-15', today: '2025-07-14' });

    service.today('2025-07-15');
    for (const personId of TOP_GRADED) {
      const finalized = await service.mutate('finalizeGrade', { recordId: record(personId) }, COMMITTEE);
      expect(finalized.events[0]).toMatchObject({ type: 'GradeFinalized', data: { finalizedOn: '2025-07-15' } });
    }
  });

  it('publishes every result with the 15-day objection deadline, notifies each person, and records the signatures and one refusal', async () => {
    for (const personId of PEOPLE) {
      const published = await service.mutate('publishResult', { recordId: record(personId) }, HR);
      expect(published.events[0].data).toEqual({ publishedOn: '2025-07-15', objectionDeadline: '2025-07-30', objectionDays: 15, deadlineRolled: false });
    }
    service.today('2025-07-16');
    for (const personId of PEOPLE) await service.mutate('notifyPerson', { recordId: record(personId), method: 'WRITTEN' }, HR);

    service.today('2025-07-17');
    // Only the appraised person signs: HR is refused at the edge, and so is a colleague.
    const notTheirs = await service.refusal('signOff', { recordId: record('p1'), agrees: true, opinion: '' }, HR);
    expect(notTheirs.extensions).toMatchObject({ code: 'FORBIDDEN', operation: 'signOff', reason: 'ROLE_NOT_ALLOWED', allowedRoles: ['APPRAISED'] });
    const colleague = await service.refusal('signOff', { recordId: record('p1'), agrees: true, opinion: '' }, personActor('p2'));
    expect(colleague.extensions).toMatchObject({ code: 'FORBIDDEN', operation: 'signOff', reason: 'NOT_OWN_RECORD', target: `record ${record('p1')}` });
    for (const personId of PEOPLE.filter((candidate) => candidate !== 'p9')) {
      const agrees = personId !== 'p5';
      await service.mutate('signOff', { recordId: record(personId), agrees, opinion: agrees ? '同意' : '本人量化得分 91 分，应为好等次' }, personActor(personId));
    }
    const refusal = await service.mutate('recordRefusalToSign', { recordId: record('p9'), note: '本人拒绝签字，经两名工作人员见证' }, HR);
    expect(refusal.events[0]).toMatchObject({ type: 'SignOffRefused', data: { recordedBy: HR.id } });
  });

  it('takes an objection within the window and the committee\'s ruling', async () => {
    service.today('2025-07-21');
    const filed = await service.mutate('fileObjection', { recordId: record('p5'), reasons: '本人量化得分 91 分，达到好等次分数段' }, personActor('p5'));
    expect(filed.events[0].data).toMatchObject({ contested: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, filedOn: '2025-07-21', dayOfWindow: 6, deadline: '2025-07-30' });

    service.today('2025-07-25');
    const ruled = await service.mutate('ruleOnObjection', { recordId: record('p5'), ruling: 'UPHELD', reasons: '本季度好等次名额已满，维持较好等次' }, COMMITTEE);
    expect(ruled.events).toHaveLength(1);
    expect(ruled.events[0]).toMatchObject({ type: 'ObjectionRuled', data: { ruling: 'UPHELD', ruledOn: '2025-07-25', ruledBy: COMMITTEE.id } });
  });

  it('ends with every record published and signed, each outcome with its Chinese label', async () => {
    const outcomes = await Promise.all(PEOPLE.map(appraisalRecord));
    expect(outcomes.map(({ personId, status, signedOff, publishedOn, objectionStatus, outcome }) => ({ personId, status, signedOff, publishedOn, objectionStatus, outcome }))).toEqual([
      ...['p1', 'p2', 'p3', 'p4'].map((personId) => ({ personId, outcome: { kind: 'GRADE', grade: 'GOOD', reason: null, label: '好' } })),
      { personId: 'p5', outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD', reason: null, label: '较好' }, objectionStatus: 'RULED' },
      ...['p6', 'p7'].map((personId) => ({ personId, outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD', reason: null, label: '较好' } })),
      { personId: 'p8', outcome: { kind: 'GRADE', grade: 'AVERAGE', reason: null, label: '一般' } },
      { personId: 'p9', outcome: { kind: 'GRADE', grade: 'POOR', reason: null, label: '较差' } },
      {
        personId: ON_PROBATION,
        outcome: { kind: 'COMMENT_ONLY', grade: null, reason: '试用期人员只写评语、不定等次', label: '只写评语、不定等次（试用期人员只写评语、不定等次）' },
      },
    ].map((expected) => ({ status: 'PUBLISHED', signedOff: true, publishedOn: '2025-07-15', objectionStatus: 'NONE', ...expected })));
    expect((await appraisalRecord('p1')).publicNoticeFinalFrom).toBe('2025-07-15');
  });
});
