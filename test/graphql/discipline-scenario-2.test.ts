import { COMMITTEE, HR, LEADER } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

/**
 * DOMAIN.md §9 scenario 2 over GraphQL, under national-current: a case opened in 2024 withholds
 * the 2024 annual record; it closes in 2025 with 记过, heavier than a warning, so 2024 stays
 * ungraded for good and the 2025 record, the year the 记过 takes effect, is comment only.
 */
const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' };
const PERSON = 'p1';
const CASE_ID = 'case-2024-009';
const RECORD_2024 = `bureau.${PERSON}.2024`;
const RECORD_2025 = `bureau.${PERSON}.2025`;
const DEMERIT = {
  measureId: 'demerit-2025-004',
  measure: 'GOVERNMENT_DEMERIT',
  decisionDate: '2025-03-15',
  effectiveDate: '2025-03-15',
  authority: '市监委',
  documentNumber: '市监委政处〔2025〕4号',
};

const RECORD_QUERY = `query Record($recordId: String!) { appraisalRecord(recordId: $recordId) { outcome { kind grade reason label } } }`;

let service: GraphQLTestApp;

async function outcomeOf(record: string) {
  return (await service.query(RECORD_QUERY, { recordId: record })).appraisalRecord.outcome;
}

async function eventTypes(streamId: string): Promise<string[]> {
  return (await service.streamEvents(streamId)).map((event) => event.type);
}

/** 市统计局 under national-current for 2024 and 2025 (the preset is in force from 2020), and one 科员. */
async function registerBureau(): Promise<void> {
  service.today('2024-03-01');
  await service.mutate('publishPresetRuleSet', { id: 'national-current' }, HR);
  await service.mutate('registerOrganization', { organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, HR);
  for (const year of [2024, 2025]) {
    await service.mutate('adoptRuleSet', { organizationId: 'bureau', year, ruleSetId: 'national-current', ruleSetVersion: 1 }, HR);
  }
  await service.mutate(
    'registerPerson',
    { personId: PERSON, name: '王芳', category: 'CIVIL_SERVANT', organizationId: 'bureau', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
    HR,
  );
}

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerBureau();
});

afterAll(() => service.close());

describe('scenario 2: a case across the year boundary, closed with 记过, over GraphQL', () => {
  it('withholds the 2024 annual record of a case opened on 2024-09-01', async () => {
    service.today('2024-09-01');
    await service.mutate('openCase', { caseId: CASE_ID, personId: PERSON, openedOn: '2024-09-01', authority: '市纪委监委' }, INSPECTOR);

    service.today('2024-12-10');
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2024', personIds: [PERSON] }, HR);
    const comment = await service.refusal('writeComment', { recordId: RECORD_2024, text: '全年工作扎实。' }, LEADER);
    expect(comment.extensions).toEqual({ code: 'APPRAISAL.UNDER_INVESTIGATION', caseId: CASE_ID });
    const graded = await service.refusal('determineGrade', { recordId: RECORD_2024, grade: 'COMPETENT' }, COMMITTEE);
    expect(graded.extensions).toMatchObject({ code: 'APPRAISAL.UNDER_INVESTIGATION', caseId: CASE_ID, openedOn: '2024-09-01' });

    const withheld = await service.mutate('determineGrade', { recordId: RECORD_2024 }, COMMITTEE);
    expect(withheld.events[0].data).toMatchObject({ outcome: { kind: 'WITHHELD_INVESTIGATION' }, withheldByCase: CASE_ID });
    expect(await outcomeOf(RECORD_2024)).toMatchObject({ kind: 'WITHHELD_INVESTIGATION', grade: null });
  });

  it('closes the case on 2025-03-15 with 记过, which is recorded on the person', async () => {
    service.today('2025-03-15');
    const closed = await service.mutate('closeCase', { caseId: CASE_ID, closedOn: '2025-03-15', outcome: 'HEAVIER', penalty: DEMERIT }, INSPECTOR);
    expect(closed.events).toMatchObject([{ type: 'CaseClosed', data: { outcome: 'HEAVIER', penalty: { measure: 'GOVERNMENT_DEMERIT' } } }]);
    const person = await service.streamEvents(`person-${PERSON}`);
    expect(person.find((event) => event.type === 'PenaltyImposed')?.data).toMatchObject({ ...DEMERIT, caseId: CASE_ID });
  });

  it('leaves 2024 ungraded for good once the process manager has run, even when it runs again', async () => {
    await service.catchUp('backfill_process');
    const reason = `案件 ${CASE_ID} 以重于警告的处分结案：该期不补定等次`;
    const events = await service.streamEvents(`appraisal-${RECORD_2024}`);
    expect(events.map((event) => event.type)).toEqual(['RecordOpened', 'GradeDetermined', 'GradeFinalized', 'RecordLeftUngraded']);
    expect(events[3].data).toEqual({ caseId: CASE_ID, caseOutcome: 'HEAVIER', reason });
    expect(await outcomeOf(RECORD_2024)).toEqual({ kind: 'WITHHELD_INVESTIGATION', grade: null, reason, label: `不写评语、不定等次（立案审查调查期间）（${reason}）` });

    const late = await service.refusal('determineGrade', { recordId: RECORD_2024, grade: 'COMPETENT' }, COMMITTEE);
    expect(late.extensions.code).toBe('APPRAISAL.ALREADY_DETERMINED');
    await service.rerunFromStart('backfill_process');
    expect(await eventTypes(`appraisal-${RECORD_2024}`)).toEqual(events.map((event) => event.type));
  });

  it('takes a comment on the 2025 record but refuses the grade proposed for it: 记过 took effect that year', async () => {
    service.today('2025-12-10');
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2025', personIds: [PERSON] }, HR);
    await service.mutate('writeComment', { recordId: RECORD_2025, text: '受记过处分后能认真反思，工作有改进。' }, LEADER);
    await service.mutate('proposeGrade', { recordId: RECORD_2025, grade: 'COMPETENT', reason: '' }, LEADER);
    await service.mutate('reviewProposal', { recordId: RECORD_2025, agrees: true, reason: '同意' }, COMMITTEE);

    const graded = await service.refusal('determineGrade', { recordId: RECORD_2025, grade: 'COMPETENT' }, COMMITTEE);
    expect(graded).toMatchObject({
      message: 'the record of 2025 takes no grade: 处分影响期内只写评语、不定等次（GOVERNMENT_DEMERIT）',
      extensions: { code: 'APPRAISAL.NOT_GRADABLE', reason: '处分影响期内只写评语、不定等次（GOVERNMENT_DEMERIT）' },
    });
  });

  it('determines the 2025 record comment only', async () => {
    const determined = await service.mutate('determineGrade', { recordId: RECORD_2025 }, COMMITTEE);
    expect(determined.events.map((event) => event.type)).toEqual(['GradeDetermined', 'GradeFinalized']);
    expect(await outcomeOf(RECORD_2025)).toMatchObject({ kind: 'COMMENT_ONLY', grade: null, reason: '处分影响期内只写评语、不定等次（GOVERNMENT_DEMERIT）' });
  });

  it('lifts the 记过 when its twelve months have run', async () => {
    service.today('2026-03-16');
    const lifted = await service.mutate('liftMeasure', { personId: PERSON, measureId: DEMERIT.measureId, date: '2026-03-15' }, INSPECTOR);
    expect(lifted.events).toMatchObject([{ type: 'MeasureLifted', data: { personId: PERSON, measureId: DEMERIT.measureId, date: '2026-03-15' } }]);
  });
});
