import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { ReportCell } from '../domain/report-document.js';
import { sheetNameOf, type ExportFormat } from './export-names.js';

/** What a sheet shows above its rows. */
export interface SheetHeading {
  title: string;
  organizationName: string;
  period: string;
  revision: number;
  issuedOn: string;
  headers: string[];
}

/**
 * Writes rows into a Writable one at a time. `writeRow` returns a promise only when the output is
 * full, so the caller stops reading rows until it drains: memory stays flat whatever the size.
 */
export interface SheetWriter {
  writeRow(values: readonly ReportCell[]): Promise<void> | undefined;
  /** Writes what is left and ends the output; resolves when the output has taken every byte. */
  finish(): Promise<void>;
}

/** The 1-based row of the XLSX sheet that holds the column headers (row 1 is the heading). */
export const XLSX_COLUMN_HEADER_ROW = 2;

/** UTF-8 byte order mark: without it Excel reads a CSV in the local code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

/** Settles when the output has finished; rejects when it closes or fails first (e.g. the client went away). */
function watchOutput(output: Writable): Promise<void> {
  const done = finished(output, { readable: false });
  done.catch(() => undefined);
  return done;
}

/** The output went away before the export was written (e.g. the client closed the download). */
export class OutputClosedError extends Error {
  constructor() {
    super('the output closed before the export was written');
    this.name = 'OutputClosedError';
  }
}

function drained(output: Writable, done: Promise<void>): Promise<void> {
  return Promise.race([
    once(output, 'drain').then(() => undefined),
    done.then(
      () => Promise.reject(new OutputClosedError()),
      () => Promise.reject(new OutputClosedError()),
    ),
  ]);
}

/** RFC 4180: a field with a comma, quote, CR or LF (or edge spaces, which Excel trims) is quoted, quotes doubled. */
export function csvField(value: ReportCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly ReportCell[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Rows are joined into chunks of about this many characters before they are written. */
const CSV_CHUNK = 64 * 1024;

/** CSV: BOM, the header row, then one line per row, CRLF line ends. No heading block, so any CSV reader sees a plain table. */
export function csvWriter(output: Writable, heading: SheetHeading): SheetWriter {
  const done = watchOutput(output);
  let pending = UTF8_BOM + csvLine(heading.headers);
  const flush = (): Promise<void> | undefined => {
    const chunk = pending;
    pending = '';
    return output.write(chunk, 'utf8') ? undefined : drained(output, done);
  };
  return {
    writeRow(values) {
      if (output.destroyed) return Promise.reject(new OutputClosedError());
      pending += csvLine(values);
      return pending.length >= CSV_CHUNK ? flush() : undefined;
    },
    async finish() {
      if (pending) output.write(pending, 'utf8');
      output.end();
      await done;
    },
  };
}

/** Display width of a header: a CJK character takes about two Latin ones. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += /[\u0000-\u00ff]/.test(character) ? 1 : 2;
  return width;
}

/**
 * A line break in a cell is a bare LF in OOXML: a CR would be dropped by the XML parser of any
 * reader (Excel included), so CRLF and CR become LF here rather than by accident there.
 */
export function xlsxValue(value: ReportCell): ReportCell {
  return typeof value === 'string' && value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

const WRAPPED: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

/** XLSX via exceljs' streaming writer: every row is committed (serialised and let go) as soon as it is added. */
export function xlsxWriter(output: Writable, heading: SheetHeading): SheetWriter {
  const done = watchOutput(output);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    // Inline strings: shared strings would keep every distinct text in memory until the end.
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'appraisal-records';
  const lastColumn = Math.max(heading.headers.length, 1);
  const sheet = workbook.addWorksheet(sheetNameOf(heading.title), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: XLSX_COLUMN_HEADER_ROW }],
  });
  sheet.autoFilter = { from: { row: XLSX_COLUMN_HEADER_ROW, column: 1 }, to: { row: XLSX_COLUMN_HEADER_ROW, column: lastColumn } };
  sheet.columns = heading.headers.map((header) => ({ width: Math.min(Math.max(displayWidth(header) + 4, 10), 40) }));

  const title = sheet.addRow([
    heading.title,
    `填报单位：${heading.organizationName}`,
    `考核期：${heading.period}`,
    `第${heading.revision}版`,
    `填报时间：${heading.issuedOn}`,
  ]);
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const headers = sheet.addRow(heading.headers);
  headers.font = { bold: true };
  headers.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  headers.commit();

  return {
    writeRow(values) {
      if (output.destroyed) return Promise.reject(new OutputClosedError());
      const cells = values.map(xlsxValue);
      const row = sheet.addRow(cells);
      cells.forEach((value, index) => {
        if (typeof value === 'string' && value.includes('\n')) row.getCell(index + 1).alignment = WRAPPED;
      });
      row.commit();
      return output.writableNeedDrain ? drained(output, done) : undefined;
    },
    async finish() {
      sheet.commit();
      await Promise.all([workbook.commit(), done]);
    },
  };
}

export function sheetWriter(format: ExportFormat, output: Writable, heading: SheetHeading): SheetWriter {
  return format === 'xlsx' ? xlsxWriter(output, heading) : csvWriter(output, heading);
}
