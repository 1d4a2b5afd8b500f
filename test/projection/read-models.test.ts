import { randomUUID } from 'node:crypto';
import { disciplineViewProjection } from '../../projections/discipline-view.projection.js';
import { gradeHistoryProjection } from '../../projections/grade-history.projection.js';
import { gradeViewProjection } from '../../projections/grade-view.projection.js';
import { readModelProjections } from '../../projections/index.js';
import type { RecordedEvent } from '../../src/event-store/event.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { newEvent, TEST_ACTOR } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;
let runner: ProjectionRunner;

const VIEWS = [gradeViewProjection, gradeHistoryProjection, disciplineViewProjection];

/** Appends one event to a stream (any revision) and returns it as recorded. */
async function append(streamId: string, type: string, data: Record<string, unknown>, effectiveAt = '2026-01-10', actorId = TEST_ACTOR.id): Promise<RecordedEvent> {
  const commandId = randomUUID();
  const event = newEvent({
    type,
    data,
    metadata: { commandId, actor: { ...TEST_ACTOR, id: actorId }, correlationId: commandId, causationId: commandId, effectiveAt },
  });
  const result = await store.appendToStream(streamId, 'any', [event]);
  return result.events[0];
}

const step = (conclusion: string) => ({
  kind: 'DETERMINATION',
  rule: { ruleSetId: 'national-current', ruleSetVersion: 2, clause: 'grades' },
  inputs: [],
  conclusion,
  explanation: conclusion,
  values: {},
});

function opened(organizationId: string, personId: string, period: string, periodKind: string) {
  return {
    recordId: `${organizationId}.${personId}.${period}`,
    cycleId: `${organizationId}.${period}`,
    organizationId,
    unitId: `${organizationId}-office`,
    personId,
    period,
    periodKind,
    category: 'CIVIL_SERVANT',
    subjectRole: 'STAFF',
    participation: { outcome: 'GRADED', reason: '' },
    ruleSetId: 'national-current',
    ruleSetVersion: 2,
  };
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  runner = new ProjectionRunner(database.pool, store, readModelProjections.map(fromPureProjection), { batchSize: 7 });

  // Record A: determined, noticed, final, published, flagged twice (one resolved), revised on objection.
  const a = 'appraisal-org1.p1.2025';
  await append(a, 'RecordOpened', opened('org1', 'p1', '2025', 'ANNUAL'));
  await append(a, 'ScoresRecorded', { raterId: 'r1', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'quality', points: 46 }] });
  ids.aDetermined = (
    await append(a, 'GradeDetermined', {
      outcome: { kind: 'GRADE', grade: 'EXCELLENT' },
      score: 92.5,
      suggestedGrade: 'EXCELLENT',
      determinedBy: 'committee-1',
      requiresPublicNotice: true,
      trace: [step('BAND EXCELLENT')],
    }, '2026-01-10', 'committee-1')
  ).eventId;
  await append(a, 'PublicNoticeStarted', { startDate: '2026-01-12', workingDays: [], lastDay: '2026-01-16', finalFrom: '2026-01-19', calendar: 'cn' });
  await append(a, 'GradeFinalized', { outcome: { kind: 'GRADE', grade: 'EXCELLENT' }, finalizedOn: '2026-01-19' });
  await append(a, 'ResultPublished', { publishedOn: '2026-01-20', objectionDeadline: '2026-02-19', objectionDays: 30, deadlineRolled: false });
  await append(a, 'GradeFlagged', { factEventId: 'fact-1', factType: 'PenaltyImposed', code: 'LATE_SANCTION', reason: '迟录处分' });
  await append(a, 'GradeFlagged', { factEventId: 'fact-2', factType: 'EfficiencyWarningIssued', code: 'LATE_WARNING', reason: '迟录效能告诫' });
  await append(a, 'GradeFlagResolved', { factEventIds: ['fact-1'], reasons: 'no effect' });
  await append(a, 'ObjectionFiled', { contested: { kind: 'GRADE', grade: 'EXCELLENT' }, reasons: 'x', filedOn: '2026-01-25', dayOfWindow: 5, deadline: '2026-02-19' });
  await append(a, 'ObjectionRuled', { ruling: 'REVISED', reasons: 'y', ruledOn: '2026-02-01', ruledBy: 'committee-1' });
  const revised = await append(a, 'GradeRevised', {
    from: { kind: 'GRADE', grade: 'EXCELLENT' },
    to: { kind: 'GRADE', grade: 'GOOD' },
    score: 85,
    cause: 'OBJECTION',
    trace: [step('REVISED GOOD')],
  }, '2026-02-01', 'committee-2');
  ids.aRevised = revised.eventId;
  ids.aLastPosition = revised.globalPosition.toString();

  // Person p2: an investigation withholds record B, closes with no penalty, B is backfilled.
  const b = 'appraisal-org1.p2.2025';
  await append('person-p2', 'InvestigationOpened', { personId: 'p2', caseId: 'case-9', openedOn: '2025-11-03' }, '2025-11-03');
  await append(b, 'RecordOpened', opened('org1', 'p2', '2025', 'ANNUAL'));
  await append(b, 'GradeDetermined', {
    outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查期间暂不确定等次' },
    score: null,
    suggestedGrade: null,
    determinedBy: 'committee-1',
    requiresPublicNotice: false,
    trace: [step('WITHHELD')],
    withheldByCase: 'case-9',
  });
  await append('person-p2', 'InvestigationClosed', { personId: 'p2', caseId: 'case-9', closedOn: '2026-03-01', outcome: 'NO_PENALTY' }, '2026-03-01');
  await append(b, 'GradeFlagged', { factEventId: 'fact-3', factType: 'InvestigationClosed', code: 'CASE_CLOSED', reason: '案件已结' });
  await append(b, 'GradeBackfilled', { outcome: { kind: 'GRADE', grade: 'GOOD' }, score: 81, caseId: 'case-9', caseOutcome: 'NO_PENALTY', trace: [step('BACKFILL NO_PENALTY')] });
  await append(b, 'GradeFlagResolved', { factEventIds: ['fact-3'], reasons: 'backfilled' });

  // Record C (quarterly, another organization): withheld, then left ungraded.
  const c = 'appraisal-org2.p3.2025Q4';
  await append(c, 'RecordOpened', opened('org2', 'p3', '2025Q4', 'QUARTERLY'));
  await append(c, 'GradeDetermined', {
    outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查期间暂不确定等次' },
    score: null,
    suggestedGrade: null,
    determinedBy: 'committee-3',
    requiresPublicNotice: false,
    trace: [],
    withheldByCase: 'case-10',
  });
  await append(c, 'RecordLeftUngraded', { caseId: 'case-10', caseOutcome: 'HEAVIER', reason: '受处分，不定等次' });

  // Person p1: a penalty later lifted, an admonition revoked, an efficiency warning, a case penalty.
  const measure = (measureId: string, code: string, extra: Record<string, unknown> = {}) => ({
    personId: 'p1',
    measureId,
    measure: code,
    decisionDate: '2025-06-01',
    effectiveDate: '2025-06-03',
    periodMonths: null,
    termYears: null,
    authority: '区纪委监委',
    documentNumber: `纪发〔2025〕${measureId}`,
    caseId: null,
    ...extra,
  });
  await append('person-p1', 'PenaltyImposed', measure('m1', 'GOVERNMENT_DEMERIT', { periodMonths: 12 }), '2025-06-03');
  await append('person-p1', 'MeasureLifted', { personId: 'p1', measureId: 'm1', date: '2026-01-05' }, '2026-01-05');
  await append('person-p1', 'AdmonitionIssued', measure('m2', 'ADMONITION'), '2025-06-03');
  await append('person-p1', 'MeasureRevoked', { personId: 'p1', measureId: 'm2', date: '2025-09-01', reason: '复核撤销' }, '2025-09-01');
  await append('person-p1', 'EfficiencyWarningIssued', measure('m3', 'EFFICIENCY_WARNING'), '2025-06-03');
  await append('person-p1', 'PenaltyImposed', measure('m4', 'PARTY_PROBATION', { termYears: 2, caseId: 'case-11' }), '2025-06-03');
  await append('person-p1', 'OrganizationalActionTaken', measure('m5', 'ORGANIZATIONAL_ADJUSTMENT'), '2025-06-03');
  await append('person-p1', 'AppraisalRecordNoted', { personId: 'p1', recordId: 'org1.p1.2025', period: '2025' });

  for (const name of runner.names) await runner.catchUp(name);
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await database.pool.query(sql)).rows;
}

describe('grade_view', () => {
  it('holds one row per record with its status, current outcome, rule set and open flags', async () => {
    const view = await rows(
      `SELECT record_id, organization_id, unit_id, person_id, period, period_kind, category, status, outcome_kind, grade, reason,
              score::float8 AS score, rule_set_id, rule_set_version, flagged, last_global_position::text AS last_global_position
         FROM grade_view ORDER BY record_id`,
    );
    expect(view).toEqual([
      {
        record_id: 'org1.p1.2025', organization_id: 'org1', unit_id: 'org1-office', person_id: 'p1', period: '2025', period_kind: 'ANNUAL',
        category: 'CIVIL_SERVANT', status: 'PUBLISHED', outcome_kind: 'GRADE', grade: 'GOOD', reason: null, score: 85,
        rule_set_id: 'national-current', rule_set_version: 2, flagged: true, last_global_position: ids.aLastPosition,
      },
      expect.objectContaining({ record_id: 'org1.p2.2025', status: 'AWAITING_NOTICE', outcome_kind: 'GRADE', grade: 'GOOD', reason: null, score: 81, flagged: false }),
      expect.objectContaining({
        record_id: 'org2.p3.2025Q4', organization_id: 'org2', period_kind: 'QUARTERLY', status: 'AWAITING_NOTICE',
        outcome_kind: 'WITHHELD_INVESTIGATION', grade: null, reason: '受处分，不定等次', score: null, flagged: false,
      }),
    ]);
    const flags = await rows('SELECT record_id, fact_event_id, resolved_at_position IS NOT NULL AS resolved FROM grade_flag ORDER BY fact_event_id');
    expect(flags).toEqual([
      { record_id: 'org1.p1.2025', fact_event_id: 'fact-1', resolved: true },
      { record_id: 'org1.p1.2025', fact_event_id: 'fact-2', resolved: false },
      { record_id: 'org1.p2.2025', fact_event_id: 'fact-3', resolved: true },
    ]);
  });
});

describe('grade_history', () => {
  it('keeps every determination, revision, backfill and record left ungraded, with actor and trace', async () => {
    const history = await rows(
      `SELECT event_id::text AS event_id, record_id, kind, outcome_kind, grade, reason, score::float8 AS score, actor_id, trace
         FROM grade_history ORDER BY global_position`,
    );
    expect(history.map((row) => [row.record_id, row.kind, row.outcome_kind, row.grade, row.score])).toEqual([
      ['org1.p1.2025', 'DETERMINED', 'GRADE', 'EXCELLENT', 92.5],
      ['org1.p1.2025', 'REVISED', 'GRADE', 'GOOD', 85],
      ['org1.p2.2025', 'DETERMINED', 'WITHHELD_INVESTIGATION', null, null],
      ['org1.p2.2025', 'BACKFILLED', 'GRADE', 'GOOD', 81],
      ['org2.p3.2025Q4', 'DETERMINED', 'WITHHELD_INVESTIGATION', null, null],
      ['org2.p3.2025Q4', 'LEFT_UNGRADED', 'WITHHELD_INVESTIGATION', null, null],
    ]);
    expect(history[0]).toMatchObject({ event_id: ids.aDetermined, actor_id: 'committee-1', trace: [expect.objectContaining({ conclusion: 'BAND EXCELLENT' })] });
    expect(history[1]).toMatchObject({ event_id: ids.aRevised, actor_id: 'committee-2', trace: [expect.objectContaining({ conclusion: 'REVISED GOOD' })] });
    expect(history[2].reason).toBe('立案审查期间暂不确定等次');
    expect(history[5]).toMatchObject({ reason: '受处分，不定等次', trace: [] });
  });
});

describe('discipline_view and investigation_view', () => {
  it('hold one row per measure with its effect window, and one per investigation', async () => {
    const measures = await rows(
      `SELECT person_id, measure_id, measure, family, decision_date::text, effective_date::text, period_months, term_years,
              lifted_on::text, revoked, case_id, authority, document_number
         FROM discipline_view ORDER BY measure_id`,
    );
    expect(measures.map((row) => [row.measure_id, row.family, row.period_months, row.term_years, row.lifted_on, row.revoked, row.case_id])).toEqual([
      ['m1', 'GOVERNMENT', 12, null, '2026-01-05', false, null],
      ['m2', 'ADMONITION', null, null, null, true, null],
      ['m3', 'EFFICIENCY_WARNING', null, null, null, false, null],
      ['m4', 'PARTY', null, 2, null, false, 'case-11'],
      ['m5', 'ORGANIZATIONAL', null, null, null, false, null],
    ]);
    expect(measures[0]).toMatchObject({
      person_id: 'p1', measure: 'GOVERNMENT_DEMERIT', decision_date: '2025-06-01', effective_date: '2025-06-03',
      authority: '区纪委监委', document_number: '纪发〔2025〕m1',
    });
    const investigations = await rows('SELECT case_id, person_id, opened_on::text, closed_on::text, outcome FROM investigation_view');
    expect(investigations).toEqual([{ case_id: 'case-9', person_id: 'p2', opened_on: '2025-11-03', closed_on: '2026-03-01', outcome: 'NO_PENALTY' }]);
  });
});

describe('rebuild', () => {
  it.each(VIEWS.map((view) => [view.name, view.tables] as const))('%s rebuilt from zero equals the live one', async (name, tables) => {
    const snapshot = async () => Promise.all(tables.map((table) => rows(`SELECT * FROM ${table} ORDER BY row_to_json(${table})::text`)));
    const live = await snapshot();
    expect(live.some((table) => table.length > 0)).toBe(true);
    await runner.rebuild(name);
    expect(await snapshot()).toEqual(live);
  });
});
