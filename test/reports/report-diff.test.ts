import { canonicalContent, diffReports, isEmptyDiff } from '../../src/reports/domain/report-diff.js';
import type { ReportColumn, ReportRow } from '../../src/reports/domain/report-document.js';

/** What changed between two revisions of a report (DOMAIN.md §7), and when two revisions are the same. */

const BEFORE_COLUMNS: ReportColumn[] = [
  { key: '#ordinal', header: '序号' },
  { key: 'name', header: '姓名' },
  { key: 'unitAndPost', header: '单位及职务（职级）' },
  { key: 'outcome', header: '考核等次' },
  { key: 'remarks', header: '备注' },
];

const before = {
  columns: BEFORE_COLUMNS,
  rows: [
    { key: 'r1', cells: { name: '张一', unitAndPost: '办公室 科员（一级科员）', outcome: '不写评语、不定等次（立案审查调查期间）', remarks: '' } },
    { key: 'r2', cells: { name: '李二', unitAndPost: '办公室 科员（二级科员）', outcome: '称职', remarks: null } },
    { key: 'r3', cells: { name: '王三', unitAndPost: '综合科', outcome: '优秀', remarks: '' } },
    { key: 'r4', cells: { name: '赵四', unitAndPost: '综合科', outcome: 1, remarks: '' } },
  ] as ReportRow[],
};

describe('diffReports', () => {
  it('finds no difference between a revision and itself', () => {
    const diff = diffReports(before, structuredClone(before));
    expect(diff).toEqual({ added: [], removed: [], changed: [], columnsAdded: [], columnsRemoved: [] });
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('reports added, removed and changed rows by key, the changed cells in column order with their headers', () => {
    const after = {
      columns: BEFORE_COLUMNS,
      rows: [
        // Reordered: rows match by key, not position.
        { key: 'r2', cells: { name: '李二', unitAndPost: '办公室 科员（二级科员）', outcome: '称职' } },
        { key: 'r1', cells: { name: '张一', unitAndPost: '办公室 科员（一级科员）', outcome: '称职', remarks: '补定等次（案件C-1结案：WARNING）' } },
        { key: 'r5', cells: { name: '孙五', unitAndPost: '综合科', outcome: '称职', remarks: '' } },
        // 1 and '1' differ.
        { key: 'r4', cells: { name: '赵四', unitAndPost: '综合科', outcome: '1', remarks: '' } },
      ] as ReportRow[],
    };
    const diff = diffReports(before, after);
    expect(diff.added).toEqual([after.rows[2]]);
    expect(diff.removed).toEqual([before.rows[2]]);
    // r2: a null cell and an absent one are the same.
    expect(diff.changed).toEqual([
      {
        key: 'r1',
        before: before.rows[0].cells,
        after: after.rows[1].cells,
        cells: [
          { column: 'outcome', header: '考核等次', before: '不写评语、不定等次（立案审查调查期间）', after: '称职' },
          { column: 'remarks', header: '备注', before: '', after: '补定等次（案件C-1结案：WARNING）' },
        ],
      },
      { key: 'r4', before: before.rows[3].cells, after: after.rows[3].cells, cells: [{ column: 'outcome', header: '考核等次', before: 1, after: '1' }] },
    ]);
    expect(diff.columnsAdded).toEqual([]);
    expect(diff.columnsRemoved).toEqual([]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('orders changed cells by the column order, not by the order of the cells in the row', () => {
    const columns: ReportColumn[] = [
      { key: 'c', header: 'C列' },
      { key: 'a', header: 'A列' },
      { key: 'b', header: 'B列' },
    ];
    const diff = diffReports({ columns, rows: [{ key: 'x', cells: { a: 1, b: 1, c: 1 } }] }, { columns, rows: [{ key: 'x', cells: { b: 2, a: 2, c: 2 } }] });
    expect(diff.changed[0].cells.map((cell) => [cell.column, cell.header])).toEqual([
      ['c', 'C列'],
      ['a', 'A列'],
      ['b', 'B列'],
    ]);
  });

  it('reports a column that appeared or disappeared, and the cells it changes, after the columns of the new revision', () => {
    // A grade first used (较差) and the remarks column dropped.
    const columns: ReportColumn[] = [
      { key: '#ordinal', header: '序号' },
      { key: 'name', header: '姓名' },
      { key: 'count:POOR', header: '较差等次人数' },
      { key: 'unitAndPost', header: '单位及职务（职级）' },
      { key: 'outcome', header: '考核等次' },
    ];
    const after = {
      columns,
      rows: [{ key: 'r1', cells: { name: '张一', 'count:POOR': 1, unitAndPost: '办公室 科员（一级科员）', outcome: '较差' } }],
    };
    const diff = diffReports({ columns: BEFORE_COLUMNS, rows: [before.rows[0]] }, after);
    expect(diff.columnsAdded).toEqual([{ key: 'count:POOR', header: '较差等次人数' }]);
    expect(diff.columnsRemoved).toEqual([{ key: 'remarks', header: '备注' }]);
    expect(diff.changed).toHaveLength(1);
    // '' → absent in the removed column is a change; the removed column's header is still named.
    expect(diff.changed[0].cells).toEqual([
      { column: 'count:POOR', header: '较差等次人数', before: null, after: 1 },
      { column: 'outcome', header: '考核等次', before: '不写评语、不定等次（立案审查调查期间）', after: '较差' },
      { column: 'remarks', header: '备注', before: '', after: null },
    ]);
    expect(isEmptyDiff(diffReports({ columns: BEFORE_COLUMNS, rows: [] }, { columns, rows: [] }))).toBe(false);
  });

  it('names a changed cell of a key no column has by its key', () => {
    const diff = diffReports({ columns: [], rows: [{ key: 'x', cells: { extra: 'a' } }] }, { columns: [], rows: [{ key: 'x', cells: { extra: 'b' } }] });
    expect(diff.changed[0].cells).toEqual([{ column: 'extra', header: 'extra', before: 'a', after: 'b' }]);
  });
});

describe('canonicalContent', () => {
  it('is equal for equal content whatever order the cells were set in', () => {
    const one = { columns: BEFORE_COLUMNS, rows: [{ key: 'r1', cells: { name: '张一', outcome: '优秀', remarks: '' } }] };
    const other = { columns: BEFORE_COLUMNS.map((column) => ({ header: column.header, key: column.key })), rows: [{ key: 'r1', cells: { remarks: '', outcome: '优秀', name: '张一' } }] };
    expect(canonicalContent(other)).toBe(canonicalContent(one));
  });

  it('differs when a cell, a header, the column order or the row order differs', () => {
    const content = { columns: BEFORE_COLUMNS, rows: before.rows };
    const text = canonicalContent(content);
    const changedCell = { ...content, rows: [{ ...before.rows[0], cells: { ...before.rows[0].cells, outcome: '称职' } }, ...before.rows.slice(1)] };
    expect(canonicalContent(changedCell)).not.toBe(text);
    // The same value as a number and as text.
    const retyped = { ...content, rows: [before.rows[0], before.rows[1], before.rows[2], { ...before.rows[3], cells: { ...before.rows[3].cells, outcome: '1' } }] };
    expect(canonicalContent(retyped)).not.toBe(text);
    const renamed = { ...content, columns: BEFORE_COLUMNS.map((column) => (column.key === 'outcome' ? { ...column, header: '考核结果' } : column)) };
    expect(canonicalContent(renamed)).not.toBe(text);
    expect(canonicalContent({ ...content, columns: [...BEFORE_COLUMNS].reverse() })).not.toBe(text);
    expect(canonicalContent({ ...content, rows: [...before.rows].reverse() })).not.toBe(text);
  });
});
