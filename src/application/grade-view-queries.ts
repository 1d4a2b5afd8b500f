import type pg from 'pg';
import type { TraceStep } from '../appraisal/domain/trace.js';

/** One grade_view row, as the `grades` page returns it; `outcome`, `ruleSet`, `flags` and `history` are resolved in batches. */
export interface GradeViewRow {
  recordId: string;
  organizationId: string;
  unitId: string;
  personId: string;
  period: string;
  periodKind: 'QUARTERLY' | 'MONTHLY' | 'ANNUAL';
  category: 'CIVIL_SERVANT' | 'REFERENCE_MANAGED' | 'PUBLIC_INSTITUTION' | 'OTHER';
  status: 'NONE' | 'OPEN' | 'AWAITING_NOTICE' | 'FINAL' | 'PUBLISHED';
  outcomeKind: 'GRADE' | 'WITHHELD_INVESTIGATION' | 'COMMENT_ONLY' | 'NOT_PARTICIPATING' | null;
  grade: string | null;
  reason: string | null;
  score: number | null;
  ruleSetId: string;
  ruleSetVersion: number;
  flagged: boolean;
  lastGlobalPosition: string;
}

/** One grade_flag row. */
export interface GradeFlagRow {
  factEventId: string;
  factType: string;
  code: string;
  reason: string;
  resolved: boolean;
}

/** One grade_history row with its trace. */
export interface GradeHistoryRow {
  eventId: string;
  globalPosition: string;
  recordedAt: string;
  kind: 'DETERMINED' | 'REVISED' | 'BACKFILLED' | 'LEFT_UNGRADED';
  actorId: string;
  outcomeKind: NonNullable<GradeViewRow['outcomeKind']>;
  grade: string | null;
  reason: string | null;
  score: number | null;
  trace: TraceStep[];
}

export interface GradeViewPage {
  edges: { cursor: string; node: GradeViewRow }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const instant = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

/**
 * Reads grade_view, grade_flag and grade_history. The per-record reads take many records at once
 * (`= ANY($1)`), so a page of records costs one statement per table, not one per record.
 */
export interface GradeSummary {
  organizationId: string;
  period: string;
  organizations: number;
  records: number;
  undetermined: number;
  outcomes: { outcomeKind: string; grade: string | null; count: number }[];
}

export class GradeViewQueries {
  constructor(private readonly pool: pg.Pool) {}

  /** The outcomes of one period across the organization's subtree, counted in one statement. */
  async summary(organizationId: string, period: string): Promise<GradeSummary> {
    const result = await this.pool.query<{ outcome_kind: string | null; grade: string | null; count: string; organizations: string }>(
      `WITH scoped AS (
         SELECT organization_id, outcome_kind, grade FROM grade_view
          WHERE period = $2
            AND (organization_id = $1
                 OR organization_id IN (SELECT organization_id FROM organization_tree WHERE ancestor_ids @> ARRAY[$1::text]))
       )
       SELECT outcome_kind, grade, count(*) AS count, (SELECT count(DISTINCT organization_id) FROM scoped) AS organizations
         FROM scoped GROUP BY outcome_kind, grade ORDER BY count(*) DESC, outcome_kind, grade`,
      [organizationId, period],
    );
    const counts = result.rows.map((row) => ({ outcomeKind: row.outcome_kind, grade: row.grade, count: Number(row.count) }));
    return {
      organizationId,
      period,
      organizations: Number(result.rows[0]?.organizations ?? 0),
      records: counts.reduce((sum, row) => sum + row.count, 0),
      undetermined: counts.filter((row) => row.outcomeKind === null).reduce((sum, row) => sum + row.count, 0),
      outcomes: counts.filter((row): row is GradeSummary['outcomes'][number] => row.outcomeKind !== null),
    };
  }

  /** The records of exactly one organization and period, ordered by record id, after the cursor (a record id). */
  async page(query: { organizationId: string; period: string; after?: string | null; first: number }): Promise<GradeViewPage> {
    const after = query.after ?? null;
    const result = await this.pool.query(
      `SELECT record_id, organization_id, unit_id, person_id, period, period_kind, category, status, outcome_kind, grade, reason,
              score, rule_set_id, rule_set_version, flagged, last_global_position
       FROM grade_view
       WHERE organization_id = $1 AND period = $2 AND ($3::text IS NULL OR record_id > $3::text)
       ORDER BY record_id
       LIMIT $4`,
      [query.organizationId, query.period, after, query.first + 1],
    );
    const nodes = result.rows.slice(0, query.first).map(
      (row): GradeViewRow => ({
        recordId: row.record_id,
        organizationId: row.organization_id,
        unitId: row.unit_id,
        personId: row.person_id,
        period: row.period,
        periodKind: row.period_kind,
        category: row.category,
        status: row.status,
        outcomeKind: row.outcome_kind,
        grade: row.grade,
        reason: row.reason,
        score: numberOrNull(row.score),
        ruleSetId: row.rule_set_id,
        ruleSetVersion: row.rule_set_version,
        flagged: row.flagged,
        lastGlobalPosition: String(row.last_global_position),
      }),
    );
    const edges = nodes.map((node) => ({ cursor: node.recordId, node }));
    return { edges, pageInfo: { endCursor: edges.length ? edges[edges.length - 1].cursor : after, hasNextPage: result.rows.length > query.first } };
  }

  /** Every flag of each record, open or resolved, oldest first; one statement for all of them. */
  async flagsOf(recordIds: readonly string[]): Promise<Map<string, GradeFlagRow[]>> {
    const byRecord = new Map<string, GradeFlagRow[]>(recordIds.map((recordId) => [recordId, []]));
    if (recordIds.length === 0) return byRecord;
    const result = await this.pool.query(
      `SELECT record_id, fact_event_id, fact_type, code, reason, resolved_at_position FROM grade_flag
       WHERE record_id = ANY($1::text[])
       ORDER BY flagged_at_position, fact_event_id`,
      [[...new Set(recordIds)]],
    );
    for (const row of result.rows) {
      byRecord.get(row.record_id)?.push({
        factEventId: row.fact_event_id,
        factType: row.fact_type,
        code: row.code,
        reason: row.reason,
        resolved: row.resolved_at_position !== null,
      });
    }
    return byRecord;
  }

  /** Every grade_history entry of each record with its trace, oldest first; one statement for all of them. */
  async historyOf(recordIds: readonly string[]): Promise<Map<string, GradeHistoryRow[]>> {
    const byRecord = new Map<string, GradeHistoryRow[]>(recordIds.map((recordId) => [recordId, []]));
    if (recordIds.length === 0) return byRecord;
    const result = await this.pool.query(
      `SELECT record_id, event_id, global_position, kind, outcome_kind, grade, reason, score, actor_id, recorded_at, trace
       FROM grade_history
       WHERE record_id = ANY($1::text[])
       ORDER BY global_position`,
      [[...new Set(recordIds)]],
    );
    for (const row of result.rows) {
      byRecord.get(row.record_id)?.push({
        eventId: row.event_id,
        globalPosition: String(row.global_position),
        recordedAt: instant(row.recorded_at),
        kind: row.kind,
        actorId: row.actor_id,
        outcomeKind: row.outcome_kind,
        grade: row.grade,
        reason: row.reason,
        score: numberOrNull(row.score),
        trace: row.trace,
      });
    }
    return byRecord;
  }
}
