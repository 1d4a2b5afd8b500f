import type { RecordEvent } from '../../src/appraisal/domain/record.events.js';
import type { Outcome, PeriodKind } from '../../src/appraisal/domain/vocabulary.js';
import { GRADE_CONSEQUENCES_PROJECTION, gradeConsequencesProjection } from '../../src/consequences/grade-consequences.projection.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

const EXCELLENT: Outcome = { kind: 'GRADE', grade: 'EXCELLENT' };
const COMPETENT: Outcome = { kind: 'GRADE', grade: 'COMPETENT' };
const WITHHELD: Outcome = { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查调查期间不写评语、不定等次' };

type RecordEventOf<Type extends RecordEvent['type']> = Pick<Extract<RecordEvent, { type: Type }>, 'type' | 'data'>;
/** Added to the record stream alongside this projection; spelled out here until the union has it. */
type GradeBackfilled = { type: 'GradeBackfilled'; data: { outcome: Outcome; score: number | null; caseId: string; trace: [] } };

const recordId = (personId: string, period: string) => `org-1.${personId}.${period}`;

async function append(streamId: string, ...events: (RecordEventOf<RecordEvent['type']> | GradeBackfilled)[]): Promise<void> {
  await store.appendToStream(streamId, 'any', events.map(({ type, data }) => newEvent({ type, data })));
}

function opened(personId: string, period: string, periodKind: PeriodKind): RecordEventOf<'RecordOpened'> {
  return {
    type: 'RecordOpened',
    data: {
      recordId: recordId(personId, period),
      cycleId: `org-1.${period}`,
      organizationId: 'org-1',
      unitId: 'unit-1',
      personId,
      period,
      periodKind,
      category: 'CIVIL_SERVANT',
      subjectRole: 'STAFF',
      participation: { outcome: 'GRADED', reason: '' },
      ruleSetId: 'national-current',
      ruleSetVersion: 1,
    },
  };
}

const finalized = (outcome: Outcome): RecordEventOf<'GradeFinalized'> => ({ type: 'GradeFinalized', data: { outcome, finalizedOn: '2024-01-20' } });

async function annualRecord(personId: string, year: number, outcome: Outcome): Promise<void> {
  await append(`appraisal-${recordId(personId, String(year))}`, opened(personId, String(year), 'ANNUAL'), finalized(outcome));
}

async function consequenceRows(personId: string) {
  const result = await database.pool.query(
    'SELECT year, kind, label, detail, basis_years FROM grade_consequence WHERE person_id = $1 ORDER BY year, kind',
    [personId],
  );
  return result.rows;
}

async function allRows() {
  const query = async (sql: string) => (await database.pool.query(sql)).rows;
  return {
    subjects: await query('SELECT * FROM appraisal_record_subject ORDER BY record_id'),
    outcomes: await query('SELECT * FROM annual_outcome ORDER BY record_id'),
    consequences: await query('SELECT * FROM grade_consequence ORDER BY person_id, year, kind'),
  };
}

describe('grade_consequences projection', () => {
  it('keeps each person\'s consequences as grades are finalised, revised and backfilled; a rebuild gives the same rows', async () => {
    // Small live batches split records across batches; the rebuild replays everything in one.
    const live = new ProjectionRunner(database.pool, store, [gradeConsequencesProjection], { batchSize: 3 });
    const rebuilding = new ProjectionRunner(database.pool, store, [gradeConsequencesProjection]);
    for (const year of [2021, 2022, 2023]) await annualRecord('p-1', year, EXCELLENT);
    // A quarterly 优秀 has no annual consequence.
    await append(`appraisal-${recordId('p-1', '2023Q1')}`, opened('p-1', '2023Q1', 'QUARTERLY'), finalized(EXCELLENT));
    await annualRecord('p-2', 2022, COMPETENT);
    await annualRecord('p-2', 2023, WITHHELD);
    await live.catchUp(GRADE_CONSEQUENCES_PROJECTION);

    expect(await consequenceRows('p-1')).toEqual([
      { year: 2021, kind: 'COMMENDATION', label: '嘉奖', detail: '2021年度优秀', basis_years: [2021] },
      { year: 2022, kind: 'COMMENDATION', label: '嘉奖', detail: '2022年度优秀', basis_years: [2022] },
      {
        year: 2022,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2021、2022年度优秀：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basis_years: [2021, 2022],
      },
      { year: 2023, kind: 'COMMENDATION', label: '嘉奖', detail: '2023年度优秀', basis_years: [2023] },
      {
        year: 2023,
        kind: 'MERIT_THIRD_CLASS',
        label: '记三等功',
        detail: '2021、2022、2023年度优秀：连续3年优秀，第1次记三等功',
        basis_years: [2021, 2022, 2023],
      },
    ]);
    expect(await consequenceRows('p-2')).toEqual([]);

    const revised: RecordEventOf<'GradeRevised'> = {
      type: 'GradeRevised',
      data: { from: EXCELLENT, to: COMPETENT, score: null, cause: 'OBJECTION', trace: [] },
    };
    await append(`appraisal-${recordId('p-1', '2022')}`, revised);
    await append(`appraisal-${recordId('p-2', '2023')}`, {
      type: 'GradeBackfilled',
      data: { outcome: COMPETENT, score: null, caseId: 'case-1', trace: [] },
    });
    await live.catchUp(GRADE_CONSEQUENCES_PROJECTION);

    expect(await consequenceRows('p-1')).toEqual([
      { year: 2021, kind: 'COMMENDATION', label: '嘉奖', detail: '2021年度优秀', basis_years: [2021] },
      {
        year: 2022,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2021年度优秀，2022年度称职：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basis_years: [2021, 2022],
      },
      { year: 2023, kind: 'COMMENDATION', label: '嘉奖', detail: '2023年度优秀', basis_years: [2023] },
    ]);
    expect(await consequenceRows('p-2')).toEqual([
      {
        year: 2023,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2022、2023年度称职：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basis_years: [2022, 2023],
      },
    ]);

    const before = await allRows();
    await rebuilding.rebuild(GRADE_CONSEQUENCES_PROJECTION);
    expect(await allRows()).toEqual(before);
  });
});
