import { gradeHistoryProjection } from '../../projections/grade-history.projection.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { transactionMessages } from '../support/transaction-messages.js';

let database: TestDatabase;
let store: PostgresEventStore;

/** Records, each with a determination whose trace holds text that SQL literals and COPY escape. */
const RECORDS = 150;
const traceOf = (index: number) => [
  { step: 'BAND', conclusion: `BAND GOOD ${index}`, detail: '引号 \' 双引号 " 反斜杠 \\ 换行\n制表\t结束', weights: [0.4, 0.6], note: null },
];

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  for (let index = 0; index < RECORDS; index += 1) {
    await store.appendToStream(`appraisal-org1.p${index}.2025`, 'no_stream', [
      newEvent({
        type: 'GradeDetermined',
        data: { outcome: index % 10 === 0 ? { kind: 'WITHHELD_INVESTIGATION', reason: "立案审查期间'暂不'确定等次" } : { kind: 'GRADE', grade: 'GOOD' }, score: index % 10 === 0 ? null : 80 + index / 8, trace: traceOf(index) },
      }),
    ]);
  }
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

async function historyRows(): Promise<Record<string, unknown>[]> {
  const result = await database.pool.query(
    `SELECT event_id::text, record_id, global_position::text, kind, outcome_kind, grade, reason, score::text, actor_id, recorded_at, trace
       FROM grade_history ORDER BY global_position`,
  );
  return result.rows;
}

describe('grade_history rows', () => {
  it('are the same written a row at a time and as one COPY, traces and all', async () => {
    // Batches of one: each row goes as its own INSERT.
    const oneByOne = new ProjectionRunner(database.pool, store, [fromPureProjection(gradeHistoryProjection)], { batchSize: 1 });
    await oneByOne.catchUp('grade_history');
    const single = await historyRows();
    expect(single).toHaveLength(RECORDS);
    expect(single.find((row) => row.record_id === 'org1.p1.2025')).toMatchObject({ record_id: 'org1.p1.2025', kind: 'DETERMINED', outcome_kind: 'GRADE', grade: 'GOOD', score: '80.125', trace: traceOf(1) });
    expect(single.find((row) => row.record_id === 'org1.p0.2025')).toMatchObject({ outcome_kind: 'WITHHELD_INVESTIGATION', grade: null, reason: "立案审查期间'暂不'确定等次", score: null });

    // One batch of all of them, as a rebuild reads the log: the rows go as COPY.
    const whole = new ProjectionRunner(database.pool, store, [fromPureProjection(gradeHistoryProjection)], { batchSize: 1_000 });
    const { sent } = await transactionMessages(database.pool, () => whole.rebuild('grade_history'));
    expect(sent.some((text) => text.startsWith('COPY grade_history'))).toBe(true);
    expect(await historyRows()).toEqual(single);
  });

  it('refuses an event applied twice rather than writing it again', async () => {
    const events = await store.readAll({ major: 0n, minor: 0n }, 1);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await expect(fromPureProjection(gradeHistoryProjection).apply(client, events)).rejects.toThrow(/duplicate key/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
