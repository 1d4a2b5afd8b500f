import { recordDecider, type RecordCommand, type RecordContext } from '../../src/appraisal/domain/record.decider.js';
import type { RecordEvent } from '../../src/appraisal/domain/record.events.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';
import { deciderSpec, SPEC_METADATA } from '../support/decider-spec.js';
import { TEST_ACTOR } from '../support/events.js';
import { testRuleSet } from '../support/rule-set.fixture.js';

const spec = deciderSpec(recordDecider);
const ruleSet = testRuleSet();
const context: RecordContext = {
  ruleSet,
  calendar: officialCalendar(),
  derivation: { measures: [], efficiencyWarnings: [], quota: { allowance: { denominator: 10, exact: 4, allowed: 4 }, used: 0 } },
};

/** A command issued at a given Asia/Shanghai date (09:00 local). */
function on<T extends RecordCommand['type']>(date: string, type: T, data: Extract<RecordCommand, { type: T }>['data'], actorId = TEST_ACTOR.id) {
  return {
    type,
    data,
    metadata: { ...SPEC_METADATA, actor: { ...TEST_ACTOR, id: actorId }, now: `${date}T01:00:00.000Z` },
  } as Extract<RecordCommand, { type: T }>;
}
const at = (type: RecordCommand['type'], data: unknown) => on('2025-07-01', type as never, data as never);

const opened: RecordEvent = {
  type: 'RecordOpened',
  data: {
    recordId: 'org1.p1.2025Q2',
    cycleId: 'org1.2025Q2',
    organizationId: 'org1',
    unitId: 'unit-a',
    personId: 'p1',
    period: '2025Q2',
    periodKind: 'QUARTERLY',
    category: 'CIVIL_SERVANT',
    subjectRole: 'STAFF',
    participation: { outcome: 'GRADED', reason: '' },
    ruleSetId: 'test-rules',
    ruleSetVersion: 3,
  },
};
const commentOnly: RecordEvent = { ...opened, data: { ...(opened.data as object), participation: { outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' } } } as RecordEvent;
const scored: RecordEvent[] = [
  opened,
  { type: 'ScoresRecorded', data: { raterId: 'head-1', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'performance', points: 50 }, { indicatorId: 'integrity', points: 32 }] } },
];
const reviewed = (grade: string): RecordEvent[] => [
  ...scored,
  { type: 'GradeProposed', data: { grade, proposedBy: 'head-1', reason: '' } },
  { type: 'ProposalReviewed', data: { agrees: true, grade, reviewedBy: 'leader-1', reason: '' } },
];
const finalFairlyGood: RecordEvent[] = [
  ...reviewed('FAIRLY_GOOD'),
  { type: 'GradeDetermined', data: { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 82, suggestedGrade: 'FAIRLY_GOOD', determinedBy: 'committee', requiresPublicNotice: false, trace: [] } },
  { type: 'GradeFinalized', data: { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, finalizedOn: '2025-04-03' } },
];
const published = (on: string): RecordEvent[] => [
  ...finalFairlyGood,
  { type: 'ResultPublished', data: { publishedOn: on, objectionDeadline: '', objectionDays: 15, deadlineRolled: false } },
];

describe('appraisal record: opening and inputs', () => {
  it('opens a record under the rule set in force', () => {
    const { periodKind: _kind, ruleSetId: _id, ruleSetVersion: _version, ...data } = opened.data as Extract<RecordEvent, { type: 'RecordOpened' }>['data'];
    spec.given([]).when(at('OpenRecord', data), context).then([{ ...opened, ruleSetId: 'test-rules' }]);
  });

  it('refuses to open a record twice', () => {
    spec.given([opened]).when(at('OpenRecord', opened.data), context).thenThrows('APPRAISAL.RECORD_ALREADY_OPEN');
  });

  it('refuses any input before the record is opened', () => {
    spec.given([]).when(at('WriteComment', { text: '工作认真' }), context).thenThrows('APPRAISAL.RECORD_NOT_FOUND');
  });

  it('takes a self summary with attendance', () => {
    const data = { text: '本季度完成调研报告三篇', attendance: { daysPresent: 60, sickLeaveDays: 1, personalLeaveDays: 0, lateCount: 0, earlyLeaveCount: 0, trainings: ['公文写作'] } };
    spec.given([opened]).when(at('SubmitSelfSummary', data), context).then([{ type: 'SelfSummarySubmitted', data }]);
    spec.given([opened]).when(at('SubmitSelfSummary', { ...data, text: '  ' }), context).thenThrows('VALIDATION_FAILED');
  });

  it('records scores within each indicator’s points, naming a bad field and what is allowed', () => {
    const data = { raterId: 'head-1', raterRole: 'SUPERIOR' as const, scores: [{ indicatorId: 'performance', points: 55 }] };
    spec.given([opened]).when(at('RecordScores', data), context).then([{ type: 'ScoresRecorded', data }]);
    spec
      .given([opened])
      .when(at('RecordScores', { ...data, scores: [{ indicatorId: 'performance', points: 61 }, { indicatorId: 'charisma', points: 1 }] }), context)
      .thenThrows('VALIDATION_FAILED', {
        details: {
          fields: [
            { field: 'scores.0.points', allowed: '0 to 60' },
            { field: 'scores.1.indicatorId', allowed: 'performance, integrity' },
          ],
        },
      });
  });

  it('does not score a comment-only record', () => {
    spec.given([commentOnly]).when(at('RecordScores', { raterId: 'h', raterRole: 'SUPERIOR', scores: [] }), context).thenThrows('APPRAISAL.NOT_GRADABLE');
  });

  it('counts the same matter once across bonus and deduction', () => {
    const bonus: RecordEvent = { type: 'ScoreAdjustmentRecorded', data: { kind: 'BONUS', matter: '防汛抢险表现突出', points: 3, basis: '市防指通报' } };
    spec.given([opened]).when(at('RecordScoreAdjustment', bonus.data), context).then([bonus]);
    spec.given([opened, bonus]).when(at('RecordScoreAdjustment', { kind: 'BONUS', matter: '防汛抢险 表现突出', points: 2, basis: '' }), context).thenThrows('APPRAISAL.MATTER_ALREADY_COUNTED');
    spec.given([opened]).when(at('RecordScoreAdjustment', { ...bonus.data, points: 0 }), context).thenThrows('VALIDATION_FAILED');
  });

  it('records comments, a democratic evaluation and direct triggers', () => {
    spec.given([opened]).when(at('WriteComment', { text: '政治坚定，业务熟练' }), context).then([{ type: 'CommentWritten', data: { authorId: TEST_ACTOR.id, text: '政治坚定，业务熟练' } }]);
    spec
      .given([opened])
      .when(at('RecordDemocraticEvaluation', { voters: 20, votes: { GOOD: 12, FAIRLY_GOOD: 6 } }), context)
      .then([{ type: 'DemocraticEvaluationRecorded', data: { voters: 20, votes: { GOOD: 12, FAIRLY_GOOD: 6 }, averageScore: null } }]);
    spec.given([opened]).when(at('RecordDemocraticEvaluation', { voters: 5, votes: { GOOD: 6 } }), context).thenThrows('VALIDATION_FAILED', { message: /6 votes from 5 voters/ });
    spec.given([opened]).when(at('RecordDemocraticEvaluation', { voters: 5, votes: { EXCELLENT: 1 } }), context).thenThrows('VALIDATION_FAILED');
    spec.given([opened]).when(at('RecordDemocraticEvaluation', { voters: 5, averageScore: 101 }), context).thenThrows('VALIDATION_FAILED');
    spec.given([opened]).when(at('RecordDirectTrigger', { trigger: 'COMMENDATION', basis: '市政府嘉奖令' }), context).then([{ type: 'DirectTriggerRecorded', data: { trigger: 'COMMENDATION', basis: '市政府嘉奖令' } }]);
  });
});

describe('appraisal record: proposal, review, determination', () => {
  it('proposes and reviews a grade on the scale', () => {
    spec.given(scored).when(at('ProposeGrade', { grade: 'FAIRLY_GOOD', reason: '' }), context).then([{ type: 'GradeProposed', data: { grade: 'FAIRLY_GOOD', proposedBy: TEST_ACTOR.id, reason: '' } }]);
    spec.given(scored).when(at('ProposeGrade', { grade: 'EXCELLENT', reason: '' }), context).thenThrows('VALIDATION_FAILED', { details: { fields: [{ field: 'grade', allowed: 'GOOD, FAIRLY_GOOD, AVERAGE, POOR' }] } });
    spec.given(scored).when(at('ReviewProposal', { agrees: true, reason: '' }), context).thenThrows('APPRAISAL.NO_PROPOSAL');
    spec
      .given([...scored, { type: 'GradeProposed', data: { grade: 'GOOD', proposedBy: 'h', reason: '' } }])
      .when(at('ReviewProposal', { agrees: false, grade: 'FAIRLY_GOOD', reason: '量化得分未达好等次' }), context)
      .then([{ type: 'ProposalReviewed', data: { agrees: false, grade: 'FAIRLY_GOOD', reviewedBy: TEST_ACTOR.id, reason: '量化得分未达好等次' } }]);
    spec.given([...scored, { type: 'GradeProposed', data: { grade: 'GOOD', proposedBy: 'h', reason: '' } }]).when(at('ReviewProposal', { agrees: false, reason: '' }), context).thenThrows('VALIDATION_FAILED');
  });

  it('determines only after review, and a non-top grade is final at once with its trace', () => {
    spec.given(scored).when(at('DetermineGrade', {}), context).thenThrows('APPRAISAL.NOT_REVIEWED');
    const events = recordDecider.decide(at('DetermineGrade', {}) as RecordCommand, stateOf(reviewed('FAIRLY_GOOD')), context);
    expect(events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    const determined = events[0] as Extract<RecordEvent, { type: 'GradeDetermined' }>;
    expect(determined.data).toMatchObject({ outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 82, suggestedGrade: 'FAIRLY_GOOD', requiresPublicNotice: false });
    expect(determined.data.trace.map((step) => step.kind)).toEqual(['PARTICIPATION', 'SCORE', 'BAND', 'DETERMINATION']);
  });

  it('a top grade awaits public notice; the quota and the bars are enforced with the numbers', () => {
    const events = recordDecider.decide(at('DetermineGrade', { grade: 'GOOD' }) as RecordCommand, stateOf(reviewed('GOOD')), context);
    expect(events.map((event) => event.type)).toEqual(['GradeDetermined']);
    expect((events[0] as Extract<RecordEvent, { type: 'GradeDetermined' }>).data.requiresPublicNotice).toBe(true);

    const full = { ...context, derivation: { ...context.derivation!, quota: { allowance: { denominator: 2, exact: 0.8, allowed: 1 }, used: 1 } } };
    spec.given(reviewed('GOOD')).when(at('DetermineGrade', { grade: 'GOOD' }), full).thenThrows('APPRAISAL.QUOTA_EXCEEDED', { details: { allowed: 1, used: 1, available: 0 } });
    spec.given(finalFairlyGood).when(at('DetermineGrade', {}), context).thenThrows('APPRAISAL.ALREADY_DETERMINED');
  });

  it('work-injury leave over half the period fixes the grade the rule set names', () => {
    const injured = {
      ...opened,
      data: { ...(opened.data as object), participation: { outcome: 'GRADED', reason: '因公负伤休假超过考核周期一半，按规定确定等次', fixedGrade: 'FAIRLY_GOOD' } },
    } as RecordEvent;
    const history: RecordEvent[] = [injured, ...reviewed('FAIRLY_GOOD').slice(1)];
    spec.given(history).when(at('DetermineGrade', { grade: 'GOOD' }), context).thenThrows('APPRAISAL.GRADE_FORCED', { details: { required: 'FAIRLY_GOOD' } });
    const [determined] = recordDecider.decide(at('DetermineGrade', {}) as RecordCommand, stateOf(history), context);
    expect(determined).toMatchObject({ data: { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' } } });
  });

  it('a seconded person\'s result comes from the receiving organization and is sent home as the record\'s grade', () => {
    const seconded = {
      ...opened,
      data: { ...(opened.data as object), participation: { outcome: 'GRADED', reason: '借调/挂职期间由接收单位考核，结果反馈派出单位', appraisedBy: 'province-office' } },
    } as RecordEvent;
    spec.given([seconded]).when(at('DetermineGrade', { grade: 'GOOD' }), context).thenThrows('APPRAISAL.APPRAISED_ELSEWHERE', { details: { appraisedBy: 'province-office' } });
    spec
      .given([seconded])
      .when(at('RecordReceivingOrganizationResult', { receivingOrganizationId: 'city-office', grade: 'GOOD', document: '考核结果反馈函' }), context)
      .thenThrows('APPRAISAL.NOT_APPRAISED_THERE');
    spec
      .given([opened])
      .when(at('RecordReceivingOrganizationResult', { receivingOrganizationId: 'province-office', grade: 'GOOD', document: '考核结果反馈函' }), context)
      .thenThrows('APPRAISAL.NOT_APPRAISED_THERE', { details: { appraisedBy: null } });
    const events = recordDecider.decide(
      at('RecordReceivingOrganizationResult', { receivingOrganizationId: 'province-office', grade: 'GOOD', document: '省厅考核结果反馈函〔2025〕3号' }) as RecordCommand,
      stateOf([seconded]),
      context,
    );
    expect(events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    const determined = events[0] as Extract<RecordEvent, { type: 'GradeDetermined' }>;
    expect(determined.data).toMatchObject({ outcome: { kind: 'GRADE', grade: 'GOOD' }, requiresPublicNotice: false });
    expect(determined.data.trace.map((step) => step.explanation)).toEqual([
      '借调/挂职期间由接收单位考核，结果反馈派出单位',
      '接收单位 province-office 考核确定，结果反馈派出单位（省厅考核结果反馈函〔2025〕3号）',
    ]);
  });

  it('a comment-only record is determined without a grade', () => {
    const events = recordDecider.decide(at('DetermineGrade', {}) as RecordCommand, stateOf([commentOnly]), context);
    expect(events[0]).toMatchObject({ type: 'GradeDetermined', data: { outcome: { kind: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' } } });
  });
});

describe('appraisal record: public notice over a holiday (DOMAIN §9 scenario 6)', () => {
  const determinedTop: RecordEvent[] = [
    ...reviewed('GOOD'),
    { type: 'GradeDetermined', data: { outcome: { kind: 'GRADE', grade: 'GOOD' }, score: 95, suggestedGrade: 'GOOD', determinedBy: 'c', requiresPublicNotice: true, trace: [] } },
  ];
  const noticed: RecordEvent[] = [
    ...determinedTop,
    {
      type: 'PublicNoticeStarted',
      data: { startDate: '2025-01-24', workingDays: ['2025-01-24', '2025-01-26', '2025-01-27', '2025-02-05', '2025-02-06'], lastDay: '2025-02-06', finalFrom: '2025-02-07', calendar: 'chinese-days@1.5.7' },
    },
  ];

  it('runs the notice on official working days', () => {
    spec.given(determinedTop).when(on('2025-01-24', 'StartPublicNotice', { startDate: '2025-01-24' }), context).then([noticed[noticed.length - 1]]);
    spec.given(finalFairlyGood).when(at('StartPublicNotice', { startDate: '2025-01-24' }), context).thenThrows('APPRAISAL.NO_NOTICE_NEEDED');
    spec.given(noticed).when(at('StartPublicNotice', { startDate: '2025-01-24' }), context).thenThrows('APPRAISAL.NOTICE_ALREADY_STARTED');
  });

  it('refuses to finalise 优秀 on 2025-02-05 and on the last notice day, naming when it may be; accepts 02-07', () => {
    spec.given(determinedTop).when(on('2025-02-07', 'FinalizeGrade', {}), context).thenThrows('APPRAISAL.NOTICE_NOT_STARTED');
    spec.given(noticed).when(on('2025-02-05', 'FinalizeGrade', {}), context).thenThrows('APPRAISAL.NOTICE_NOT_OVER', { details: { finalFrom: '2025-02-07', today: '2025-02-05' } });
    spec.given(noticed).when(on('2025-02-06', 'FinalizeGrade', {}), context).thenThrows('APPRAISAL.NOTICE_NOT_OVER');
    spec.given(noticed).when(on('2025-02-07', 'FinalizeGrade', {}), context).then([{ type: 'GradeFinalized', data: { outcome: { kind: 'GRADE', grade: 'GOOD' }, finalizedOn: '2025-02-07' } }]);
  });
});

describe('appraisal record: publication, notification, sign-off', () => {
  it('publishes a final result with the objection deadline', () => {
    spec
      .given(finalFairlyGood)
      .when(on('2025-04-07', 'PublishResult', {}), context)
      .then([{ type: 'ResultPublished', data: { publishedOn: '2025-04-07', objectionDeadline: '2025-04-22', objectionDays: 15, deadlineRolled: false } }]);
    spec.given(reviewed('GOOD')).when(at('PublishResult', {}), context).thenThrows('APPRAISAL.NOT_FINAL');
  });

  it('notifies the person, who signs with an opinion; a refusal is recorded and blocks nothing', () => {
    const notified: RecordEvent[] = [...published('2025-04-07'), { type: 'PersonNotified', data: { notifiedOn: '2025-04-08', method: 'WRITTEN' } }];
    spec.given(published('2025-04-07')).when(on('2025-04-08', 'NotifyPerson', { method: 'WRITTEN' }), context).then([notified[notified.length - 1]]);
    spec.given(published('2025-04-07')).when(at('SignOff', { agrees: true, opinion: '' }), context).thenThrows('APPRAISAL.NOT_NOTIFIED');
    spec.given(notified).when(on('2025-04-09', 'SignOff', { agrees: false, opinion: '不同意' }, 'p1'), context).then([{ type: 'ResultSignedOff', data: { agrees: false, opinion: '不同意' } }]);
    spec.given(notified).when(on('2025-04-09', 'SignOff', { agrees: true, opinion: '' }, 'someone-else'), context).thenThrows('APPRAISAL.NOT_THE_APPRAISED_PERSON');
    const refused: RecordEvent = { type: 'SignOffRefused', data: { recordedBy: TEST_ACTOR.id, note: '本人拒绝签字' } };
    spec.given(notified).when(at('RecordRefusalToSign', { note: '本人拒绝签字' }), context).then([refused]);
    spec.given([...notified, refused]).when(at('SignOff', { agrees: true, opinion: '' }), context).thenThrows('APPRAISAL.ALREADY_SIGNED');
    spec.given([...notified, refused]).when(on('2025-04-10', 'FileObjection', { reasons: '评分有误' }), context).then([
      { type: 'ObjectionFiled', data: { contested: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, reasons: '评分有误', filedOn: '2025-04-10', dayOfWindow: 3, deadline: '2025-04-22' } },
    ]);
  });
});

describe('appraisal record: objection (复核) and appeal (申诉)', () => {
  it('DOMAIN §9 scenario 5: published Monday 2025-04-07, day 15 (04-22) accepted, 04-23 rejected naming the deadline', () => {
    spec.given(published('2025-04-07')).when(on('2025-04-22', 'FileObjection', { reasons: '量化评分漏计加分项' }), context).then([
      { type: 'ObjectionFiled', data: { contested: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, reasons: '量化评分漏计加分项', filedOn: '2025-04-22', dayOfWindow: 15, deadline: '2025-04-22' } },
    ]);
    spec
      .given(published('2025-04-07'))
      .when(on('2025-04-23', 'FileObjection', { reasons: '量化评分漏计加分项' }), context)
      .thenThrows('APPRAISAL.OBJECTION_WINDOW_CLOSED', { message: /closed on 2025-04-22/, details: { deadline: '2025-04-22', today: '2025-04-23' } });
  });

  const objected: RecordEvent[] = [
    ...published('2025-04-07'),
    { type: 'ObjectionFiled', data: { contested: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, reasons: 'r', filedOn: '2025-04-10', dayOfWindow: 3, deadline: '2025-04-22' } },
  ];

  it('one objection per record; before publication there is nothing to object to', () => {
    spec.given(finalFairlyGood).when(at('FileObjection', { reasons: 'r' }), context).thenThrows('APPRAISAL.NOT_PUBLISHED');
    spec.given(objected).when(on('2025-04-11', 'FileObjection', { reasons: 'r' }), context).thenThrows('APPRAISAL.OBJECTION_ALREADY_FILED');
  });

  it('the committee upholds, or revises with a new trace while the original stays in history', () => {
    spec.given(objected).when(on('2025-04-20', 'RuleOnObjection', { ruling: 'UPHELD', reasons: '评分无误' }), context).then([
      { type: 'ObjectionRuled', data: { ruling: 'UPHELD', reasons: '评分无误', ruledOn: '2025-04-20', ruledBy: TEST_ACTOR.id } },
    ]);
    const events = recordDecider.decide(on('2025-04-20', 'RuleOnObjection', { ruling: 'REVISED', grade: 'GOOD', reasons: '漏计加分' }) as RecordCommand, stateOf(objected), context);
    expect(events.map((event) => event.type)).toEqual(['ObjectionRuled', 'GradeRevised']);
    expect(events[1]).toMatchObject({ data: { from: { grade: 'FAIRLY_GOOD' }, to: { grade: 'GOOD' }, cause: 'OBJECTION' } });
    spec.given(objected).when(at('RuleOnObjection', { ruling: 'REVISED', reasons: 'x' }), context).thenThrows('VALIDATION_FAILED');
    spec.given(published('2025-04-07')).when(at('RuleOnObjection', { ruling: 'UPHELD', reasons: 'x' }), context).thenThrows('APPRAISAL.NO_PENDING_OBJECTION');
  });

  it('an appeal follows a ruling, within the appeal window', () => {
    const ruled: RecordEvent[] = [...objected, { type: 'ObjectionRuled', data: { ruling: 'UPHELD', reasons: 'x', ruledOn: '2025-04-20', ruledBy: 'c' } }];
    spec.given(objected).when(on('2025-04-21', 'FileAppeal', { reasons: 'r' }), context).thenThrows('APPRAISAL.NO_OBJECTION_RULING');
    spec.given(ruled).when(on('2025-05-06', 'FileAppeal', { reasons: '不服复核决定' }), context).then([{ type: 'AppealFiled', data: { reasons: '不服复核决定', filedOn: '2025-05-06', deadline: '2025-05-06' } }]);
    spec.given(ruled).when(on('2025-05-07', 'FileAppeal', { reasons: 'r' }), context).thenThrows('APPRAISAL.APPEAL_WINDOW_CLOSED', { details: { deadline: '2025-05-06' } });
    const appealed: RecordEvent[] = [...ruled, { type: 'AppealFiled', data: { reasons: 'r', filedOn: '2025-05-01', deadline: '2025-05-06' } }];
    spec.given(appealed).when(on('2025-05-06', 'FileAppeal', { reasons: 'r' }), context).thenThrows('APPRAISAL.APPEAL_ALREADY_FILED');
    spec.given(appealed).when(on('2025-06-01', 'DecideAppeal', { decision: 'UPHELD', reasons: '维持', authority: '市公务员局' }), context).then([
      { type: 'AppealDecided', data: { decision: 'UPHELD', reasons: '维持', authority: '市公务员局', decidedOn: '2025-06-01' } },
    ]);
  });
});

function stateOf(events: RecordEvent[]) {
  return events.reduce(recordDecider.evolve, recordDecider.initialState());
}

describe('appraisal record: investigation, withholding and backfill (DOMAIN §4.4)', () => {
  const investigation = { caseId: 'case-7', openedOn: '2025-05-10' };
  const underCase = { ...context, investigation };
  const topScored: RecordEvent[] = [
    opened,
    { type: 'ScoresRecorded', data: { raterId: 'head-1', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'performance', points: 58 }, { indicatorId: 'integrity', points: 38 }] } },
  ];
  const withheld = (): RecordEvent[] => [...topScored, ...recordDecider.decide(at('DetermineGrade', {}) as RecordCommand, stateOf(topScored), underCase)];

  it('writes no comment and gives no grade while the case is open', () => {
    spec.given(topScored).when(at('WriteComment', { text: '表现良好' }), underCase).thenThrows('APPRAISAL.UNDER_INVESTIGATION', { details: { caseId: 'case-7' } });
    spec.given(topScored).when(at('DetermineGrade', { grade: 'GOOD' }), underCase).thenThrows('APPRAISAL.UNDER_INVESTIGATION', { message: /case case-7, opened 2025-05-10/ });
    const events = withheld().slice(topScored.length);
    expect(events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    expect(events[0]).toMatchObject({ data: { outcome: { kind: 'WITHHELD_INVESTIGATION' }, withheldByCase: 'case-7', requiresPublicNotice: false } });
  });

  it('backfills from the period\'s scores when the case closes with a warning, never the top grade', () => {
    const [backfilled] = recordDecider.decide(at('BackfillGrade', { caseId: 'case-7', caseOutcome: 'WARNING' }) as RecordCommand, stateOf(withheld()), context);
    expect(backfilled).toMatchObject({ type: 'GradeBackfilled', data: { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 96, caseId: 'case-7', caseOutcome: 'WARNING' } });
    const trace = (backfilled as Extract<RecordEvent, { type: 'GradeBackfilled' }>).data.trace;
    expect(trace.find((step) => step.conclusion === 'BACKFILL WARNING')?.explanation).toMatch(/不得确定为好/);
  });

  it('backfills the top grade after no penalty while the quota allows, and the next grade when it is full', () => {
    const [free] = recordDecider.decide(at('BackfillGrade', { caseId: 'case-7', caseOutcome: 'NO_PENALTY' }) as RecordCommand, stateOf(withheld()), context);
    expect(free).toMatchObject({ data: { outcome: { grade: 'GOOD' } } });
    const full = { ...context, derivation: { ...context.derivation!, quota: { allowance: { denominator: 5, exact: 2, allowed: 2 }, used: 2 } } };
    const [limited] = recordDecider.decide(at('BackfillGrade', { caseId: 'case-7', caseOutcome: 'NO_PENALTY' }) as RecordCommand, stateOf(withheld()), full);
    expect(limited).toMatchObject({ data: { outcome: { grade: 'FAIRLY_GOOD' } } });
    expect((limited as Extract<RecordEvent, { type: 'GradeBackfilled' }>).data.trace.map((step) => step.conclusion)).toContain('QUOTA_EXHAUSTED');
  });

  it('leaves the record ungraded for good after a heavier penalty, and refuses a case that did not withhold it', () => {
    spec.given(withheld()).when(at('LeaveUngraded', { caseId: 'case-7', caseOutcome: 'HEAVIER' }), context).then([
      { type: 'RecordLeftUngraded', data: { caseId: 'case-7', caseOutcome: 'HEAVIER', reason: '案件 case-7 以重于警告的处分结案：该期不补定等次' } },
    ]);
    spec.given(withheld()).when(at('BackfillGrade', { caseId: 'case-8', caseOutcome: 'NO_PENALTY' }), context).thenThrows('APPRAISAL.NOT_WITHHELD_BY_CASE', { details: { withheldBy: 'case-7' } });
    const backfilled = recordDecider.decide(at('BackfillGrade', { caseId: 'case-7', caseOutcome: 'WARNING' }) as RecordCommand, stateOf(withheld()), context);
    spec.given([...withheld(), ...backfilled]).when(at('BackfillGrade', { caseId: 'case-7', caseOutcome: 'WARNING' }), context).thenThrows('APPRAISAL.NOT_WITHHELD_BY_CASE');
  });
});

describe('appraisal record: a sanction takes the grade away', () => {
  it('is determined comment only without a proposal or review', () => {
    const demerit = { measures: [{ measure: 'GOVERNMENT_DEMERIT' as const, effectiveDate: '2025-05-01' }], efficiencyWarnings: [] };
    const sanctioned = { ...context, derivation: { ...context.derivation!, ...demerit } };
    const events = recordDecider.decide(at('DetermineGrade', {}) as RecordCommand, stateOf(scored), sanctioned);
    expect(events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    expect(events[0]).toMatchObject({ data: { outcome: { kind: 'COMMENT_ONLY' }, suggestedGrade: null } });
    spec.given(reviewed('FAIRLY_GOOD')).when(at('DetermineGrade', { grade: 'FAIRLY_GOOD' }), sanctioned).thenThrows('APPRAISAL.NOT_GRADABLE');
  });
});
