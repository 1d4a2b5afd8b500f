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
    const row = historyRow(event);
    return row ? [insertRow(row)] : [];
  },
  /**
   * Many rows in one statement (one row per event: no two of them meet on the key); a few a row
   * at a time, which for a few rows costs PostgreSQL less (the service's small batches).
   */
  handleBatch(events: RecordedEvent[]): SqlStatement[] {
    const rows = events.flatMap((event) => {
      const row = historyRow(event);
      return row ? [row] : [];
    });
    return rows.length >= SET_BASED_FROM_ROWS ? [insertRows(rows)] : rows.map(insertRow);
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

const SET_BASED_FROM_ROWS = 8;

const COLUMNS: [name: string, type: string][] = [
  ['event_id', 'uuid'],
  ['record_id', 'text'],
  ['global_position', 'bigint'],
  ['kind', 'text'],
  ['outcome_kind', 'text'],
  ['grade', 'text'],
  ['reason', 'text'],
  ['score', 'numeric'],
  ['actor_id', 'text'],
  ['recorded_at', 'timestamptz'],
  ['trace', 'jsonb'],
];

/** A row written again, for the same event, takes the values given. */
const ON_CONFLICT = `ON CONFLICT (event_id) DO UPDATE SET ${COLUMNS.slice(1).map(([name]) => `${name} = excluded.${name}`).join(', ')}`;
const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');

function insertRow(row: unknown[]): SqlStatement {
  return {
    text: `INSERT INTO grade_history (${COLUMN_LIST}) VALUES (${COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')}) ${ON_CONFLICT}`,
    values: row,
  };
}

function insertRows(rows: unknown[][]): SqlStatement {
  return {
    text: `INSERT INTO grade_history (${COLUMN_LIST}) SELECT * FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')}) ${ON_CONFLICT}`,
    values: COLUMNS.map((_, index) => rows.map((row) => row[index])),
  };
}
