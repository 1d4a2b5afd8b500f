import type pg from 'pg';
import type { RecordedEvent } from '../../src/event-store/event.js';
import { publishGradeChanges } from '../../src/graphql/grade-changes.js';
import type { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { recordedEvent } from '../support/events.js';

const RECORD = 'bureau.p-1.2025Q3';
/** The grade view's row as it stands once the backfill has been applied. */
const ROW_NOW = { record_id: RECORD, organization_id: 'bureau', person_id: 'p-1', period: '2025Q3', outcome_kind: 'GRADE', grade: 'FAIRLY_GOOD' };

const event = (position: number, type: string, data: Record<string, unknown>) => recordedEvent(`appraisal-${RECORD}`, position, type, data);

/**
 * A runner that hands committed batches to its listener, a pool whose reads of the grade view wait
 * in `pending` until the test answers them (each with the row as it stands at the end), and a
 * pubsub that keeps what is published.
 */
function harness() {
  let listener: (name: string, events: RecordedEvent[]) => void = () => undefined;
  const runner = { onCommitted: (registered: typeof listener) => ((listener = registered), () => undefined) } as unknown as ProjectionRunner;
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const pool = {
    query: () =>
      new Promise((resolve, reject) => pending.push({ resolve: () => resolve({ rows: [ROW_NOW] }), reject })),
  } as unknown as pg.Pool;
  const published: Record<string, unknown>[] = [];
  const logged: string[] = [];
  publishGradeChanges(runner, pool, { publish: ({ payload }) => published.push((payload as { gradeChanged: Record<string, unknown> }).gradeChanged) }, (message) => logged.push(message));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { commit: (events: RecordedEvent[], projection = 'grade_view') => listener(projection, events), pending, published, logged, settle };
}

describe('publishing grade changes', () => {
  it('publishes the batches in the order committed, each change with the outcome its event put in force', async () => {
    const { commit, pending, published, settle } = harness();
    commit([event(1, 'GradeFinalized', { outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案调查中' }, finalizedOn: '2025-10-10' })]);
    commit([event(2, 'GradeBackfilled', { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 85 })]);
    await settle();
    // The second batch's read must not start before the first batch is published.
    expect(pending).toHaveLength(1);
    pending[0].resolve();
    await settle();
    expect(pending).toHaveLength(2);
    pending[1].resolve();
    await settle();
    expect(published.map((change) => [change.kind, change.outcomeKind, change.grade, change.globalPosition])).toEqual([
      ['NEW', 'WITHHELD_INVESTIGATION', null, '1'],
      ['BACKFILLED', 'GRADE', 'FAIRLY_GOOD', '2'],
    ]);
  });

  it('gives a flag the outcome of the revision before it in its batch, and with none the view\'s', async () => {
    const { commit, pending, published, settle } = harness();
    commit([
      event(1, 'GradeRevised', { from: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, to: { kind: 'GRADE', grade: 'COMPETENT' }, score: 80, cause: 'OBJECTION', trace: [] }),
      event(2, 'GradeFlagged', { factEventId: 'f', factType: 'PenaltyImposed', code: 'X', reason: 'r' }),
    ]);
    commit([event(3, 'GradeFlagged', { factEventId: 'g', factType: 'PenaltyImposed', code: 'X', reason: 'r' })]);
    await settle();
    pending[0].resolve();
    await settle();
    pending[1].resolve();
    await settle();
    expect(published.map((change) => [change.kind, change.grade])).toEqual([
      ['REVISED', 'COMPETENT'],
      ['FLAGGED', 'COMPETENT'],
      ['FLAGGED', 'FAIRLY_GOOD'],
    ]);
  });

  it('logs a batch it could not publish and goes on with the next', async () => {
    const { commit, pending, published, logged, settle } = harness();
    commit([event(1, 'GradeFinalized', { outcome: { kind: 'GRADE', grade: 'COMPETENT' }, finalizedOn: '2025-10-10' })]);
    commit([event(2, 'GradeBackfilled', { outcome: { kind: 'GRADE', grade: 'FAIRLY_GOOD' }, score: 85 })]);
    await settle();
    pending[0].reject(new Error('connection lost'));
    await settle();
    pending[1].resolve();
    await settle();
    expect(logged).toEqual(['grade changes at positions 1–1 not published: connection lost']);
    expect(published.map((change) => change.kind)).toEqual(['BACKFILLED']);
  });

  it('ignores the batches of other projections', async () => {
    const { commit, pending, published, settle } = harness();
    commit([event(1, 'GradeFinalized', { outcome: { kind: 'GRADE', grade: 'COMPETENT' }, finalizedOn: '2025-10-10' })], 'grade_history');
    await settle();
    expect(pending).toHaveLength(0);
    expect(published).toHaveLength(0);
  });
});
