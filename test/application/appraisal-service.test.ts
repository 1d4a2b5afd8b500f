import { AppraisalQueries } from '../../src/application/appraisal-queries.js';
import { AppraisalService } from '../../src/application/appraisal-service.js';
import type { RecordCommand } from '../../src/appraisal/domain/record.decider.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';
import { CommandHandler } from '../../src/command/command-handler.js';
import type { CommandMetadata } from '../../src/command/decider.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { ApplicationError } from '../../src/shared/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;
let service: AppraisalService;
let queries: AppraisalQueries;
let sequence = 0;

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
const UNIT_HEAD = { id: 'head-1', role: 'RATER', organizationId: 'bureau' };
const COMMITTEE = { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' };
const PEOPLE = Array.from({ length: 10 }, (_, index) => `p${index + 1}`);
const nationalCurrent = loadPresetRuleSets().find((document) => document.id === 'national-current')!;
const indicators = nationalCurrent.scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;

function meta(actor = HR, date = '2025-07-01'): CommandMetadata {
  sequence += 1;
  return { commandId: `command-${sequence}`, actor, now: `${date}T02:00:00.000Z` };
}

function recordCommand<T extends RecordCommand['type']>(type: T, data: Extract<RecordCommand, { type: T }>['data'], actor = UNIT_HEAD, date = '2025-07-01') {
  return { type, data, metadata: meta(actor, date) } as Extract<RecordCommand, { type: T }>;
}

/** Full marks less `shortfall` points, taken from the largest indicator. */
function scoreSheet(shortfall: number) {
  return indicators.map((indicator) => ({ indicatorId: indicator.id, points: indicator.id === 'workload' ? indicator.points - shortfall : indicator.points }));
}

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 30 });
  store = new PostgresEventStore(database.pool);
  const handler = new CommandHandler(store);
  service = new AppraisalService(store, handler, officialCalendar());
  queries = new AppraisalQueries(store, (id, version) => service.ruleSet(id, version));

  await service.publishRuleSet(nationalCurrent, meta());
  await service.registerOrganization({ organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, meta());
  await service.registerOrganization({ organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, meta());
  await service.adoptRuleSet('bureau', { year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, meta());
  for (const personId of PEOPLE) {
    await service.personCommand(personId, {
      type: 'RegisterPerson',
      data: { personId, name: `干部${personId}`, category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2020-03-01' },
      metadata: meta(),
    });
  }
  await service.personCommand('p10', { type: 'StartProbation', data: { startDate: '2025-03-01', endDate: '2026-02-28' }, metadata: meta() });
  await service.openCycle({ organizationId: 'bureau', period: '2025Q2', personIds: PEOPLE }, meta());
  for (const [index, personId] of PEOPLE.slice(0, 9).entries()) {
    const recordId = `bureau.${personId}.2025Q2`;
    await service.recordCommand(recordId, recordCommand('RecordScores', { raterId: UNIT_HEAD.id, raterRole: 'UNIT_HEAD', scores: scoreSheet(index) }));
    await service.recordCommand(recordId, recordCommand('ProposeGrade', { grade: 'GOOD', reason: '' }));
    await service.recordCommand(recordId, recordCommand('ReviewProposal', { agrees: true, reason: '' }, { id: 'leader-1', role: 'RATER', organizationId: 'bureau' }));
  }
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('appraisal service with PostgreSQL', () => {
  it('opens one record per participant, applying the participation exceptions', async () => {
    const cycle = await queries.cycle('bureau', '2025Q2');
    expect(cycle.participants).toHaveLength(10);
    const probation = await queries.record('bureau.p10.2025Q2');
    expect(probation.participation).toEqual({ outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' });
    expect(probation.ruleSet).toEqual({ id: 'national-current', version: 1, name: nationalCurrent.name });
  });

  it('keeps the quota under concurrent determinations: exactly the allowed number of 好, the rest refused with the numbers', async () => {
    const outcomes = await Promise.allSettled(
      PEOPLE.slice(0, 9).map((personId) => service.recordCommand(`bureau.${personId}.2025Q2`, recordCommand('DetermineGrade', { grade: 'GOOD' }, COMMITTEE))),
    );
    const granted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    // 9 graded (the one on probation does not count) × 40% = 3.6, half-up → 4.
    expect(granted).toHaveLength(4);
    for (const failure of refused) {
      expect(failure.reason).toBeInstanceOf(ApplicationError);
      expect(failure.reason).toMatchObject({ code: 'APPRAISAL.QUOTA_EXCEEDED', details: { denominator: 9, allowed: 4, used: 4, available: 0 } });
    }
    const cycle = await queries.cycle('bureau', '2025Q2');
    expect(cycle.topGradesReserved).toBe(4);
  });

  it('a refused top grade leaves no slot behind; the person can still be given another grade', async () => {
    const undetermined = [];
    for (const personId of PEOPLE.slice(0, 9)) {
      const record = await queries.record(`bureau.${personId}.2025Q2`);
      if (record.status === 'OPEN') undetermined.push(personId);
    }
    expect(undetermined).toHaveLength(5);
    await service.recordCommand(`bureau.${undetermined[0]}.2025Q2`, recordCommand('DetermineGrade', { grade: 'FAIRLY_GOOD' }, COMMITTEE));
    const record = await queries.record(`bureau.${undetermined[0]}.2025Q2`);
    expect(record).toMatchObject({ status: 'FINAL', outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD', label: '较好' } });
    expect((await queries.cycle('bureau', '2025Q2')).topGradesReserved).toBe(4);
  });

  it('explains the grade: every step with its rule, its inputs in the log and Chinese labels', async () => {
    const determined = [];
    for (const personId of PEOPLE.slice(0, 9)) {
      const record = await queries.record(`bureau.${personId}.2025Q2`);
      if (record.status === 'AWAITING_NOTICE') determined.push(record.recordId);
    }
    const trace = await queries.gradeTrace(determined[0]);
    expect(trace.current).toMatchObject({ kind: 'DETERMINED', outcome: { grade: 'GOOD', label: '好' }, ruleSet: { id: 'national-current', version: 1 } });
    expect(trace.current!.steps.map((step) => step.kindLabel)).toEqual(['参加考核情况', '量化评分', '分数段对应等次', '优秀（好）等次比例限额', '确定等次']);
    const scoreStep = trace.current!.steps[1];
    const stream = await store.readStream(`appraisal-${determined[0]}`);
    const scoresEvent = stream.find((event) => event.type === 'ScoresRecorded')!;
    expect(scoreStep.inputs).toContainEqual({ eventId: scoresEvent.eventId, globalPosition: scoresEvent.globalPosition.toString() });
  });

  it('finalises a top grade only after five working days of notice, then publishes with the objection deadline', async () => {
    let recordId = '';
    for (const personId of PEOPLE.slice(0, 9)) {
      const record = await queries.record(`bureau.${personId}.2025Q2`);
      if (record.status === 'AWAITING_NOTICE') recordId = record.recordId;
    }
    await service.recordCommand(recordId, recordCommand('StartPublicNotice', { startDate: '2025-07-04' }, HR, '2025-07-04'));
    await expect(service.recordCommand(recordId, recordCommand('FinalizeGrade', {}, COMMITTEE, '2025-07-10'))).rejects.toMatchObject({
      code: 'APPRAISAL.NOTICE_NOT_OVER',
      details: { finalFrom: '2025-07-11' },
    });
    await service.recordCommand(recordId, recordCommand('FinalizeGrade', {}, COMMITTEE, '2025-07-11'));
    const published = await service.recordCommand(recordId, recordCommand('PublishResult', {}, HR, '2025-07-11'));
    expect(published.events[0].data).toMatchObject({ publishedOn: '2025-07-11', objectionDeadline: '2025-07-28', deadlineRolled: true });
  });
});

describe('an organization as the subject of an assessment', () => {
  it('scores the unit\'s training work on the checklist and explains the result', async () => {
    await expect(service.openUnitAssessment({ organizationId: 'office', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion' }, meta())).rejects.toMatchObject({
      code: 'CYCLE.NO_RULE_SET',
    });
    await service.openUnitAssessment({ organizationId: 'bureau', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion' }, meta());
    const assessmentId = 'bureau.2025.training-work-checklist';
    await service.unitAssessmentCommand(assessmentId, {
      type: 'RecordUnitScores',
      data: {
        raterId: 'training-office',
        scores: [
          { indicatorId: 'organization-and-planning', points: 15 },
          { indicatorId: 'training-delivery', points: 42 },
          { indicatorId: 'resources-and-funding', points: 19 },
          { indicatorId: 'evaluation-and-effect', points: 16 },
        ],
      },
      metadata: meta(),
    });
    await service.unitAssessmentCommand(assessmentId, { type: 'DetermineUnitResult', data: {}, metadata: meta() });
    const assessment = await queries.unitAssessment(assessmentId);
    expect(assessment).toMatchObject({ status: 'DETERMINED', result: { result: 'COMPLETED', label: '完成', score: 92 } });
    expect(assessment.result!.steps.map((step) => step.kindLabel)).toEqual(['量化评分', '分数段对应等次']);
  });
});

describe('retrying a command id', () => {
  it('a top grade refused once and retried with the same command id after the cause is fixed still takes a quota slot', async () => {
    await service.openCycle({ organizationId: 'bureau', period: '2025Q3', personIds: ['p1', 'p2', 'p3'] }, meta());
    const recordId = 'bureau.p1.2025Q3';
    await service.recordCommand(recordId, recordCommand('RecordScores', { raterId: UNIT_HEAD.id, raterRole: 'UNIT_HEAD', scores: scoreSheet(0) }));
    await service.recordCommand(recordId, recordCommand('ProposeGrade', { grade: 'GOOD', reason: '' }));
    const determine = recordCommand('DetermineGrade', { grade: 'GOOD' }, COMMITTEE);
    await expect(service.recordCommand(recordId, determine)).rejects.toMatchObject({ code: 'APPRAISAL.NOT_REVIEWED' });
    expect((await queries.cycle('bureau', '2025Q3')).topGradesReserved).toBe(0);

    await service.recordCommand(recordId, recordCommand('ReviewProposal', { agrees: true, reason: '' }));
    const retried = await service.recordCommand(recordId, determine);
    expect(retried.events.map((event) => event.type)).toEqual(['GradeDetermined']);
    expect((await queries.cycle('bureau', '2025Q3')).topGradesReserved).toBe(1);

    const again = await service.recordCommand(recordId, determine);
    expect(again.replayed).toBe(true);
    expect((await queries.cycle('bureau', '2025Q3')).topGradesReserved).toBe(1);
  });
});
