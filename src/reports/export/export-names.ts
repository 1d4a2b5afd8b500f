/**
 * Names an export carries outside the file: the download's file name (with its RFC 6266 / 5987
 * Content-Disposition) and the worksheet's name, each within what browsers and Excel accept.
 */

export type ExportFormat = 'xlsx' | 'csv';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** Excel refuses a sheet name longer than 31 characters or containing any of `[]:*?/\`. */
export const SHEET_NAME_LIMIT = 31;

/** The revision's title as a sheet name: forbidden and control characters dropped, cut to 31 UTF-16 units without splitting a pair. */
export function sheetNameOf(title: string): string {
  let name = title.replace(/[[\]:*?/\\\u0000-\u001f\u007f]/g, '').trim();
  // Excel also refuses a name that starts or ends with an apostrophe.
  name = name.replace(/^'+|'+$/g, '');
  let cut = '';
  for (const character of name) {
    if (cut.length + character.length > SHEET_NAME_LIMIT) break;
    cut += character;
  }
  cut = cut.replace(/'+$/, '').trim();
  return cut || 'Sheet1';
}

/** Characters no common file system or browser keeps in a downloaded file's name. */
function fileNamePart(text: string): string {
  return text.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').trim();
}

/** `<title>-<period>-第<revision>版.<format>`, e.g. `考核结果花名册-2025Q1-第2版.xlsx`. */
export function exportFileName(title: string, period: string, revision: number, format: ExportFormat): string {
  return `${fileNamePart(title)}-${fileNamePart(period)}-第${revision}版.${format}`;
}

/** For clients that ignore `filename*`: the report id, which is ASCII in practice, with anything else replaced. */
export function asciiFileName(reportId: string, revision: number, format: ExportFormat): string {
  const base = reportId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'report';
  return `${base}-r${revision}.${format}`;
}

/** RFC 5987 ext-value: UTF-8, percent-encoding everything outside attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<encoded>`, built here rather than with the
 * `content-disposition` package, which package.json pins to an old version for jest's sake.
 */
export function contentDisposition(fileName: string, fallback: string): string {
  const quoted = fallback.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${quoted}"; filename*=UTF-8''${rfc5987(fileName)}`;
}
