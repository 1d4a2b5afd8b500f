import type pg from 'pg';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export interface MeasureInWindow {
  measureId: string;
  measure: string;
  family: string;
  decisionDate: string;
  effectiveDate: string;
  effectEnds: string;
  liftedOn: string | null;
  caseId: string | null;
  authority: string;
  documentNumber: string;
}

export interface InvestigationInWindow {
  caseId: string;
  openedOn: string;
  closedOn: string | null;
  outcome: string | null;
}

export interface GradeInWindow {
  recordId: string;
  organizationId: string;
  period: string;
  outcomeKind: string | null;
  grade: string | null;
  reason: string | null;
  flagged: boolean;
}

export interface PersonUnderDiscipline {
  personId: string;
  measures: MeasureInWindow[];
  investigations: InvestigationInWindow[];
  grades: GradeInWindow[];
}

export interface OpenFlag {
  factType: string;
  code: string;
  reason: string;
}

export interface ConflictingGrade {
  recordId: string;
  organizationId: string;
  personId: string;
  period: string;
  outcomeKind: string | null;
  grade: string | null;
  flags: OpenFlag[];
}

export interface ActorStamp {
  eventType: string;
  actorId: string;
  actorRole: string;
  recordedAt: string;
}

export interface GradeActors {
  recordId: string;
  proposed: ActorStamp[];
  reviewed: ActorStamp[];
  determined: ActorStamp[];
  signed: ActorStamp[];
}

export interface PeopleUnderDisciplineQuery {
  organizationId?: string | null;
  from: string;
  to: string;
  after?: string | null;
  first: number;
}

export interface ConflictingGradesQuery {
  organizationId?: string | null;
  after?: string | null;
  first: number;
}

/**
 * When a measure's effect ends: the day it was lifted, or the end of its period or term, or, when
 * no period is known, the end of the year it took effect — whichever comes first.
 */
const EFFECT_ENDS = `LEAST(
  d.lifted_on,
  CASE
    WHEN d.period_months IS NOT NULL THEN (d.effective_date + make_interval(months => d.period_months) - interval '1 day')::date
    WHEN d.term_years IS NOT NULL THEN (d.effective_date + make_interval(years => d.term_years) - interval '1 day')::date
    ELSE make_date(extract(year FROM d.effective_date)::int, 12, 31)
  END)`;

/** Measures (not revoked) whose effect overlaps [$1, $2]. */
const MEASURES_IN_WINDOW = `
  SELECT d.*, ${EFFECT_ENDS} AS effect_ends
  FROM discipline_view d
  WHERE NOT d.revoked AND d.effective_date <= $2::date AND ${EFFECT_ENDS} >= $1::date`;

/** Investigations overlapping [$1, $2]; an open one lasts until it is closed. */
const INVESTIGATIONS_IN_WINDOW = `
  SELECT i.* FROM investigation_view i
  WHERE i.opened_on <= $2::date AND (i.closed_on IS NULL OR i.closed_on >= $1::date)`;

/** First and last day of a grade_view period (`2025`, `2025Q2`, `2025M05`). */
const PERIOD_START = `make_date(left(g.period, 4)::int,
  CASE WHEN substr(g.period, 5, 1) = 'Q' THEN (substr(g.period, 6, 1)::int - 1) * 3 + 1
       WHEN substr(g.period, 5, 1) = 'M' THEN substr(g.period, 6, 2)::int
       ELSE 1 END, 1)`;
const PERIOD_END = `(${PERIOD_START} + CASE WHEN substr(g.period, 5, 1) = 'Q' THEN interval '3 months'
       WHEN substr(g.period, 5, 1) = 'M' THEN interval '1 month'
       ELSE interval '1 year' END - interval '1 day')::date`;

/**
 * Whether grade_view row `g` lies in the subtree rooted at the organization in parameter `param`
 * (true when the parameter is null): its organization or its unit is that organization or one
 * below it, to any depth, as organization_tree holds them. The root itself counts even before
 * organization_tree has caught up with its registration.
 */
function inSubtree(param: string): string {
  const subtree = `SELECT ${param}::text UNION ALL SELECT t.organization_id FROM organization_tree t WHERE t.ancestor_ids @> ARRAY[${param}::text]`;
  return `(${param}::text IS NULL OR g.organization_id IN (${subtree}) OR g.unit_id IN (${subtree}))`;
}

const day = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));
const dayOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : day(value));
const instant = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

/** Reads discipline_view, investigation_view, grade_view, grade_flag, organization_tree and audit_trail for discipline inspection (DOMAIN §8). */
export class InspectionQueries {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Everyone with a measure in effect or an investigation open during [from, to], ordered by person id;
   * with `organizationId`, only people with a grade_view record in that organization's subtree (the
   * organization and every unit below it, by the record's organization or unit), and only those records.
   */
  async peopleUnderDiscipline(query: PeopleUnderDisciplineQuery): Promise<Page<PersonUnderDiscipline>> {
    const { from, to, first } = query;
    const organizationId = query.organizationId ?? null;
    const after = query.after ?? null;
    const people = await this.pool.query<{ person_id: string }>(
      `SELECT person_id FROM (
         SELECT person_id FROM (${MEASURES_IN_WINDOW}) m
         UNION
         SELECT person_id FROM (${INVESTIGATIONS_IN_WINDOW}) i
       ) p
       WHERE ($3::text IS NULL OR p.person_id > $3::text)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM grade_view g WHERE g.person_id = p.person_id AND ${inSubtree('$4')}))
       ORDER BY p.person_id
       LIMIT $5`,
      [from, to, after, organizationId, first + 1],
    );
    const ids = people.rows.slice(0, first).map((row) => row.person_id);
    const [measures, investigations, grades] = await Promise.all([
      this.pool.query(`SELECT * FROM (${MEASURES_IN_WINDOW}) m WHERE m.person_id = ANY($3::text[]) ORDER BY m.effective_date, m.measure_id`, [from, to, ids]),
      this.pool.query(`SELECT * FROM (${INVESTIGATIONS_IN_WINDOW}) i WHERE i.person_id = ANY($3::text[]) ORDER BY i.opened_on, i.case_id`, [from, to, ids]),
      this.pool.query(
        `SELECT g.record_id, g.organization_id, g.person_id, g.period, g.outcome_kind, g.grade, g.reason, g.flagged
         FROM grade_view g
         WHERE g.person_id = ANY($3::text[]) AND ${inSubtree('$4')}
           AND ${PERIOD_START} <= $2::date AND ${PERIOD_END} >= $1::date
         ORDER BY g.period, g.record_id`,
        [from, to, ids, organizationId],
      ),
    ]);
    const nodes = ids.map(
      (personId): PersonUnderDiscipline => ({
        personId,
        measures: measures.rows
          .filter((row) => row.person_id === personId)
          .map((row) => ({
            measureId: row.measure_id,
            measure: row.measure,
            family: row.family,
            decisionDate: day(row.decision_date),
            effectiveDate: day(row.effective_date),
            effectEnds: day(row.effect_ends),
            liftedOn: dayOrNull(row.lifted_on),
            caseId: row.case_id,
            authority: row.authority,
            documentNumber: row.document_number,
          })),
        investigations: investigations.rows
          .filter((row) => row.person_id === personId)
          .map((row) => ({ caseId: row.case_id, openedOn: day(row.opened_on), closedOn: dayOrNull(row.closed_on), outcome: row.outcome })),
        grades: grades.rows
          .filter((row) => row.person_id === personId)
          .map((row) => ({
            recordId: row.record_id,
            organizationId: row.organization_id,
            period: row.period,
            outcomeKind: row.outcome_kind,
            grade: row.grade,
            reason: row.reason,
            flagged: row.flagged,
          })),
      }),
    );
    return page(nodes, (node) => node.personId, after, people.rows.length > first);
  }

  /**
   * Records whose grade_view.flagged is true, with their open flags, ordered by record id; with
   * `organizationId`, only records in that organization's subtree (by the record's organization or unit).
   */
  async conflictingGrades(query: ConflictingGradesQuery): Promise<Page<ConflictingGrade>> {
    const { first } = query;
    const organizationId = query.organizationId ?? null;
    const after = query.after ?? null;
    const records = await this.pool.query(
      `SELECT g.record_id, g.organization_id, g.person_id, g.period, g.outcome_kind, g.grade
       FROM grade_view g
       WHERE g.flagged AND ($1::text IS NULL OR g.record_id > $1::text) AND ${inSubtree('$2')}
       ORDER BY g.record_id
       LIMIT $3`,
      [after, organizationId, first + 1],
    );
    const rows = records.rows.slice(0, first);
    const flags = await this.pool.query(
      `SELECT record_id, fact_type, code, reason FROM grade_flag
       WHERE resolved_at_position IS NULL AND record_id = ANY($1::text[])
       ORDER BY flagged_at_position, fact_event_id`,
      [rows.map((row) => row.record_id)],
    );
    const nodes = rows.map(
      (row): ConflictingGrade => ({
        recordId: row.record_id,
        organizationId: row.organization_id,
        personId: row.person_id,
        period: row.period,
        outcomeKind: row.outcome_kind,
        grade: row.grade,
        flags: flags.rows.filter((flag) => flag.record_id === row.record_id).map((flag) => ({ factType: flag.fact_type, code: flag.code, reason: flag.reason })),
      }),
    );
    return page(nodes, (node) => node.recordId, after, records.rows.length > first);
  }

  /** Who proposed, reviewed, determined and signed (or refused to sign) the record's grade, from audit_trail. */
  async gradeActors(recordId: string): Promise<GradeActors> {
    const result = await this.pool.query<{ event_type: string; actor_id: string; actor_role: string; recorded_at: Date }>(
      `SELECT event_type, actor_id, actor_role, recorded_at FROM audit_trail
       WHERE stream_id = $1 AND event_type = ANY($2::text[])
       ORDER BY stream_revision`,
      [`appraisal-${recordId}`, [...PROPOSED, ...REVIEWED, ...DETERMINED, ...SIGNED]],
    );
    const stamps = result.rows.map((row) => ({ eventType: row.event_type, actorId: row.actor_id, actorRole: row.actor_role, recordedAt: instant(row.recorded_at) }));
    const of = (types: readonly string[]) => stamps.filter((stamp) => types.includes(stamp.eventType));
    return { recordId, proposed: of(PROPOSED), reviewed: of(REVIEWED), determined: of(DETERMINED), signed: of(SIGNED) };
  }
}

const PROPOSED = ['GradeProposed'] as const;
const REVIEWED = ['ProposalReviewed'] as const;
const DETERMINED = ['GradeDetermined', 'GradeRevised', 'GradeBackfilled'] as const;
const SIGNED = ['ResultSignedOff', 'SignOffRefused'] as const;

function page<T>(nodes: T[], cursorOf: (node: T) => string, after: string | null, hasNextPage: boolean): Page<T> {
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { endCursor: edges.length ? edges[edges.length - 1].cursor : after, hasNextPage } };
}
