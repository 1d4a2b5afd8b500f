import type pg from 'pg';
import { NotFoundError } from '../shared/errors.js';
import type { ReportCell, ReportColumn, ReportKind, ReportRow } from './domain/report-document.js';
import { diffReports, type ReportDiff } from './domain/report-diff.js';

/** The event that caused a revision: the filing for revision 1, else the change that reissued it. */
export interface RevisionCause {
  eventId: string;
  type: string;
  streamId: string;
  globalPosition: string;
  recordedAt: string;
}

export interface ReportSummary {
  reportId: string;
  kind: ReportKind;
  title: string;
  organizationId: string;
  period: string;
  filedOn: string;
  filedBy: string;
  latestRevision: number;
}

export interface RevisionHead {
  reportId: string;
  revision: number;
  kind: ReportKind;
  title: string;
  organizationId: string;
  period: string;
  issuedOn: string;
  checksum: string;
  rowCount: number;
  columns: ReportColumn[];
  summary: Record<string, ReportCell>;
  causedBy: RevisionCause;
  /** The diff from the revision before; null for revision 1. */
  diff: ReportDiff | null;
}

export interface RowsPage {
  edges: { cursor: string; node: { ordinal: number; key: string; cells: ReportRow['cells'] } }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export interface ReportsQuery {
  organizationId: string;
  period?: string | null;
  kind?: ReportKind | null;
  after?: string | null;
  first: number;
}

export interface RevisionDiff extends ReportDiff {
  reportId: string;
  fromRevision: number;
  toRevision: number;
  /** The events that caused the revisions after `fromRevision` up to `toRevision`, in order. */
  causedBy: RevisionCause[];
}

const day = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

function revisionHeadOf(row: Record<string, any>): RevisionHead {
  return {
    reportId: row.report_id,
    revision: row.revision,
    kind: row.kind,
    title: row.title,
    organizationId: row.organization_id,
    period: row.period,
    issuedOn: day(row.issued_on),
    checksum: row.checksum,
    rowCount: row.row_count,
    columns: row.columns,
    summary: row.summary,
    causedBy: row.caused_by,
    diff: row.diff,
  };
}

/** Reads report_filing, report_revision and report_revision_row for the regulator (DOMAIN.md §7, §8). */
export class ReportQueries {
  constructor(private readonly pool: pg.Pool) {}

  /** Filed reports of the organization's subtree (its own and every unit or organ below it), ordered by report id. */
  async reports(query: ReportsQuery): Promise<{ edges: { cursor: string; node: ReportSummary }[]; pageInfo: RowsPage['pageInfo'] }> {
    const result = await this.pool.query(
      `SELECT report_id, kind, organization_id, period, filed_on, filed_by, latest_revision,
              (SELECT title FROM report_revision r WHERE r.report_id = f.report_id AND r.revision = 1) AS title
         FROM report_filing f
        WHERE (f.organization_id = $1
               OR f.organization_id IN (SELECT organization_id FROM organization_tree WHERE ancestor_ids @> ARRAY[$1::text]))
          AND ($2::text IS NULL OR f.period = $2)
          AND ($3::text IS NULL OR f.kind = $3)
          AND ($4::text IS NULL OR f.report_id > $4)
        ORDER BY f.report_id
        LIMIT $5`,
      [query.organizationId, query.period ?? null, query.kind ?? null, query.after ?? null, query.first + 1],
    );
    const rows = result.rows.slice(0, query.first);
    const edges = rows.map((row) => ({
      cursor: row.report_id as string,
      node: {
        reportId: row.report_id,
        kind: row.kind,
        title: row.title,
        organizationId: row.organization_id,
        period: row.period,
        filedOn: day(row.filed_on),
        filedBy: row.filed_by,
        latestRevision: row.latest_revision,
      },
    }));
    return { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: result.rows.length > query.first } };
  }

  /** One revision's head (the latest when `revision` is absent); NotFoundError when there is none. */
  async revision(reportId: string, revision?: number | null): Promise<RevisionHead> {
    const result = await this.pool.query(
      `SELECT * FROM report_revision
        WHERE report_id = $1 AND revision = coalesce($2, (SELECT latest_revision FROM report_filing WHERE report_id = $1))`,
      [reportId, revision ?? null],
    );
    const row = result.rows[0];
    if (!row) throw new NotFoundError('report revision', revision ? `${reportId} revision ${revision}` : reportId);
    return revisionHeadOf(row);
  }

  /** Every revision's head of a report, oldest first. */
  async revisions(reportId: string): Promise<RevisionHead[]> {
    const result = await this.pool.query('SELECT * FROM report_revision WHERE report_id = $1 ORDER BY revision', [reportId]);
    return result.rows.map(revisionHeadOf);
  }

  /** A page of a revision's rows in the form's order; the cursor is the row's ordinal. */
  async rows(reportId: string, revision: number, first: number, after?: string | null): Promise<RowsPage> {
    const from = after ? Number(after) : 0;
    const result = await this.pool.query<{ ordinal: number; row_key: string; cells: ReportRow['cells'] }>(
      `SELECT ordinal, row_key, cells FROM report_revision_row
        WHERE report_id = $1 AND revision = $2 AND ordinal > $3
        ORDER BY ordinal LIMIT $4`,
      [reportId, revision, Number.isSafeInteger(from) ? from : 0, first + 1],
    );
    const edges = result.rows.slice(0, first).map((row) => ({ cursor: String(row.ordinal), node: { ordinal: row.ordinal, key: row.row_key, cells: row.cells } }));
    return { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: result.rows.length > first } };
  }

  /** What changed between two revisions, with the events that caused the revisions in between. */
  async diff(reportId: string, fromRevision: number, toRevision: number): Promise<RevisionDiff> {
    const [from, to] = await Promise.all([this.revision(reportId, fromRevision), this.revision(reportId, toRevision)]);
    const [fromRows, toRows, causes] = await Promise.all([
      this.allRows(reportId, fromRevision),
      this.allRows(reportId, toRevision),
      this.pool.query<{ caused_by: RevisionCause }>(
        `SELECT caused_by FROM report_revision WHERE report_id = $1 AND revision > $2 AND revision <= $3 ORDER BY revision`,
        [reportId, Math.min(fromRevision, toRevision), Math.max(fromRevision, toRevision)],
      ),
    ]);
    return {
      reportId,
      fromRevision,
      toRevision,
      ...diffReports({ columns: from.columns, rows: fromRows }, { columns: to.columns, rows: toRows }),
      causedBy: causes.rows.map((row) => row.caused_by),
    };
  }

  private async allRows(reportId: string, revision: number): Promise<ReportRow[]> {
    const result = await this.pool.query<{ row_key: string; cells: ReportRow['cells'] }>(
      'SELECT row_key, cells FROM report_revision_row WHERE report_id = $1 AND revision = $2 ORDER BY ordinal',
      [reportId, revision],
    );
    return result.rows.map((row) => ({ key: row.row_key, cells: row.cells }));
  }
}
