import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import { createApp } from '../../src/bootstrap.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import type { ReportCell, ReportColumn } from '../../src/reports/domain/report-document.js';
import { asciiFileName, contentDisposition, exportFileName, sheetNameOf } from '../../src/reports/export/export-names.js';
import { exportReportRevision, prepareReportExport, ReportExportError } from '../../src/reports/export/report-export.js';
import { csvField, XLSX_COLUMN_HEADER_ROW } from '../../src/reports/export/sheet-writers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TestTokens, type TokenSubject } from '../support/test-tokens.js';

let database: TestDatabase;
let infrastructure: Infrastructure;
let app: NestFastifyApplication;
const tokens = new TestTokens();
/** HR of the bureau that filed the reports. */
const BUREAU_HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };

const REPORT_ID = 'bureau.2025Q1.ROSTER';
const BIG_REPORT_ID = 'bureau.2025.BIG';
const BIG_ROWS = 100_000;

const COLUMNS: ReportColumn[] = [
  { key: '#ordinal', header: '序号' },
  { key: 'name', header: '姓名' },
  { key: 'unit', header: '单位及职务(职级)' },
  { key: 'category', header: '人员类别' },
  { key: 'grade', header: '考核等次' },
  { key: 'score', header: '得分' },
  { key: 'note', header: '备注' },
  { key: '#issuedOn', header: '填报时间' },
];
const HEADERS = COLUMNS.map((column) => column.header);

/** Revision 2's rows, stored with gaps in `ordinal` and inserted out of order. */
const ROWS: { ordinal: number; cells: Record<string, ReportCell> }[] = [
  { ordinal: 30, cells: { name: '王五', unit: null, grade: '未定等次', score: null, note: '受处分：警告（2025-03-01）\r\n影响期 6 个月' } },
  { ordinal: 10, cells: { name: '张三', unit: '办公室，一级科员', category: '公务员', grade: '优秀', score: 95.5, note: '嘉奖, 记三等功' } },
  { ordinal: 20, cells: { name: '李四', unit: '综合科 "一级主任科员"', category: '参照公务员法管理', grade: '称职', score: 88, note: '第一行\n第二行' } },
  { ordinal: 40, cells: { name: '赵六', unit: ' 前后空格 ', category: '公务员', grade: '基本称职', score: 0, note: '=SUM(A1:A2)', extra: '不在列中' } },
  { ordinal: 50, cells: { name: '0012', unit: '-1', category: '公务员', grade: '不称职', score: -12.25, note: '' } },
];

/** What every exported row must hold, in order: 序号 is the 1-based position, 填报时间 the revision's date. */
const EXPECTED: ReportCell[][] = [
  [1, '张三', '办公室，一级科员', '公务员', '优秀', 95.5, '嘉奖, 记三等功', '2025-04-08'],
  [2, '李四', '综合科 "一级主任科员"', '参照公务员法管理', '称职', 88, '第一行\n第二行', '2025-04-08'],
  [3, '王五', null, null, '未定等次', null, '受处分：警告（2025-03-01）\r\n影响期 6 个月', '2025-04-08'],
  [4, '赵六', ' 前后空格 ', '公务员', '基本称职', 0, '=SUM(A1:A2)', '2025-04-08'],
  [5, '0012', '-1', '公务员', '不称职', -12.25, '', '2025-04-08'],
];

async function insertRevision(reportId: string, revision: number, fields: { title: string; period: string; issuedOn: string; rowCount: number }): Promise<void> {
  await database.pool.query(
    `INSERT INTO report_revision (report_id, revision, kind, title, organization_id, period, columns, summary, row_count, checksum, issued_on, caused_by, diff, global_position, recorded_at)
     VALUES ($1, $2, 'ROSTER', $3, 'bureau', $4, $5, '{}', $6, 'test', $7, '{}', NULL, 1, now())`,
    [reportId, revision, fields.title, fields.period, JSON.stringify(COLUMNS), fields.rowCount, fields.issuedOn],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined });
  app = await createApp(infrastructure, { logger: false, authentication: tokens.authentication });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // The report tables are written directly here: no projection may rebuild them meanwhile.
  await infrastructure.projections.stop();

  await database.pool.query(`INSERT INTO report_organization_fact (organization_id, name) VALUES ('bureau', '某市人力资源和社会保障局')`);
  await insertRevision(REPORT_ID, 1, { title: '考核结果花名册', period: '2025Q1', issuedOn: '2025-04-01', rowCount: 1 });
  await database.pool.query(`INSERT INTO report_revision_row VALUES ($1, 1, 1, 'r1', $2)`, [REPORT_ID, JSON.stringify({ name: '旧版本' })]);
  await insertRevision(REPORT_ID, 2, { title: '考核结果花名册', period: '2025Q1', issuedOn: '2025-04-08', rowCount: ROWS.length });
  for (const row of ROWS) {
    await database.pool.query(`INSERT INTO report_revision_row VALUES ($1, 2, $2, $3, $4)`, [REPORT_ID, row.ordinal, `row-${row.ordinal}`, JSON.stringify(row.cells)]);
  }

  await insertRevision(BIG_REPORT_ID, 1, { title: '考核情况登记汇总表', period: '2025', issuedOn: '2026-01-15', rowCount: BIG_ROWS });
  await database.pool.query(
    `INSERT INTO report_revision_row
     SELECT $1, 1, g, 'row-' || g,
            jsonb_build_object('name', '人员' || g, 'unit', '机关, 科室 "甲"', 'category', '公务员', 'grade', '称职',
                               'score', g * 0.5, 'note', CASE WHEN g % 3 = 0 THEN NULL ELSE E'备注\\n' || g END)
       FROM generate_series(1, $2::int) AS g`,
    [BIG_REPORT_ID, BIG_ROWS],
  );
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** GETs the path as the subject (the bureau's HR unless named; null: no token). */
async function get(url: string, subject: TokenSubject | null = BUREAU_HR) {
  return app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: subject ? await tokens.headers(subject) : {} });
}

function exportUrl(reportId: string, revision: number | string, extension: string): string {
  return `/reports/${encodeURIComponent(reportId)}/revisions/${revision}/export.${extension}`;
}

/** An RFC 4180 reader written apart from the exporter, so the test does not check the writer against itself. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const character = text[i];
    if (quoted) {
      if (character === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',') {
      record.push(field);
      field = '';
    } else if (character === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else {
      field += character;
    }
  }
  if (field !== '' || record.length > 0) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

/** The CSV text a cell must read back as: numbers in their JS spelling, null as an empty field. */
function csvText(cell: ReportCell): string {
  return cell === null ? '' : String(cell);
}

function cellValues(row: ExcelJS.Row, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => row.getCell(index + 1).value ?? null);
}

describe('XLSX export over HTTP', () => {
  it('streams the revision as a workbook with the heading, the Chinese column headers and every row, numbers as numbers', async () => {
    const response = await get(exportUrl(REPORT_ID, 2, 'xlsx'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="bureau.2025Q1.ROSTER-r2.xlsx"; filename*=UTF-8''${encodeURIComponent('考核结果花名册-2025Q1-第2版.xlsx')}`,
    );

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('考核结果花名册');

    expect(cellValues(sheet.getRow(1), 5)).toEqual(['考核结果花名册', '填报单位：某市人力资源和社会保障局', '考核期：2025Q1', '第2版', '填报时间：2025-04-08']);
    expect(cellValues(sheet.getRow(XLSX_COLUMN_HEADER_ROW), HEADERS.length)).toEqual(HEADERS);
    expect(sheet.getRow(XLSX_COLUMN_HEADER_ROW).getCell(1).font?.bold).toBe(true);

    const dataRows = sheet.getRows(XLSX_COLUMN_HEADER_ROW + 1, sheet.rowCount - XLSX_COLUMN_HEADER_ROW) ?? [];
    // In a workbook a line break is LF (a CR does not survive XML), and an empty text is an empty cell.
    const expected = EXPECTED.map((row) => row.map((cell) => (cell === '' ? null : typeof cell === 'string' ? cell.replace(/\r\n/g, '\n') : cell)));
    expect(dataRows.map((row) => cellValues(row, HEADERS.length))).toEqual(expected);
    expect(dataRows[1].getCell(7).alignment?.wrapText).toBe(true);
    // The numeric columns are numeric cells; a text that merely looks like a number stays text.
    for (const row of dataRows) {
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.Number);
      const score = row.getCell(6);
      expect(score.type).toBe(score.value === null ? ExcelJS.ValueType.Null : ExcelJS.ValueType.Number);
    }
    expect(dataRows[4].getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(dataRows[3].getCell(7).type).toBe(ExcelJS.ValueType.String);
  });

  it('exports each revision as it was: revision 1 keeps its own rows and date', async () => {
    const response = await get(exportUrl(REPORT_ID, 1, 'xlsx'));
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(XLSX_COLUMN_HEADER_ROW + 1);
    expect(cellValues(sheet.getRow(XLSX_COLUMN_HEADER_ROW + 1), HEADERS.length)).toEqual([1, '旧版本', null, null, null, null, null, '2025-04-01']);
  });
});

describe('CSV export over HTTP', () => {
  it('streams UTF-8 with a BOM, the header row and every row quoted per RFC 4180', async () => {
    const response = await get(exportUrl(REPORT_ID, 2, 'csv'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="bureau.2025Q1.ROSTER-r2.csv"; filename*=UTF-8''${encodeURIComponent('考核结果花名册-2025Q1-第2版.csv')}`,
    );

    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(records[0]).toEqual(HEADERS);
    expect(records.slice(1)).toEqual(EXPECTED.map((row) => row.map(csvText)));
    // Numbers are written bare, text with a comma, quote or line break is quoted.
    const lines = bytes.subarray(3).toString('utf8');
    expect(lines).toContain('1,张三,办公室，一级科员,公务员,优秀,95.5,"嘉奖, 记三等功",2025-04-08\r\n');
    expect(lines).toContain('2,李四,"综合科 ""一级主任科员""",参照公务员法管理,称职,88,"第一行\n第二行",2025-04-08\r\n');
    expect(lines).toContain('3,王五,,,未定等次,,"受处分：警告（2025-03-01）\r\n影响期 6 个月",2025-04-08\r\n');
  });
});

describe('who may export', () => {
  it('answers 401 with WWW-Authenticate: Bearer without a valid token, before looking at the report', async () => {
    for (const url of [exportUrl(REPORT_ID, 2, 'csv'), exportUrl('nope', 1, 'pdf')]) {
      const response = await get(url, null);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    }
    const garbled = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: exportUrl(REPORT_ID, 2, 'csv'), headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(garbled.statusCode).toBe(401);
    expect(garbled.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MALFORMED' });
  });

  it('serves regulators whose jurisdiction holds the report, and answers 403 to other regulators and to other roles, recording each denial', async () => {
    const national = await get(exportUrl(REPORT_ID, 2, 'csv'), { id: 'mohrss', role: 'REGULATOR', organizationId: '*' });
    expect(national.statusCode).toBe(200);
    const local = await get(exportUrl(REPORT_ID, 2, 'csv'), { id: 'bureau-regulator', role: 'REGULATOR', organizationId: 'bureau' });
    expect(local.statusCode).toBe(200);

    const elsewhere = await get(exportUrl(REPORT_ID, 2, 'csv'), { id: 'tax-regulator', role: 'REGULATOR', organizationId: 'tax' });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', operation: 'exportReport', reason: 'OUTSIDE_SCOPE', target: `report ${REPORT_ID}` });
    const committee = await get(exportUrl(REPORT_ID, 2, 'csv'), { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' });
    expect(committee.statusCode).toBe(403);
    expect(committee.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED', allowedRoles: ['HR', 'REGULATOR', 'AUDITOR'] });

    const denials = await database.pool.query('SELECT actor_id, actor_role, operation, target, target_organization_ids, reason_code FROM access_denial ORDER BY position');
    expect(denials.rows).toEqual([
      { actor_id: 'tax-regulator', actor_role: 'REGULATOR', operation: 'exportReport', target: `report ${REPORT_ID}`, target_organization_ids: ['bureau'], reason_code: 'OUTSIDE_SCOPE' },
      { actor_id: 'committee-1', actor_role: 'COMMITTEE', operation: 'exportReport', target: `report ${REPORT_ID}`, target_organization_ids: ['bureau'], reason_code: 'ROLE_NOT_ALLOWED' },
    ]);
  });
});

describe('export errors over HTTP', () => {
  it('answers 404 with JSON naming the report and the revision when the revision does not exist', async () => {
    const response = await get(exportUrl(REPORT_ID, 7, 'xlsx'));
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'report "bureau.2025Q1.ROSTER" has no revision 7 (latest revision: 2)',
      reportId: REPORT_ID,
      revision: 7,
      latestRevision: 2,
    });
  });

  it('answers 404 naming a report id that does not exist, decoded from the URL', async () => {
    // An auditor of every organization: the bureau's HR may not even ask about 机关/甲's reports.
    const response = await get(exportUrl('机关/甲.2025Q1.ROSTER', 1, 'csv'), { id: 'auditor', role: 'AUDITOR', organizationId: '*' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', message: 'report "机关/甲.2025Q1.ROSTER" not found', reportId: '机关/甲.2025Q1.ROSTER', revision: 1 });
  });

  it('answers 400 naming the allowed formats for any other extension', async () => {
    const response = await get(exportUrl(REPORT_ID, 2, 'pdf'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'export format must be one of xlsx, csv; got "pdf"',
      allowedFormats: ['xlsx', 'csv'],
    });
  });

  it('answers 400 for a revision that is not a positive integer', async () => {
    const response = await get(exportUrl(REPORT_ID, 'latest', 'csv'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'revision', message: 'revision must be a positive integer; got "latest"' });
  });

  it('refuses the same way when called without HTTP', async () => {
    await expect(exportReportRevision(infrastructure.pool, { reportId: 'nope', revision: 1, format: 'csv' }, new Writable())).rejects.toEqual(
      expect.objectContaining({ constructor: ReportExportError, code: 'NOT_FOUND' }),
    );
  });
});

describe('names', () => {
  it('makes a sheet name Excel accepts: forbidden characters dropped, at most 31 characters', () => {
    expect(sheetNameOf('优秀、基本称职、不称职及未定等次中受处分人员名单')).toBe('优秀、基本称职、不称职及未定等次中受处分人员名单');
    expect(sheetNameOf('考核结果花名册/2025年第一季度[测试]：机关本级及所属单位全体公务员和参公管理人员')).toBe('考核结果花名册2025年第一季度测试：机关本级及所属单位全体公');
    expect(sheetNameOf("'a*b?c:d\\e'")).toBe('abcde');
    expect(sheetNameOf('[]*?')).toBe('Sheet1');
    expect(sheetNameOf(`${'𠀀'.repeat(20)}`)).toBe('𠀀'.repeat(15));
  });

  it('names the file <title>-<period>-第<revision>版 with an ASCII fallback and RFC 5987 encoding', () => {
    expect(exportFileName('考核结果花名册', '2025Q1', 3, 'xlsx')).toBe('考核结果花名册-2025Q1-第3版.xlsx');
    expect(exportFileName('a/b:c"d', '2025', 1, 'csv')).toBe('a_b_c_d-2025-第1版.csv');
    expect(asciiFileName('机关.2025.ROSTER', 1, 'csv')).toBe('__.2025.ROSTER-r1.csv');
    expect(contentDisposition("名单(甲)'s.xlsx", 'x.xlsx')).toBe(`attachment; filename="x.xlsx"; filename*=UTF-8''%E5%90%8D%E5%8D%95%28%E7%94%B2%29%27s.xlsx`);
  });

  it('quotes a CSV field only when RFC 4180 (or Excel trimming spaces) needs it', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField('中文')).toBe('中文');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(' a')).toBe('" a"');
  });
});

/** Takes what it is given after a pause, counting bytes and line feeds, keeping nothing: a slow client. */
class CountingWritable extends Writable {
  bytes = 0;
  lineFeeds = 0;

  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) this.lineFeeds += 1;
    setImmediate(callback);
  }
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe(`streaming ${BIG_ROWS.toLocaleString('en')} rows`, () => {
  const gc = exposeGc();

  async function measure(format: 'csv' | 'xlsx') {
    const output = new CountingWritable();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let retainedPeak = 0;
    const bytesAtFetch: number[] = [];
    const started = Date.now();
    const result = await exportReportRevision(infrastructure.pool, { reportId: BIG_REPORT_ID, revision: 1, format }, output, {
      onFetch(fetches) {
        bytesAtFetch.push(output.bytes);
        // Live memory (after a collection) a quarter, half and three quarters of the way through.
        if (fetches % 25 === 0 && fetches < 100) {
          gc();
          retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
        }
      },
    });
    return { output, result, retainedPeak, bytesAtFetch, seconds: (Date.now() - started) / 1000 };
  }

  it('writes CSV through the cursor in batches with flat memory', async () => {
    const { output, result, retainedPeak, bytesAtFetch, seconds } = await measure('csv');
    expect(result.rows).toBe(BIG_ROWS);
    // 1,000 rows a fetch (plus the one that finds the end): never the whole table at once.
    expect(result.fetches).toBeGreaterThanOrEqual(BIG_ROWS / 1000);
    // Bytes reached the output long before the last row was read.
    expect(bytesAtFetch[Math.floor(bytesAtFetch.length / 2)]).toBeGreaterThan(0);
    // Header line plus one line per row, plus the line feed inside every note that is not null.
    expect(output.lineFeeds).toBe(1 + BIG_ROWS + (BIG_ROWS - Math.floor(BIG_ROWS / 3)));
    expect(retainedPeak).toBeLessThan(16 * 1024 * 1024);
    console.log(`CSV ${BIG_ROWS} rows: ${(output.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s, ${result.fetches} fetches, retained heap growth at most ${(retainedPeak / 1e6).toFixed(1)} MB`);
  });

  it('writes XLSX through the cursor in batches with flat memory', async () => {
    const { output, result, retainedPeak, bytesAtFetch, seconds } = await measure('xlsx');
    expect(result.rows).toBe(BIG_ROWS);
    expect(result.fetches).toBeGreaterThanOrEqual(BIG_ROWS / 1000);
    expect(bytesAtFetch[Math.floor(bytesAtFetch.length / 2)]).toBeGreaterThan(0);
    expect(output.bytes).toBeGreaterThan(1_000_000);
    expect(retainedPeak).toBeLessThan(16 * 1024 * 1024);
    console.log(`XLSX ${BIG_ROWS} rows: ${(output.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s, ${result.fetches} fetches, retained heap growth at most ${(retainedPeak / 1e6).toFixed(1)} MB`);
  });

  it('stops reading and gives the connection back when the output closes early', async () => {
    let fetches = 0;
    const prepared = await prepareReportExport(infrastructure.pool, { reportId: BIG_REPORT_ID, revision: 1, format: 'xlsx' }, { onFetch: (count) => (fetches = count) });
    let received = 0;
    const client = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        setImmediate(() => {
          callback();
          // The client goes away after 200 kB.
          if (received > 200_000) this.destroy();
        });
      },
    });
    await expect(prepared.writeTo(client)).rejects.toThrow();
    expect(fetches).toBeGreaterThan(0);
    expect(fetches).toBeLessThan(BIG_ROWS / 1000 / 2);
    // Every connection is back in the pool, and the pool still answers.
    expect(infrastructure.pool.totalCount - infrastructure.pool.idleCount).toBe(0);
    const { rows } = await infrastructure.pool.query('SELECT count(*)::int AS n FROM report_revision_row WHERE report_id = $1', [BIG_REPORT_ID]);
    expect(rows[0].n).toBe(BIG_ROWS);
  });
});
