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
    const recordEvents = events.filter(isRecordEvent);
    // A record's subject is written once, at its opening, before any outcome of it: all of the
    // batch's go in first, in one statement.
    await rememberSubjects(transaction, recordEvents.filter((event) => event.type === 'RecordOpened'));
    // Each record's last outcome in the batch is the one that stands.
    const lastOutcomes = new Map<string, { outcome: Outcome; position: string }>();
    for (const event of recordEvents) {
      const outcome = outcomeSetBy(event);
      if (outcome) lastOutcomes.set(recordIdOf(event), { outcome, position: event.globalPosition.toString() });
    }
    const changedPeople = await storeAnnualOutcomes(transaction, lastOutcomes);
    await recomputeConsequences(transaction, changedPeople);
  },
};

function isRecordEvent(event: RecordedEvent): boolean {
  return event.streamId.startsWith(RECORD_STREAM_PREFIX);
}

function recordIdOf(event: RecordedEvent): string {
  return event.streamId.slice(RECORD_STREAM_PREFIX.length);
}

async function rememberSubjects(transaction: pg.PoolClient, opened: RecordedEvent[]): Promise<void> {
  if (opened.length === 0) return;
  const subjects = opened.map((event) => ({ ...(event.data as RecordEventData<'RecordOpened'>), recordId: recordIdOf(event) }));
  await transaction.query(
    `INSERT INTO appraisal_record_subject (record_id, person_id, period, period_kind)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [subjects.map((subject) => subject.recordId), subjects.map((subject) => subject.personId), subjects.map((subject) => subject.period), subjects.map((subject) => subject.periodKind)],
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

/**
 * Stores the outcomes of the annual records among them (an annual period is its year, `2025`);
 * the others are not annual and change nothing here. Returns the people whose annual outcomes changed.
 */
async function storeAnnualOutcomes(transaction: pg.PoolClient, outcomes: Map<string, { outcome: Outcome; position: string }>): Promise<string[]> {
  if (outcomes.size === 0) return [];
  const entries = [...outcomes];
  const result = await transaction.query<{ person_id: string }>(
    `INSERT INTO annual_outcome (record_id, person_id, year, outcome_kind, grade, last_global_position)
     SELECT subject.record_id, subject.person_id, subject.period::integer, changed.outcome_kind, changed.grade, changed.position
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS changed(record_id, outcome_kind, grade, position)
       JOIN appraisal_record_subject subject ON subject.record_id = changed.record_id AND subject.period_kind = 'ANNUAL'
     ON CONFLICT (record_id) DO UPDATE
       SET outcome_kind = excluded.outcome_kind, grade = excluded.grade,
           last_global_position = excluded.last_global_position
     RETURNING person_id`,
    [
      entries.map(([recordId]) => recordId),
      entries.map(([, { outcome }]) => outcome.kind),
      entries.map(([, { outcome }]) => (outcome.kind === 'GRADE' ? outcome.grade : null)),
      entries.map(([, { position }]) => position),
    ],
  );
  return [...new Set(result.rows.map((row) => row.person_id))];
}

/** Replaces the people's consequences with those of their annual outcomes as they now stand. */
async function recomputeConsequences(transaction: pg.PoolClient, people: string[]): Promise<void> {
  if (people.length === 0) return;
  const outcomes = await annualOutcomes(transaction, people);
  const consequences = people.flatMap((personId) => gradeConsequences(outcomes.get(personId) ?? []).map((consequence) => ({ ...consequence, personId })));
  await transaction.query('DELETE FROM grade_consequence WHERE person_id = ANY($1::text[])', [people]);
  await transaction.query(
    `INSERT INTO grade_consequence (person_id, year, kind, label, detail, basis_years)
     SELECT "personId", year, kind, label, detail, "basisYears"
       FROM jsonb_to_recordset($1::jsonb)
         AS consequence("personId" text, year integer, kind text, label text, detail text, "basisYears" integer[])`,
    [JSON.stringify(consequences)],
  );
}

/**
 * Each person's outcomes, one per year, oldest first. A person can hold two annual records for a
 * year (the home and the receiving organization of a secondment): a grade outranks a non-grade
 * outcome, and between equals the latest change wins.
 */
async function annualOutcomes(transaction: pg.PoolClient, people: string[]): Promise<Map<string, AnnualOutcome[]>> {
  const result = await transaction.query<{ person_id: string; year: number; outcome_kind: 'GRADE' | NonGradeOutcomeKind; grade: string | null }>(
    `SELECT DISTINCT ON (person_id, year) person_id, year, outcome_kind, grade
       FROM annual_outcome
      WHERE person_id = ANY($1::text[])
      ORDER BY person_id, year, outcome_kind = 'GRADE' DESC, last_global_position DESC`,
    [people],
  );
  const byPerson = new Map<string, AnnualOutcome[]>();
  for (const row of result.rows) {
    const outcomes = byPerson.get(row.person_id) ?? [];
    outcomes.push({ year: row.year, outcome: row.outcome_kind === 'GRADE' ? { kind: 'GRADE', grade: row.grade! } : { kind: row.outcome_kind } });
    byPerson.set(row.person_id, outcomes);
  }
  return byPerson;
}
