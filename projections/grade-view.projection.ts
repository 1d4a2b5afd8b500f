import type { RecordEvent } from '../src/appraisal/domain/record.events.js';
import type { Outcome } from '../src/appraisal/domain/vocabulary.js';
import type { RecordedEvent } from '../src/event-store/event.js';
import type { PureProjection, SqlStatement } from '../src/projection/projection.js';

/** A record's stream is `appraisal-<recordId>`; only RecordOpened names the record. */
export const RECORD_STREAM_PREFIX = 'appraisal-';

export type RecordEventData<Type extends RecordEvent['type']> = Extract<RecordEvent, { type: Type }>['data'];

export function isRecordStreamEvent(event: RecordedEvent): boolean {
  return event.streamId.startsWith(RECORD_STREAM_PREFIX);
}

/** The record an event of a record stream belongs to: RecordOpened's id, else the stream's. */
export function recordIdOf(event: RecordedEvent): string {
  const named = event.type === 'RecordOpened' ? event.data.recordId : undefined;
  return typeof named === 'string' ? named : event.streamId.slice(RECORD_STREAM_PREFIX.length);
}

/** The three outcome columns: kind, grade (GRADE only) and reason (every other kind). */
export function outcomeColumns(outcome: Outcome): { outcome_kind: string; grade: string | null; reason: string | null } {
  return outcome.kind === 'GRADE'
    ? { outcome_kind: 'GRADE', grade: outcome.grade, reason: null }
    : { outcome_kind: outcome.kind, grade: null, reason: outcome.reason };
}

/** Sets columns of one record's row and moves its last position to the event's. */
function update(event: RecordedEvent, columns: Record<string, unknown> = {}, computed: string[] = []): SqlStatement {
  return setRow(recordIdOf(event), event.globalPosition.toString(), columns, computed);
}

function setRow(recordId: string, position: string, columns: Record<string, unknown>, computed: string[] = []): SqlStatement {
  const names = Object.keys(columns);
  const assignments = names.map((name, index) => `${name} = $${index + 3}`);
  return {
    text: `UPDATE grade_view SET ${[...assignments, ...computed, 'last_global_position = $2'].join(', ')} WHERE record_id = $1`,
    values: [recordId, position, ...names.map((name) => columns[name])],
  };
}

/** The columns of a record's row, in the order its INSERT names them. */
const ROW_COLUMNS = [
  'record_id', 'organization_id', 'unit_id', 'person_id', 'period', 'period_kind', 'category', 'status',
  'outcome_kind', 'grade', 'reason', 'score', 'rule_set_id', 'rule_set_version', 'flagged', 'last_global_position',
];

/**
 * A plain INSERT of one row: each event is applied once (the runner's checkpoint), so a record's
 * row is inserted once, and a batch's run of them combines into one multi-row INSERT, or COPY when
 * it is long (a rebuild's).
 */
const INSERT_ROW = `INSERT INTO grade_view (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})`;

/** The row a record's RecordOpened makes, by column. */
function openedRow(event: RecordedEvent): Record<string, unknown> {
  const data = event.data as RecordEventData<'RecordOpened'>;
  return {
    record_id: recordIdOf(event),
    organization_id: data.organizationId,
    unit_id: data.unitId,
    person_id: data.personId,
    period: data.period,
    period_kind: data.periodKind,
    category: data.category,
    status: 'OPEN',
    outcome_kind: null,
    grade: null,
    reason: null,
    score: null,
    rule_set_id: data.ruleSetId,
    rule_set_version: data.ruleSetVersion,
    flagged: false,
    last_global_position: event.globalPosition.toString(),
  };
}

function insertRow(row: Record<string, unknown>): SqlStatement {
  return { text: INSERT_ROW, values: ROW_COLUMNS.map((column) => row[column]) };
}

const FLAGGED = `flagged = EXISTS (SELECT 1 FROM grade_flag
                   WHERE grade_flag.record_id = grade_view.record_id AND grade_flag.resolved_at_position IS NULL)`;

/**
 * grade_view: one row per appraisal record with where it stands (OPEN, AWAITING_NOTICE, FINAL,
 * PUBLISHED, as the record itself), its current outcome and score, its rule set, whether a
 * late-recorded fact flags it, and the position of its last event. grade_flag holds the flags.
 */
export const gradeViewProjection: PureProjection = {
  name: 'grade_view',
  version: 1,
  tables: ['grade_view', 'grade_flag'],
  handle: gradeViewStatements,
  handleBatch(events: RecordedEvent[]): SqlStatement[] {
    // Most of a record's events only set columns of its row and move its last position: those
    // are held back, merged per record (a later event's value wins, as it would have written
    // last), and written at the end of the batch: into the row itself when the record was opened
    // in the batch (all those rows in one INSERT), otherwise one UPDATE for all the records whose
    // merged change sets the same columns. A record's other statements (its flags) go out in
    // order, after its row and what was held back for it until then.
    const statements: SqlStatement[] = [];
    const openedRows = new Map<string, Record<string, unknown>>();
    const held = new Map<string, HeldChange>();
    for (const event of events) {
      if (!isRecordStreamEvent(event)) continue;
      const recordId = recordIdOf(event);
      if (event.type === 'RecordOpened') {
        openedRows.set(recordId, openedRow(event));
        continue;
      }
      const columns = plainColumns(event);
      const row = openedRows.get(recordId);
      if (columns && row) {
        Object.assign(row, columns, { last_global_position: event.globalPosition.toString() });
        continue;
      }
      if (columns) {
        held.set(recordId, { columns: { ...held.get(recordId)?.columns, ...columns }, position: event.globalPosition.toString() });
        continue;
      }
      if (row) {
        statements.push(insertRow(row));
        openedRows.delete(recordId);
      }
      const before = held.get(recordId);
      if (before) {
        statements.push(setRow(recordId, before.position, before.columns));
        held.delete(recordId);
      }
      statements.push(...gradeViewStatements(event));
    }
    for (const row of openedRows.values()) statements.push(insertRow(row));
    statements.push(...setColumns(held));
    return statements;
  },
};

/** What a batch holds back for a record: the columns its events set and the position of the last of them. */
interface HeldChange {
  columns: Record<string, unknown>;
  position: string;
}

/** The types of the columns an event of the record sets (for the arrays they are sent in). */
const COLUMN_TYPES: Record<string, string> = { status: 'text', outcome_kind: 'text', grade: 'text', reason: 'text', score: 'numeric' };

/**
 * Records fewer than this that change the same columns are written a row at a time: for a few
 * rows a plain UPDATE costs PostgreSQL less than one over arrays (the service's small batches).
 */
const SET_BASED_FROM_RECORDS = 8;

/** One UPDATE per set of columns, for all the records whose change sets those columns. */
function setColumns(changes: Map<string, HeldChange>): SqlStatement[] {
  const bySignature = new Map<string, [string, HeldChange][]>();
  for (const entry of changes) {
    const signature = Object.keys(entry[1].columns).sort().join(',');
    const same = bySignature.get(signature);
    if (same) same.push(entry);
    else bySignature.set(signature, [entry]);
  }
  return [...bySignature].flatMap(([signature, entries]): SqlStatement[] => {
    const names = signature === '' ? [] : signature.split(',');
    if (entries.length < SET_BASED_FROM_RECORDS) return entries.map(([recordId, change]) => setRow(recordId, change.position, change.columns));
    return [
      {
        text: `UPDATE grade_view SET ${[...names.map((name) => `${name} = changed.${name}`), 'last_global_position = changed.position'].join(', ')}
               FROM unnest($1::text[], $2::bigint[]${names.map((name, index) => `, $${index + 3}::${COLUMN_TYPES[name]}[]`).join('')})
                 AS changed(record_id, position${names.map((name) => `, ${name}`).join('')})
              WHERE grade_view.record_id = changed.record_id`,
        values: [entries.map(([recordId]) => recordId), entries.map(([, change]) => change.position), ...names.map((name) => entries.map(([, change]) => change.columns[name]))],
      },
    ];
  });
}

/**
 * The columns an event of the record sets on its row besides its last position ({} for an event
 * that only moves the position), or undefined for an event with statements of its own (the
 * row's insert, the flags).
 */
function plainColumns(event: RecordedEvent): Record<string, unknown> | undefined {
  const type = event.type as RecordEvent['type'];
  switch (type) {
    case 'RecordOpened':
    case 'GradeFlagged':
    case 'GradeFlagResolved':
      return undefined;
    case 'GradeDetermined': {
      const data = event.data as RecordEventData<'GradeDetermined'>;
      return { status: 'AWAITING_NOTICE', ...outcomeColumns(data.outcome), score: data.score };
    }
    case 'GradeFinalized': {
      const data = event.data as RecordEventData<'GradeFinalized'>;
      return { status: 'FINAL', ...outcomeColumns(data.outcome) };
    }
    case 'ResultPublished':
      return { status: 'PUBLISHED' };
    case 'GradeRevised': {
      const data = event.data as RecordEventData<'GradeRevised'>;
      return { ...outcomeColumns(data.to), score: data.score };
    }
    case 'GradeBackfilled': {
      const data = event.data as RecordEventData<'GradeBackfilled'>;
      return { ...outcomeColumns(data.outcome), score: data.score };
    }
    case 'RecordLeftUngraded': {
      const data = event.data as RecordEventData<'RecordLeftUngraded'>;
      return outcomeColumns({ kind: 'WITHHELD_INVESTIGATION', reason: data.reason });
    }
    default:
      return {};
  }
}

function gradeViewStatements(event: RecordedEvent): SqlStatement[] {
  if (!isRecordStreamEvent(event)) return [];
  const type = event.type as RecordEvent['type'];
  switch (type) {
    case 'RecordOpened':
      return [insertRow(openedRow(event))];
    case 'GradeFlagged': {
      const data = event.data as RecordEventData<'GradeFlagged'>;
      return [
        {
          text: `INSERT INTO grade_flag (record_id, fact_event_id, fact_type, code, reason, flagged_at_position, resolved_at_position)
                 VALUES ($1, $2, $3, $4, $5, $6, NULL)
                 ON CONFLICT (record_id, fact_event_id) DO UPDATE
                   SET fact_type = excluded.fact_type, code = excluded.code, reason = excluded.reason,
                       flagged_at_position = excluded.flagged_at_position, resolved_at_position = NULL`,
          values: [recordIdOf(event), data.factEventId, data.factType, data.code, data.reason, event.globalPosition.toString()],
        },
        update(event, {}, [FLAGGED]),
      ];
    }
    case 'GradeFlagResolved': {
      const data = event.data as RecordEventData<'GradeFlagResolved'>;
      return [
        {
          text: `UPDATE grade_flag SET resolved_at_position = $3
                  WHERE record_id = $1 AND fact_event_id = ANY($2::text[]) AND resolved_at_position IS NULL`,
          values: [recordIdOf(event), data.factEventIds, event.globalPosition.toString()],
        },
        update(event, {}, [FLAGGED]),
      ];
    }
    default:
      return [update(event, plainColumns(event))];
  }
}
