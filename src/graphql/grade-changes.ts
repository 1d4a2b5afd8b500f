import type pg from 'pg';
import { outcomeColumns } from '../../projections/grade-view.projection.js';
import { outcomeSetBy } from '../appraisal/domain/record.events.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { ProjectionRunner } from '../projection/projection-runner.js';
import type { GradeChange, GradeChangeKind } from './schema.types.js';

export const GRADE_CHANGED_TOPIC = 'GRADE_CHANGED';

const CHANGE_KINDS: Record<string, GradeChangeKind> = {
  GradeFinalized: 'NEW',
  GradeRevised: 'REVISED',
  GradeBackfilled: 'BACKFILLED',
  GradeFlagged: 'FLAGGED',
};

interface Publisher {
  publish(event: { topic: string; payload: unknown }): unknown;
}

/**
 * Publishes every grade change to subscribers once the grade view has committed it: a subscriber
 * that then queries the read side sees the change. The batches are published one after another in
 * the order they were committed, each change with the outcome its event put in force (a flag,
 * which changes none, with the outcome in force when it is published). Returns the unsubscribe.
 */
export function publishGradeChanges(runner: ProjectionRunner, pool: pg.Pool, pubsub: Publisher, log: (message: string) => void): () => void {
  let published = Promise.resolve();
  return runner.onCommitted((name, events) => {
    if (name !== 'grade_view') return;
    const changes = events.filter((event) => CHANGE_KINDS[event.type] !== undefined && event.streamId.startsWith('appraisal-'));
    if (changes.length === 0) return;
    published = published
      .then(() => publishBatch(pool, pubsub, changes))
      .catch((error: unknown) => log(`grade changes at positions ${changes[0].globalPosition}–${changes[changes.length - 1].globalPosition} not published: ${error instanceof Error ? error.message : String(error)}`));
  });
}

async function publishBatch(pool: pg.Pool, pubsub: Publisher, events: RecordedEvent[]): Promise<void> {
  const recordIds = events.map((event) => event.streamId.slice('appraisal-'.length));
  const rows = await pool.query<{ record_id: string; organization_id: string; person_id: string; period: string; outcome_kind: string | null; grade: string | null }>(
    'SELECT record_id, organization_id, person_id, period, outcome_kind, grade FROM grade_view WHERE record_id = ANY($1::text[])',
    [recordIds],
  );
  const byRecord = new Map(rows.rows.map((row) => [row.record_id, row]));
  /** The outcome each record's latest change in this batch put in force, as its columns. */
  const inForce = new Map<string, { outcome_kind: string | null; grade: string | null }>();
  for (const event of events) {
    const row = byRecord.get(event.streamId.slice('appraisal-'.length));
    if (!row) continue;
    const outcome = outcomeSetBy(event);
    if (outcome) inForce.set(row.record_id, outcomeColumns(outcome));
    const columns = inForce.get(row.record_id) ?? row;
    const gradeChanged: GradeChange = {
      recordId: row.record_id,
      organizationId: row.organization_id,
      personId: row.person_id,
      period: row.period,
      kind: CHANGE_KINDS[event.type],
      outcomeKind: columns.outcome_kind,
      grade: columns.grade,
      eventId: event.eventId,
      globalPosition: event.globalPosition.toString(),
    };
    await pubsub.publish({ topic: GRADE_CHANGED_TOPIC, payload: { gradeChanged } });
  }
}
