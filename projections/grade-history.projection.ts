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
  /**
   * One plain INSERT per row: each event is applied once (the runner's checkpoint), so no row is
   * ever written twice, and a batch's run of them goes as one multi-row INSERT, or as COPY when
   * it is long (a rebuild's), which for rows carrying a trace costs both sides far less.
   */
  handle(event: RecordedEvent): SqlStatement[] {
    const row = historyRow(event);
    return row ? [{ text: INSERT_ROW, values: row }] : [];
  },
};

/** The row an event of a record writes, in the order of COLUMNS; undefined for an event with none. */
function historyRow(event: RecordedEvent): unknown[] | undefined {
  if (!isRecordStreamEvent(event)) return undefined;
  const entry = entryOf(event);
  if (!entry) return undefined;
  const outcome = outcomeColumns(entry.outcome);
  return [
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
  ];
}

const COLUMNS = ['event_id', 'record_id', 'global_position', 'kind', 'outcome_kind', 'grade', 'reason', 'score', 'actor_id', 'recorded_at', 'trace'];

const INSERT_ROW = `INSERT INTO grade_history (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})`;
