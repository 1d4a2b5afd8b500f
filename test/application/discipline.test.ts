import fc from 'fast-check';
import { AppraisalQueries } from '../../src/application/appraisal-queries.js';
import { AppraisalService } from '../../src/application/appraisal-service.js';
import type { RecordCommand } from '../../src/appraisal/domain/record.decider.js';
import type { CaseOutcome } from '../../src/case/domain/case.decider.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';
import { CommandHandler } from '../../src/command/command-handler.js';
import type { CommandMetadata } from '../../src/command/decider.js';
import { backfillProcess, BACKFILL_PROCESS } from '../../src/discipline/backfill.process.js';
import { lateFactFlagsProcess, LATE_FACT_FLAGS_PROCESS } from '../../src/discipline/late-fact-flags.process.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;
let service: AppraisalService;
let queries: AppraisalQueries;
let runner: ProjectionRunner;
let sequence = 0;

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
const COMMITTEE = { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' };
const nationalCurrent = loadPresetRuleSets().find((document) => document.id === 'national-current')!;
const indicators = nationalCurrent.scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;
const fullMarks = indicators.map((indicator) => ({ indicatorId: indicator.id, points: indicator.points }));

function meta(date: string, actor = HR): CommandMetadata {
  sequence += 1;
  return { commandId: `discipline-${sequence}`, actor, now: `${date}T02:00:00.000Z` };
}

function on<T extends RecordCommand['type']>(date: string, type: T, data: Extract<RecordCommand, { type: T }>['data'], actor = COMMITTEE) {
  return { type, data, metadata: meta(date, actor) } as Extract<RecordCommand, { type: T }>;
}

async function registerPeople(personIds: string[], organizationId = 'office'): Promise<void> {
  for (const personId of personIds) {
    await service.personCommand(personId, {
      type: 'RegisterPerson',
      data: { personId, name: personId, category: 'CIVIL_SERVANT', organizationId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2019-01-01' },
      metadata: meta('2024-01-02'),
    });
  }
}

/** Proposal and review, ready for a determination (annual grades are not scored under national-current). */
async function prepare(recordId: string, grade: string, date: string): Promise<void> {
  await service.recordCommand(recordId, on(date, 'ProposeGrade', { grade, reason: '' }));
  await service.recordCommand(recordId, on(date, 'ReviewProposal', { agrees: true, reason: '' }));
}

async function typesOf(recordId: string): Promise<string[]> {
  return (await store.readStream(`appraisal-${recordId}`)).map((event) => event.type);
}

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 20 });
  store = new PostgresEventStore(database.pool);
  service = new AppraisalService(store, new CommandHandler(store), officialCalendar());
  queries = new AppraisalQueries(store, (id, version) => service.ruleSet(id, version));
  runner = new ProjectionRunner(database.pool, store, [backfillProcess(service), lateFactFlagsProcess(service)]);
  await service.publishRuleSet(nationalCurrent, meta('2024-01-02'));
  await service.registerOrganization({ organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, meta('2024-01-02'));
  await service.registerOrganization({ organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, meta('2024-01-02'));
  for (const year of [2024, 2025, 2026]) await service.adoptRuleSet('bureau', { year, ruleSetId: 'national-current', ruleSetVersion: 1 }, meta('2024-01-02'));
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('late-recorded facts (DOMAIN §9 scenario 7)', () => {
  it('a 诫勉 dated 2025-12-28 recorded after a 2025 优秀 was final flags it, overwrites nothing, and a correction resolves it', async () => {
    const people = ['s7a', 's7b', 's7c', 's7d', 's7e'];
    await registerPeople(people);
    await service.openCycle({ organizationId: 'bureau', period: '2025', personIds: people }, meta('2025-12-01'));
    const recordId = 'bureau.s7a.2025';
    await prepare(recordId, 'EXCELLENT', '2026-01-05');
    await service.recordCommand(recordId, on('2026-01-08', 'DetermineGrade', {}));
    await service.recordCommand(recordId, on('2026-01-09', 'StartPublicNotice', { startDate: '2026-01-09' }, HR));
    await service.recordCommand(recordId, on('2026-01-18', 'FinalizeGrade', {}));
    // A measure known before the grade was final is no late fact: it would have barred it then.
    await service.recordMeasure(
      's7a',
      { measureId: 'admonition-1', measure: 'ADMONITION', decisionDate: '2025-12-28', effectiveDate: '2025-12-28', periodMonths: null, termYears: null, authority: '纪检监察组', documentNumber: '诫勉〔2025〕8号', caseId: null },
      meta('2026-01-20'),
    );
    await runner.catchUp(LATE_FACT_FLAGS_PROCESS);

    const flagged = (await store.readStream(`appraisal-${recordId}`)).find((event) => event.type === 'GradeFlagged')!;
    expect(flagged.data).toMatchObject({ factType: 'AdmonitionIssued', code: 'APPRAISAL.TOP_GRADE_BARRED' });
    expect((await queries.record(recordId)).outcome).toMatchObject({ grade: 'EXCELLENT' });
    const finalized = (await store.readStream(`appraisal-${recordId}`)).find((event) => event.type === 'GradeFinalized')!;
    expect(finalized.recordedAt < flagged.recordedAt).toBe(true);

    // Replaying the process manager from the start flags nothing twice.
    await database.pool.query('DELETE FROM projection_checkpoint WHERE name = $1', [LATE_FACT_FLAGS_PROCESS]);
    await runner.catchUp(LATE_FACT_FLAGS_PROCESS);
    expect((await typesOf(recordId)).filter((type) => type === 'GradeFlagged')).toHaveLength(1);

    await expect(service.recordCommand(recordId, on('2026-01-22', 'CorrectFlaggedGrade', { grade: 'EXCELLENT', reasons: '维持' }))).rejects.toMatchObject({
      code: 'APPRAISAL.TOP_GRADE_BARRED',
    });
    await service.recordCommand(recordId, on('2026-01-22', 'CorrectFlaggedGrade', { grade: 'COMPETENT', reasons: '受诫勉，不得评为优秀' }));
    expect((await typesOf(recordId)).slice(-2)).toEqual(['GradeRevised', 'GradeFlagResolved']);
    expect((await queries.record(recordId)).outcome).toMatchObject({ grade: 'COMPETENT' });
    expect((await queries.cycle('bureau', '2025')).topGradesReserved).toBe(0);
  });
});

describe('backfill happens exactly once', () => {
  const outcomes: CaseOutcome[] = ['NO_PENALTY', 'EXEMPTED', 'WARNING', 'HEAVIER'];
  let run = 0;

  it('for random case openings and outcomes, every withheld record is settled once, and replays change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.constantFrom(...outcomes), fc.boolean(), async (firstWithheldQuarter, outcome, settleTwice) => {
        run += 1;
        const personId = `bf${run}`;
        const organizationId = `organ-${run}`;
        await service.registerOrganization({ organizationId, name: `机关${run}`, kind: 'ORGAN' }, meta('2024-01-02'));
        await service.adoptRuleSet(organizationId, { year: 2024, ruleSetId: 'national-current', ruleSetVersion: 1 }, meta('2024-01-02'));
        await registerPeople([personId], organizationId);
        const caseId = `case-${run}`;
        const quarters = [1, 2, 3].map((quarter) => `2024Q${quarter}`);
        for (const period of quarters) await service.openCycle({ organizationId, period, personIds: [personId] }, meta('2024-01-05'));
        const openedOn = ['2024-01-10', '2024-04-10', '2024-07-10'][firstWithheldQuarter - 1];
        await service.openCase({ caseId, personId, openedOn, authority: '纪委监委' }, meta(openedOn));
        const withheld: string[] = [];
        for (const [index, period] of quarters.entries()) {
          const recordId = `${organizationId}.${personId}.${period}`;
          const underCase = index + 1 >= firstWithheldQuarter;
          await service.recordCommand(recordId, on('2024-10-09', 'RecordScores', { raterId: 'head-1', raterRole: 'UNIT_HEAD', scores: fullMarks }));
          if (!underCase) continue;
          await service.recordCommand(recordId, on('2024-10-10', 'DetermineGrade', {}));
          withheld.push(recordId);
        }
        const penalty =
          outcome === 'WARNING' || outcome === 'HEAVIER'
            ? { measureId: `${caseId}-penalty`, measure: outcome === 'WARNING' ? ('GOVERNMENT_WARNING' as const) : ('GOVERNMENT_DEMERIT' as const), decisionDate: '2024-11-20', effectiveDate: '2024-11-20', periodMonths: null, termYears: null, authority: '纪委监委', documentNumber: 'x' }
            : null;
        await service.closeCase(caseId, { closedOn: '2024-11-20', outcome, penalty }, meta('2024-11-20'));
        await runner.catchUp(BACKFILL_PROCESS);
        if (settleTwice) await service.settleWithheldRecords(caseId, { actor: HR, now: '2024-11-21T00:00:00.000Z' });
        const traces = await Promise.all(withheld.map((recordId) => queries.gradeTrace(recordId)));
        await database.pool.query('DELETE FROM projection_checkpoint WHERE name = $1', [BACKFILL_PROCESS]);
        await runner.catchUp(BACKFILL_PROCESS);
        expect(await Promise.all(withheld.map((recordId) => queries.gradeTrace(recordId)))).toEqual(traces);

        for (const recordId of withheld) {
          const types = await typesOf(recordId);
          const settled = types.filter((type) => type === 'GradeBackfilled' || type === 'RecordLeftUngraded');
          expect(settled).toEqual([outcome === 'HEAVIER' ? 'RecordLeftUngraded' : 'GradeBackfilled']);
          expect(types.filter((type) => type === 'GradeDetermined')).toHaveLength(1);
          const record = await queries.record(recordId);
          if (outcome === 'WARNING') expect(record.outcome?.grade).toBe('FAIRLY_GOOD');
          if (outcome === 'HEAVIER') expect(record.outcome?.kind).toBe('WITHHELD_INVESTIGATION');
        }
      }),
      { numRuns: 8 },
    );
  });
});
