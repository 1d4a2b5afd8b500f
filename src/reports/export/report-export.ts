import type { Writable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ISSUED_ON_COLUMN, ORDINAL_COLUMN, type ReportCell, type ReportColumn } from '../domain/report-document.js';
import {
  asciiFileName,
  CONTENT_TYPES,
  contentDisposition,
  EXPORT_FORMATS,
  exportFileName,
  isExportFormat,
  type ExportFormat,
} from './export-names.js';
import { sheetWriter } from './sheet-writers.js';

/**
 * Streams one revision of a regulator report (report_revision + report_revision_row) as XLSX or
 * CSV. The rows come through a server-side cursor a batch at a time and go out as soon as they are
 * written, pausing whenever the output is full, so 100,000 rows take no more memory than 1,000.
 */

export interface ExportRequest {
  reportId: string;
  revision: number;
  format: ExportFormat;
}

/** The revision's own fields, read before any row. */
export interface RevisionHeading {
  reportId: string;
  revision: number;
  kind: string;
  title: string;
  organizationId: string;
  organizationName: string;
  period: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  rowCount: number;
  columns: ReportColumn[];
}

export interface ExportFile {
  fileName: string;
  asciiFileName: string;
  contentType: string;
  contentDisposition: string;
}

export interface ExportOptions {
  /** Rows per cursor fetch. */
  batchSize?: number;
  /** Called before each fetch from the cursor with the number of fetches so far (1 for the first). */
  onFetch?: (fetches: number) => void;
}

export interface ExportResult {
  rows: number;
  fetches: number;
}

export type ExportErrorCode = 'NOT_FOUND' | 'VALIDATION_FAILED';

/** A request that cannot be exported, with what the HTTP edge needs to say why. */
export class ReportExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ReportExportError';
  }
}

export const DEFAULT_BATCH_SIZE = 1000;

export function parseExportFormat(value: string): ExportFormat {
  const format = value.toLowerCase();
  if (isExportFormat(format)) return format;
  throw new ReportExportError('VALIDATION_FAILED', `export format must be one of ${EXPORT_FORMATS.join(', ')}; got ${JSON.stringify(value)}`, {
    field: 'format',
    allowedFormats: EXPORT_FORMATS,
    got: value,
  });
}

export function parseRevision(value: string): number {
  const revision = /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(revision)) return revision;
  throw new ReportExportError('VALIDATION_FAILED', `revision must be a positive integer; got ${JSON.stringify(value)}`, { field: 'revision', got: value });
}

const HEADING_SQL = `
  SELECT r.report_id, r.revision, r.kind, r.title, r.organization_id, r.period, r.columns, r.row_count,
         to_char(r.issued_on, 'YYYY-MM-DD') AS issued_on,
         -- a filing keeps the organization names of its day; the name as registered otherwise
         COALESCE(f.organization_names ->> r.organization_id, o.name, r.organization_id) AS organization_name
    FROM report_revision r
    LEFT JOIN report_filing f ON f.report_id = r.report_id
    LEFT JOIN report_organization_fact o ON o.organization_id = r.organization_id
   WHERE r.report_id = $1 AND r.revision = $2`;

const ROWS_SQL = `SELECT cells FROM report_revision_row WHERE report_id = $1 AND revision = $2 ORDER BY ordinal`;

interface HeadingRow {
  report_id: string;
  revision: number;
  kind: string;
  title: string;
  organization_id: string;
  period: string;
  columns: ReportColumn[];
  row_count: number;
  issued_on: string;
  organization_name: string;
}

async function readHeading(client: pg.PoolClient, reportId: string, revision: number): Promise<RevisionHeading> {
  const { rows } = await client.query<HeadingRow>(HEADING_SQL, [reportId, revision]);
  const row = rows[0];
  if (!row) {
    const { rows: latest } = await client.query<{ latest: number | null }>('SELECT max(revision) AS latest FROM report_revision WHERE report_id = $1', [reportId]);
    const latestRevision = latest[0]?.latest ?? null;
    const message =
      latestRevision === null
        ? `report ${JSON.stringify(reportId)} not found`
        : `report ${JSON.stringify(reportId)} has no revision ${revision} (latest revision: ${latestRevision})`;
    throw new ReportExportError('NOT_FOUND', message, { reportId, revision, latestRevision });
  }
  return {
    reportId: row.report_id,
    revision: row.revision,
    kind: row.kind,
    title: row.title,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    period: row.period,
    issuedOn: row.issued_on,
    rowCount: row.row_count,
    columns: row.columns,
  };
}

/** A cell as exported: `#ordinal` and `#issuedOn` are filled here, a missing cell is empty. */
export function cellOf(column: ReportColumn, cells: Record<string, unknown>, position: number, issuedOn: string): ReportCell {
  if (column.key === ORDINAL_COLUMN.key) return position;
  if (column.key === ISSUED_ON_COLUMN.key) return issuedOn;
  const value = Object.hasOwn(cells, column.key) ? cells[column.key] : null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** pg-query-stream with a count of the fetches it sends to the cursor. */
class FetchCountingQueryStream extends QueryStream {
  fetches = 0;

  constructor(
    text: string,
    values: unknown[],
    config: QueryStream.Config,
    private readonly onFetch: ((fetches: number) => void) | undefined,
  ) {
    super(text, values, config);
  }

  override _read(size: number): void {
    this.fetches += 1;
    this.onFetch?.(this.fetches);
    super._read(size);
  }
}

/**
 * A revision found and held open (one connection, one REPEATABLE READ snapshot) until `writeTo`
 * has written it, or `cancel` lets it go.
 */
export interface PreparedExport {
  heading: RevisionHeading;
  file: ExportFile;
  writeTo(output: Writable): Promise<ExportResult>;
  cancel(): Promise<void>;
}

/** Finds the revision (ReportExportError NOT_FOUND when there is none) and keeps a snapshot for its rows. */
export async function prepareReportExport(pool: pg.Pool, request: ExportRequest, options: ExportOptions = {}): Promise<PreparedExport> {
  const { reportId, revision, format } = request;
  const client = await pool.connect();
  let heading: RevisionHeading;
  try {
    // One snapshot for the heading and the rows: a rebuild running meanwhile cannot mix revisions.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    heading = await readHeading(client, reportId, revision);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }

  let released = false;
  const release = async (failure?: unknown) => {
    if (released) return;
    released = true;
    if (failure) {
      // A connection left mid-cursor is not worth reusing.
      client.release(failure instanceof Error ? failure : new Error(String(failure)));
      return;
    }
    try {
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  };

  const fileName = exportFileName(heading.title, heading.period, heading.revision, format);
  const fallback = asciiFileName(heading.reportId, heading.revision, format);
  return {
    heading,
    file: { fileName, asciiFileName: fallback, contentType: CONTENT_TYPES[format], contentDisposition: contentDisposition(fileName, fallback) },
    cancel: () => release(),
    async writeTo(output) {
      if (released) throw new Error('this export has already been written or cancelled');
      const writer = sheetWriter(format, output, {
        title: heading.title,
        organizationName: heading.organizationName,
        period: heading.period,
        revision: heading.revision,
        issuedOn: heading.issuedOn,
        headers: heading.columns.map((column) => column.header),
      });
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      const query = new FetchCountingQueryStream(ROWS_SQL, [reportId, revision], { batchSize }, options.onFetch);
      let position = 0;
      try {
        for await (const row of client.query(query) as AsyncIterable<{ cells: Record<string, unknown> }>) {
          position += 1;
          const values = heading.columns.map((column) => cellOf(column, row.cells, position, heading.issuedOn));
          const full = writer.writeRow(values);
          if (full) await full;
        }
        await writer.finish();
      } catch (error) {
        if (!output.destroyed) output.destroy(error as Error);
        await release(error);
        throw error;
      }
      await release();
      return { rows: position, fetches: query.fetches };
    },
  };
}

/** Finds the revision and writes it into `output` in one go (ReportExportError when it cannot). */
export async function exportReportRevision(pool: pg.Pool, request: ExportRequest, output: Writable, options: ExportOptions = {}): Promise<ExportResult & { heading: RevisionHeading; file: ExportFile }> {
  const prepared = await prepareReportExport(pool, request, options);
  const result = await prepared.writeTo(output);
  return { ...result, heading: prepared.heading, file: prepared.file };
}
