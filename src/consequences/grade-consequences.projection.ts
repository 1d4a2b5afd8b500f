import type pg from 'pg';
import type { RecordEvent } from '../appraisal/domain/record.events.js';
import type { NonGradeOutcomeKind, Outcome } from '../appraisal/domain/vocabulary.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { ProjectionDefinition } from '../projection/projection.js';
import { gradeConsequences, type AnnualOutcome } from './domain/grade-consequences.js';

export const GRADE_CONSEQUENCES_PROJECTION = 'grade_consequences';

/** A record's stream is `appraisal-<recordId>`; only RecordOpened names the person, so the id is the key. */
const RECORD_STREAM_PREFIX = 'appraisal-';

type RecordEventData<Type extends RecordEvent['type']> = Extract<RecordEvent, { type: Type }>['data'];


/**
 * grade_consequences: each person's consequences of their annual grades (DOMAIN.md §4.5),
 * recomputed in full whenever a finalisation, revision or backfill changes one of their years.
 */
export const gradeConsequencesProjection: ProjectionDefinition = {
  name: GRADE_CONSEQUENCES_PROJECTION,
  version: 1,
  tables: ['appraisal_record_subject', 'annual_outcome', 'grade_consequence'],
  async apply(transaction, events) {
    const changedPeople = new Set<string>();
    for (const event of events.filter(isRecordEvent)) {
      if (event.type === 'RecordOpened') {
        await rememberSubject(transaction, event);
        continue;
      }
      const outcome = outcomeSetBy(event);
      if (!outcome) continue;
      const personId = await storeAnnualOutcome(transaction, event, outcome);
      if (personId) changedPeople.add(personId);
    }
    for (const personId of changedPeople) {
      await recomputeConsequences(transaction, personId);
    }
  },
};

function isRecordEvent(event: RecordedEvent): boolean {
  return event.streamId.startsWith(RECORD_STREAM_PREFIX);
}

function recordIdOf(event: RecordedEvent): string {
  return event.streamId.slice(RECORD_STREAM_PREFIX.length);
}

async function rememberSubject(transaction: pg.PoolClient, event: RecordedEvent): Promise<void> {
  const { personId, period, periodKind } = event.data as RecordEventData<'RecordOpened'>;
  await transaction.query(
    'INSERT INTO appraisal_record_subject (record_id, person_id, period, period_kind) VALUES ($1, $2, $3, $4)',
    [recordIdOf(event), personId, period, periodKind],
  );
}

/** The outcome an event gives its record, for the events that set one. */
function outcomeSetBy(event: RecordedEvent): Outcome | undefined {
  switch (event.type) {
    case 'GradeFinalized':
      return (event.data as RecordEventData<'GradeFinalized'>).outcome;
    case 'GradeRevised':
      return (event.data as RecordEventData<'GradeRevised'>).to;
    case 'GradeBackfilled':
      return (event.data as RecordEventData<'GradeBackfilled'>).outcome;
    default:
      return undefined;
  }
}

/** Stores the outcome if the record is an annual one; returns its person, or undefined for other periods. */
async function storeAnnualOutcome(transaction: pg.PoolClient, event: RecordedEvent, outcome: Outcome): Promise<string | undefined> {
  // An annual period is its year (`2025`).
  const result = await transaction.query<{ person_id: string }>(
    `INSERT INTO annual_outcome (record_id, person_id, year, outcome_kind, grade, last_global_position)
     SELECT record_id, person_id, period::integer, $2, $3, $4
       FROM appraisal_record_subject
      WHERE record_id = $1 AND period_kind = 'ANNUAL'
     ON CONFLICT (record_id) DO UPDATE
       SET outcome_kind = excluded.outcome_kind, grade = excluded.grade,
           last_global_position = excluded.last_global_position
     RETURNING person_id`,
    [recordIdOf(event), outcome.kind, outcome.kind === 'GRADE' ? outcome.grade : null, event.globalPosition.toString()],
  );
  return result.rows[0]?.person_id;
}

async function recomputeConsequences(transaction: pg.PoolClient, personId: string): Promise<void> {
  const consequences = gradeConsequences(await annualOutcomes(transaction, personId));
  await transaction.query('DELETE FROM grade_consequence WHERE person_id = $1', [personId]);
  await transaction.query(
    `INSERT INTO grade_consequence (person_id, year, kind, label, detail, basis_years)
     SELECT $1, year, kind, label, detail, "basisYears"
       FROM jsonb_to_recordset($2::jsonb)
         AS consequence(year integer, kind text, label text, detail text, "basisYears" integer[])`,
    [personId, JSON.stringify(consequences)],
  );
}

/**
 * One outcome per year, oldest first. A person can hold two annual records for a year (the home
 * and the receiving organization of a secondment): a grade outranks a non-grade outcome, and
 * between equals the latest change wins.
 */
async function annualOutcomes(transaction: pg.PoolClient, personId: string): Promise<AnnualOutcome[]> {
  const result = await transaction.query<{ year: number; outcome_kind: 'GRADE' | NonGradeOutcomeKind; grade: string | null }>(
    `SELECT DISTINCT ON (year) year, outcome_kind, grade
       FROM annual_outcome
      WHERE person_id = $1
      ORDER BY year, outcome_kind = 'GRADE' DESC, last_global_position DESC`,
    [personId],
  );
  return result.rows.map((row) => ({
    year: row.year,
    outcome: row.outcome_kind === 'GRADE' ? { kind: 'GRADE', grade: row.grade! } : { kind: row.outcome_kind },
  }));
}
