import { gradeViewProjection } from '../../projections/grade-view.projection.js';
import type { RecordedEvent } from '../../src/event-store/event.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { recordedEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { transactionMessages } from '../support/transaction-messages.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

let position = 0;
function recordEvent(recordId: string, type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1;
  return recordedEvent(`appraisal-${recordId}`, position, type, data);
}

const opened = (recordId: string, index: number) =>
  recordEvent(recordId, 'RecordOpened', {
    recordId, organizationId: 'org1', unitId: index % 2 === 0 ? 'org1' : 'org1-unit', personId: `p${index}`, period: '2025Q3', periodKind: 'QUARTER',
    category: 'CIVIL_SERVANT', ruleSetId: 'national-current', ruleSetVersion: 1, participation: { outcome: 'GRADED' },
  });
const determined = (recordId: string, grade: string, score: number) =>
  recordEvent(recordId, 'GradeDetermined', { outcome: { kind: 'GRADE', grade }, score, suggestedGrade: grade, trace: [] });
const finalized = (recordId: string, grade: string) => recordEvent(recordId, 'GradeFinalized', { outcome: { kind: 'GRADE', grade }, finalizedOn: '2025-10-20' });
const flagged = (recordId: string, fact: string) => recordEvent(recordId, 'GradeFlagged', { factEventId: fact, factType: 'PenaltyImposed', code: 'PENALTY', reason: "处分 '警告' 在先" });
const resolved = (recordId: string, fact: string) => recordEvent(recordId, 'GradeFlagResolved', { factEventIds: [fact], reasons: '已复核' });

/**
 * 200 records opened in the batch (past the size at which their rows go as COPY); every third is
 * flagged between its determination and its finalization, every ninth has the flag resolved; two
 * records were opened in an earlier batch and change in this one.
 */
function scenario(): { earlier: RecordedEvent[]; batch: RecordedEvent[] } {
  position = 0;
  const earlier = [opened('org1.old-a.2025Q3', 0), opened('org1.old-b.2025Q3', 1)];
  const batch: RecordedEvent[] = [];
  for (let index = 0; index < 200; index += 1) {
    const recordId = `org1.p${index}.2025Q3`;
    batch.push(opened(recordId, index), determined(recordId, 'GOOD', 80 + index / 4));
    if (index % 3 === 0) batch.push(flagged(recordId, `fact-${index}`));
    if (index % 9 === 0) batch.push(resolved(recordId, `fact-${index}`));
    batch.push(finalized(recordId, index % 3 === 0 ? 'COMPETENT' : 'GOOD'));
  }
  batch.push(determined('org1.old-a.2025Q3', 'EXCELLENT', 95), flagged('org1.old-b.2025Q3', 'fact-old'), determined('org1.old-b.2025Q3', 'GOOD', 85));
  return { earlier, batch };
}

/** The batches applied in one transaction, rolled back: the rows they left, and what was sent. */
async function apply(definition: ReturnType<typeof fromPureProjection>, batches: RecordedEvent[][]): Promise<{ view: unknown[]; flags: unknown[]; sent: string[] }> {
  const { outcome, sent } = await transactionMessages(database.pool, async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      for (const batch of batches) await definition.apply(client, batch);
      const view = await client.query('SELECT * FROM grade_view ORDER BY record_id');
      const flags = await client.query('SELECT * FROM grade_flag ORDER BY record_id, fact_event_id');
      return { view: view.rows, flags: flags.rows };
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
  return { ...outcome, sent };
}

describe('grade_view a batch at a time', () => {
  it('leaves the rows its statements event by event leave, with flags in between and the new rows as COPY', async () => {
    const { earlier, batch } = scenario();
    const eventByEvent = await apply(fromPureProjection({ ...gradeViewProjection, handleBatch: undefined }), [earlier, ...batch.map((event) => [event])]);
    const batched = await apply(fromPureProjection(gradeViewProjection), [earlier, batch]);
    expect(eventByEvent.view).toHaveLength(202);
    expect(eventByEvent.view).toContainEqual(expect.objectContaining({ record_id: 'org1.p3.2025Q3', status: 'FINAL', grade: 'COMPETENT', flagged: true }));
    expect(eventByEvent.view).toContainEqual(expect.objectContaining({ record_id: 'org1.p9.2025Q3', flagged: false }));
    expect(eventByEvent.view).toContainEqual(expect.objectContaining({ record_id: 'org1.old-b.2025Q3', status: 'AWAITING_NOTICE', flagged: true }));
    expect(batched.view).toEqual(eventByEvent.view);
    expect(batched.flags).toEqual(eventByEvent.flags);
    expect(batched.sent.some((text) => text.includes('COPY grade_view'))).toBe(true);
  });

  it('refuses a record opened twice rather than writing its row again', async () => {
    const { earlier } = scenario();
    await expect(apply(fromPureProjection(gradeViewProjection), [earlier, [earlier[0]]])).rejects.toThrow(/duplicate key/);
  });
});
