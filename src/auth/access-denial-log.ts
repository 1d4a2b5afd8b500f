import type pg from 'pg';
import type { ForbiddenReason } from './auth-errors.js';

/** One refused request, as the auditors read it. */
export interface AccessDenialRow {
  position: string;
  deniedAt: string;
  actorId: string;
  actorRole: string;
  actorOrganizationId: string;
  operation: string;
  target: string | null;
  targetOrganizationIds: string[];
  reason: ForbiddenReason;
  message: string;
}

export type NewAccessDenial = Omit<AccessDenialRow, 'position' | 'deniedAt'>;

export interface AccessDenialPage {
  edges: { cursor: string; node: AccessDenialRow }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** The organization in $1 and every one below it, as organization_tree holds them. */
const SUBTREE = `SELECT $1::text UNION ALL SELECT t.organization_id FROM organization_tree t WHERE t.ancestor_ids @> ARRAY[$1::text]`;

/** The append-only `access_denial` table: written on every FORBIDDEN, read by auditors. */
export class AccessDenialLog {
  constructor(private readonly pool: pg.Pool) {}

  /** Appends one denial in its own statement (autocommit): no command transaction is ever open here. */
  async record(denial: NewAccessDenial): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_denial (actor_id, actor_role, actor_organization_id, operation, target, target_organization_ids, reason_code, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [denial.actorId, denial.actorRole, denial.actorOrganizationId, denial.operation, denial.target, denial.targetOrganizationIds, denial.reason, denial.message],
    );
  }

  /**
   * Newest first; with `organizationId`, the denials of actors in that organization's subtree and
   * those aimed at it. The cursor is the denial's position.
   */
  async page(query: { organizationId?: string | null; after?: string | null; first: number }): Promise<AccessDenialPage> {
    const organizationId = query.organizationId ?? null;
    const after = query.after ?? null;
    const result = await this.pool.query(
      `SELECT position, denied_at, actor_id, actor_role, actor_organization_id, operation, target, target_organization_ids, reason_code, reason
       FROM access_denial
       WHERE ($2::bigint IS NULL OR position < $2::bigint)
         AND ($1::text IS NULL
              OR actor_organization_id IN (${SUBTREE})
              OR target_organization_ids && ARRAY(${SUBTREE}))
       ORDER BY position DESC
       LIMIT $3`,
      [organizationId, after, query.first + 1],
    );
    const edges = result.rows.slice(0, query.first).map((row) => ({
      cursor: String(row.position),
      node: {
        position: String(row.position),
        deniedAt: (row.denied_at as Date).toISOString(),
        actorId: row.actor_id,
        actorRole: row.actor_role,
        actorOrganizationId: row.actor_organization_id,
        operation: row.operation,
        target: row.target,
        targetOrganizationIds: row.target_organization_ids,
        reason: row.reason_code,
        message: row.reason,
      },
    }));
    return { edges, pageInfo: { endCursor: edges.length ? edges[edges.length - 1].cursor : after, hasNextPage: result.rows.length > query.first } };
  }
}
