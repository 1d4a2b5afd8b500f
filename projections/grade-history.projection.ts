import type { RecordEvent } from '../src/appraisal/domain/record.events.js';
import type { Outcome } from '../src/appraisal/domain/vocabulary.js';
import type { RecordedEvent } from '../src/event-store/event.js';
import type { PureProjection, SqlStatement } from '../src/projection/projection.js';
import { isRecordStreamEvent, outcomeColumns, recordIdOf, type RecordEventData } from './grade-view.projection.js';

export type GradeHistoryKind = 'DETERMINED' | 'REVISED' | 'BACKFILLED' | 'LEFT_UNGRADED';

interface HistoryEntry {
  kind: GradeHistoryKind;
  outcome: Outcome;
  score: number | null;
  trace: unknown[];
}

function entryOf(event: RecordedEvent): HistoryEntry | undefined {
  switch (event.type as RecordEvent['type']) {
    case 'GradeDetermined': {
      const data = event.data as RecordEventData<'GradeDetermined'>;
      return { kind: 'DETERMINED', outcome: data.outcome, score: data.score, trace: data.trace };
    }
    case 'GradeRevised': {
      const data = event.data as RecordEventData<'GradeRevised'>;
      return { kind: 'REVISED', outcome: data.to, score: data.score, trace: data.trace };
    }
    case 'GradeBackfilled': {
      const data = event.data as RecordEventData<'GradeBackfilled'>;
      return { kind: 'BACKFILLED', outcome: data.outcome, score: data.score, trace: data.trace };
    }
    case 'RecordLeftUngraded': {
      const data = event.data as RecordEventData<'RecordLeftUngraded'>;
      return { kind: 'LEFT_UNGRADED', outcome: { kind: 'WITHHELD_INVESTIGATION', reason: data.reason }, score: null, trace: [] };
    }
    default:
      return undefined;
  }
}

/**
 * grade_history: every determination, revision, backfill and record left ungraded (after its
 * case closed), one row per event with the outcome it gave, the actor and its trace.
 */
export const gradeHistoryProjection: PureProjection = {
  name: 'grade_history',
  version: 1,
  tables: ['grade_history'],
  handle(event: RecordedEvent): SqlStatement[] {
    if (!isRecordStreamEvent(event)) return [];
    const entry = entryOf(event);
    if (!entry) return [];
    const outcome = outcomeColumns(entry.outcome);
    return [
      {
        text: `INSERT INTO grade_history (event_id, record_id, global_position, kind, outcome_kind, grade, reason, score,
                 actor_id, recorded_at, trace)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
               ON CONFLICT (event_id) DO UPDATE
                 SET record_id = excluded.record_id, global_position = excluded.global_position, kind = excluded.kind,
                     outcome_kind = excluded.outcome_kind, grade = excluded.grade, reason = excluded.reason,
                     score = excluded.score, actor_id = excluded.actor_id, recorded_at = excluded.recorded_at,
                     trace = excluded.trace`,
        values: [
          event.eventId,
          recordIdOf(event),
          event.globalPosition.toString(),
          entry.kind,
          outcome.outcome_kind,
          outcome.grade,
          outcome.reason,
          entry.score,
          event.metadata.actor.id,
          event.recordedAt,
          JSON.stringify(entry.trace),
        ],
      },
    ];
  },
};
