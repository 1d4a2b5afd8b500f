import type { ReportCell, ReportColumn, ReportRow } from './report-document.js';

/** One cell that differs between two revisions of a row. */
export interface CellChange {
  column: string;
  header: string;
  before: ReportCell;
  after: ReportCell;
}

/** What changed from one revision of a report to the next, row by row (rows match by key). */
export interface ReportDiff {
  added: ReportRow[];
  removed: ReportRow[];
  changed: { key: string; before: ReportRow['cells']; after: ReportRow['cells']; cells: CellChange[] }[];
  /** Columns that appeared or disappeared (a grade first or last used, for instance). */
  columnsAdded: ReportColumn[];
  columnsRemoved: ReportColumn[];
}

export function diffReports(before: { columns: ReportColumn[]; rows: ReportRow[] }, after: { columns: ReportColumn[]; rows: ReportRow[] }): ReportDiff {
  const beforeRows = new Map(before.rows.map((row) => [row.key, row]));
  const afterRows = new Map(after.rows.map((row) => [row.key, row]));
  const headers = new Map([...before.columns, ...after.columns].map((column) => [column.key, column.header]));
  const changed: ReportDiff['changed'] = [];
  for (const row of after.rows) {
    const previous = beforeRows.get(row.key);
    if (!previous) continue;
    // In the form's column order, then any key no column names.
    const keys = [...new Set([...after.columns.map((column) => column.key), ...before.columns.map((column) => column.key), ...Object.keys(previous.cells), ...Object.keys(row.cells)])];
    const cells = keys
      .filter((key) => (key in previous.cells || key in row.cells) && (previous.cells[key] ?? null) !== (row.cells[key] ?? null))
      .map((key) => ({ column: key, header: headers.get(key) ?? key, before: previous.cells[key] ?? null, after: row.cells[key] ?? null }));
    if (cells.length > 0) changed.push({ key: row.key, before: previous.cells, after: row.cells, cells });
  }
  const beforeColumns = new Set(before.columns.map((column) => column.key));
  const afterColumns = new Set(after.columns.map((column) => column.key));
  return {
    added: after.rows.filter((row) => !beforeRows.has(row.key)),
    removed: before.rows.filter((row) => !afterRows.has(row.key)),
    changed,
    columnsAdded: after.columns.filter((column) => !beforeColumns.has(column.key)),
    columnsRemoved: before.columns.filter((column) => !afterColumns.has(column.key)),
  };
}

export function isEmptyDiff(diff: ReportDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length + diff.columnsAdded.length + diff.columnsRemoved.length === 0;
}

/** The rows and columns in a canonical text (keys sorted), so equal content has an equal checksum. */
export function canonicalContent(content: { columns: ReportColumn[]; rows: ReportRow[] }): string {
  return JSON.stringify({
    columns: content.columns.map((column) => [column.key, column.header]),
    rows: content.rows.map((row) => [row.key, Object.keys(row.cells).sort().map((key) => [key, row.cells[key] ?? null])]),
  });
}
