import type { RecordEvent } from '../../src/appraisal/domain/record.events.js';
import {
  evolvePersonFacts,
  evolveRecordFacts,
  openedRecordFacts,
  postOn,
  registeredPersonFacts,
  type PersonFactEvent,
  type PersonFacts,
  type RecordFacts,
} from '../../src/reports/domain/report-facts.js';
import { recordOpened } from './report-fixtures.js';

/** What the reports read of records and people, kept current event by event. */

type RecordEventOf<Type extends RecordEvent['type']> = Pick<Extract<RecordEvent, { type: Type }>, 'type' | 'data'>;
const recordEvent = <Type extends RecordEvent['type']>(type: Type, data: Extract<RecordEvent, { type: Type }>['data']) => ({ type, data }) as unknown as RecordEventOf<Type>;
type PersonEventOf<Type extends PersonFactEvent['type']> = Pick<Extract<PersonFactEvent, { type: Type }>, 'type' | 'data'>;
const personEvent = <Type extends PersonFactEvent['type']>(type: Type, data: Extract<PersonFactEvent, { type: Type }>['data']) => ({ type, data }) as unknown as PersonEventOf<Type>;

const opened = openedRecordFacts(recordOpened({ recordId: 'bureau.p01.2025Q2', personId: 'p01', period: '2025Q2' }));

const WITHHELD = { kind: 'WITHHELD_INVESTIGATION' as const, reason: '立案审查调查期间' };

/** Applies events in order, failing on one that changes nothing. */
function apply(facts: RecordFacts, ...events: Pick<RecordEvent, 'type' | 'data'>[]): RecordFacts {
  return events.reduce((current, event) => {
    const next = evolveRecordFacts(current, event);
    if (!next) throw new Error(`${event.type} changed nothing`);
    return next;
  }, facts);
}

describe('record facts', () => {
  it('open with the record’s identity, participation and rule set, and nothing decided', () => {
    expect(opened).toEqual({
      recordId: 'bureau.p01.2025Q2',
      organizationId: 'bureau',
      unitId: 'unit-a',
      personId: 'p01',
      period: '2025Q2',
      periodKind: 'QUARTERLY',
      category: 'CIVIL_SERVANT',
      participation: { outcome: 'GRADED', reason: '' },
      ruleSetId: 'national-current',
      ruleSetVersion: 1,
      outcome: null,
      proposedGrade: null,
      democratic: null,
      caseSettlement: null,
      objection: null,
      corrected: false,
    });
  });

  it.each([
    recordEvent('CommentWritten', { authorId: 'head-1', text: '工作认真' }),
    recordEvent('ResultSignedOff', { agrees: true, opinion: '同意' }),
    recordEvent('SignOffRefused', { recordedBy: 'hr-001', note: '拒绝签字' }),
    recordEvent('SelfSummarySubmitted', {
      text: '本季度完成……',
      attendance: { daysPresent: 60, sickLeaveDays: 0, personalLeaveDays: 0, lateCount: 0, earlyLeaveCount: 0, trainings: [] },
    }),
    recordEvent('ScoresRecorded', { raterId: 'head-1', raterRole: 'UNIT_HEAD', scores: [{ indicatorId: 'workload', points: 14 }] }),
    recordEvent('ProposalReviewed', { agrees: true, grade: 'GOOD', reviewedBy: 'leader-1', reason: '' }),
    recordEvent('PublicNoticeStarted', { startDate: '2025-07-01', workingDays: [], lastDay: '2025-07-07', finalFrom: '2025-07-08', calendar: 'cn' }),
    recordEvent('ResultPublished', { publishedOn: '2025-07-10', objectionDeadline: '2025-07-25', objectionDays: 15, deadlineRolled: false }),
    recordEvent('PersonNotified', { notifiedOn: '2025-07-11', method: 'WRITTEN' }),
    recordEvent('GradeFlagged', { factEventId: 'e-1', factType: 'AdmonitionIssued', code: 'X', reason: '事后记录的诫勉' }),
    recordEvent('AppealFiled', { reasons: '不服', filedOn: '2025-08-01', deadline: '2025-08-05' }),
  ])('ignore $type', (event) => {
    expect(evolveRecordFacts(opened, event)).toBeUndefined();
  });

  it('take the proposal, the democratic votes and the determined then finalised outcome', () => {
    const facts = apply(
      opened,
      recordEvent('GradeProposed', { grade: 'FAIRLY_GOOD', proposedBy: 'head-1', reason: '' }),
      recordEvent('DemocraticEvaluationRecorded', { voters: 12, votes: { GOOD: 7, FAIRLY_GOOD: 5 }, averageScore: 88.5 }),
      recordEvent('GradeDetermined', { outcome: { kind: 'GRADE', grade: 'GOOD' }, score: 91, suggestedGrade: 'GOOD', determinedBy: 'leader-1', requiresPublicNotice: true, trace: [] }),
    );
    expect(facts).toMatchObject({ proposedGrade: 'FAIRLY_GOOD', democratic: { voters: 12, votes: { GOOD: 7, FAIRLY_GOOD: 5 } }, outcome: { kind: 'GRADE', grade: 'GOOD' } });
    expect(facts.democratic).toEqual({ voters: 12, votes: { GOOD: 7, FAIRLY_GOOD: 5 } });
    const finalised = apply(facts, recordEvent('GradeFinalized', { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, finalizedOn: '2025-07-08' }));
    expect(finalised.outcome).toEqual({ kind: 'GRADE', grade: 'FAIRLY_GOOD' });
    // Nothing is changed in place.
    expect(opened.outcome).toBeNull();
    expect(facts.outcome).toEqual({ kind: 'GRADE', grade: 'GOOD' });
  });

  it('follow an objection from filing to ruling, and a revision on objection is not a correction', () => {
    const determined = apply(opened, recordEvent('GradeDetermined', { outcome: { kind: 'GRADE', grade: 'AVERAGE' }, score: 70, suggestedGrade: 'AVERAGE', determinedBy: 'leader-1', requiresPublicNotice: false, trace: [] }));
    const filed = apply(determined, recordEvent('ObjectionFiled', { contested: { kind: 'GRADE', grade: 'AVERAGE' }, reasons: '评分有误', filedOn: '2025-07-15', dayOfWindow: 5, deadline: '2025-07-25' }));
    expect(filed.objection).toEqual({ ruling: 'PENDING' });
    const upheld = apply(filed, recordEvent('ObjectionRuled', { ruling: 'UPHELD', reasons: '', ruledOn: '2025-07-30', ruledBy: 'committee' }));
    expect(upheld.objection).toEqual({ ruling: 'UPHELD' });
    // A REVISED ruling comes with its GradeRevised, which records both (one reissue, not two).
    expect(evolveRecordFacts(filed, recordEvent('ObjectionRuled', { ruling: 'REVISED', reasons: '', ruledOn: '2025-07-30', ruledBy: 'committee' }))).toBeUndefined();
    const revised = apply(
      filed,
      recordEvent('GradeRevised', { from: { kind: 'GRADE', grade: 'AVERAGE' }, to: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 78, cause: 'OBJECTION', trace: [] }),
    );
    expect(revised).toMatchObject({ objection: { ruling: 'REVISED' }, outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, corrected: false });
  });

  it('mark a revision with cause CORRECTION as corrected, for good', () => {
    const corrected = apply(
      opened,
      recordEvent('GradeFinalized', { outcome: { kind: 'GRADE', grade: 'GOOD' }, finalizedOn: '2025-07-08' }),
      recordEvent('GradeRevised', { from: { kind: 'GRADE', grade: 'GOOD' }, to: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: null, cause: 'CORRECTION', trace: [] }),
    );
    expect(corrected).toMatchObject({ outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, corrected: true });
    expect(corrected.objection).toBeNull();
    const laterAppeal = apply(corrected, recordEvent('GradeRevised', { from: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, to: { kind: 'GRADE', grade: 'AVERAGE' }, score: null, cause: 'APPEAL', trace: [] }));
    expect(laterAppeal).toMatchObject({ outcome: { kind: 'GRADE', grade: 'AVERAGE' }, corrected: true, objection: null });
  });

  it('settle a withheld record by backfill (补定) or leave it ungraded, naming the case', () => {
    const withheld = apply(opened, recordEvent('GradeDetermined', { outcome: WITHHELD, score: null, suggestedGrade: null, determinedBy: 'system', requiresPublicNotice: false, trace: [], withheldByCase: 'C-1' }));
    expect(withheld.outcome).toEqual(WITHHELD);
    expect(withheld.caseSettlement).toBeNull();

    const backfilled = apply(withheld, recordEvent('GradeBackfilled', { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 86, caseId: 'C-1', caseOutcome: 'WARNING', trace: [] }));
    expect(backfilled).toMatchObject({ outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, caseSettlement: { caseId: 'C-1', caseOutcome: 'WARNING', backfilled: true } });

    const ungraded = apply(withheld, recordEvent('RecordLeftUngraded', { caseId: 'C-1', caseOutcome: 'GOVERNMENT_DEMERIT', reason: '案件结案给予记过处分，不予补定' }));
    expect(ungraded).toMatchObject({
      outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '案件结案给予记过处分，不予补定' },
      caseSettlement: { caseId: 'C-1', caseOutcome: 'GOVERNMENT_DEMERIT', backfilled: false },
    });
  });
});

describe('person facts', () => {
  const registered = registeredPersonFacts({
    personId: 'p01',
    name: '张一',
    category: 'REFERENCE_MANAGED',
    organizationId: 'bureau',
    position: '科员',
    rank: '一级科员',
    isSectionHead: false,
    inPostSince: '2019-07-01',
  });
  const penalty = (measureId: string, effectiveDate: string) =>
    personEvent('PenaltyImposed', {
      personId: 'p01',
      measureId,
      measure: 'GOVERNMENT_WARNING',
      decisionDate: effectiveDate,
      effectiveDate,
      periodMonths: null,
      termYears: null,
      authority: '市纪委监委',
      documentNumber: '市纪发〔2025〕1号',
      caseId: 'C-1',
    });
  const applyAll = (facts: PersonFacts, ...events: Pick<PersonFactEvent, 'type' | 'data'>[]) =>
    events.reduce((current, event) => {
      const next = evolvePersonFacts(current, event);
      if (!next) throw new Error(`${event.type} changed nothing`);
      return next;
    }, facts);

  it('register with the first post', () => {
    expect(registered).toEqual({
      personId: 'p01',
      name: '张一',
      category: 'REFERENCE_MANAGED',
      posts: [{ effectiveDate: '2019-07-01', organizationId: 'bureau', position: '科员', rank: '一级科员' }],
      measures: [],
    });
  });

  it('keep posts in date order however late a change is recorded, and give the post in force on a date', () => {
    const facts = applyAll(
      registered,
      personEvent('PostChanged', { personId: 'p01', organizationId: 'bureau', position: '科长', rank: '一级主任科员', isSectionHead: true, effectiveDate: '2026-01-15' }),
      personEvent('PostChanged', { personId: 'p01', organizationId: 'bureau', position: '副科长', rank: '四级主任科员', isSectionHead: false, effectiveDate: '2025-06-01' }),
    );
    expect(facts.posts.map((post) => post.effectiveDate)).toEqual(['2019-07-01', '2025-06-01', '2026-01-15']);
    expect(postOn(facts, '2025-05-31')?.position).toBe('科员');
    expect(postOn(facts, '2025-06-01')?.position).toBe('副科长');
    expect(postOn(facts, '2025-12-31')?.position).toBe('副科长');
    expect(postOn(facts, '2026-01-15')?.position).toBe('科长');
    // Before any post: the first one.
    expect(postOn(facts, '2018-01-01')?.position).toBe('科员');
  });

  it('add every kind of measure without the documents’ details, then lift or revoke one by id', () => {
    const measureData = (measureId: string, measure: 'ADMONITION' | 'ORGANIZATIONAL_ADJUSTMENT' | 'EFFICIENCY_WARNING') => ({
      personId: 'p01',
      measureId,
      measure,
      decisionDate: '2025-03-01',
      effectiveDate: '2025-03-02',
      periodMonths: null,
      termYears: null,
      authority: '局党组',
      documentNumber: '',
      caseId: null,
    });
    const facts = applyAll(
      registered,
      penalty('m-1', '2025-01-10'),
      personEvent('AdmonitionIssued', measureData('m-2', 'ADMONITION')),
      personEvent('OrganizationalActionTaken', measureData('m-3', 'ORGANIZATIONAL_ADJUSTMENT')),
      personEvent('EfficiencyWarningIssued', measureData('m-4', 'EFFICIENCY_WARNING')),
    );
    expect(facts.measures).toEqual([
      { measureId: 'm-1', measure: 'GOVERNMENT_WARNING', decisionDate: '2025-01-10', effectiveDate: '2025-01-10', periodMonths: null, termYears: null, liftedOn: null, revoked: false },
      { measureId: 'm-2', measure: 'ADMONITION', decisionDate: '2025-03-01', effectiveDate: '2025-03-02', periodMonths: null, termYears: null, liftedOn: null, revoked: false },
      { measureId: 'm-3', measure: 'ORGANIZATIONAL_ADJUSTMENT', decisionDate: '2025-03-01', effectiveDate: '2025-03-02', periodMonths: null, termYears: null, liftedOn: null, revoked: false },
      { measureId: 'm-4', measure: 'EFFICIENCY_WARNING', decisionDate: '2025-03-01', effectiveDate: '2025-03-02', periodMonths: null, termYears: null, liftedOn: null, revoked: false },
    ]);

    const lifted = applyAll(facts, personEvent('MeasureLifted', { personId: 'p01', measureId: 'm-1', date: '2025-05-01' }));
    expect(lifted.measures.map((measure) => [measure.measureId, measure.liftedOn, measure.revoked])).toEqual([
      ['m-1', '2025-05-01', false],
      ['m-2', null, false],
      ['m-3', null, false],
      ['m-4', null, false],
    ]);
    const revoked = applyAll(lifted, personEvent('MeasureRevoked', { personId: 'p01', measureId: 'm-3', date: '2025-06-01', reason: '复查撤销' }));
    expect(revoked.measures.map((measure) => [measure.measureId, measure.liftedOn, measure.revoked])).toEqual([
      ['m-1', '2025-05-01', false],
      ['m-2', null, false],
      ['m-3', null, true],
      ['m-4', null, false],
    ]);
    // Nothing is changed in place.
    expect(facts.measures.every((measure) => measure.liftedOn === null && !measure.revoked)).toBe(true);
  });

  it.each([
    personEvent('InvestigationOpened', { personId: 'p01', caseId: 'C-1', openedOn: '2025-05-10' }),
    personEvent('InvestigationClosed', { personId: 'p01', caseId: 'C-1', closedOn: '2025-11-20', outcome: 'WARNING' }),
    personEvent('AppraisalRecordNoted', { personId: 'p01', recordId: 'bureau.p01.2025Q2', period: '2025Q2' }),
  ])('ignore $type', (event) => {
    expect(evolvePersonFacts(registered, event)).toBeUndefined();
  });
});
