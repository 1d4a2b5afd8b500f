import { parsePeriod } from '../../src/appraisal/domain/vocabulary.js';
import type { RecordFacts } from '../../src/reports/domain/report-facts.js';
import { percent, periodLabel } from '../../src/reports/domain/report-labels.js';
import { build, cellsOf, graded, HEBEI, headersOf, record } from './report-fixtures.js';

/** QUARTERLY_FILING (平时考核结果备案表) and QUARTERLY_SUMMARY (公务员平时考核结果汇总表), DOMAIN.md §7. */

describe('report labels', () => {
  it('prints shares with two decimals and an empty population as 0.00%', () => {
    expect(percent(1, 3)).toBe('33.33%');
    expect(percent(2, 3)).toBe('66.67%');
    expect(percent(1, 8)).toBe('12.50%');
    expect(percent(3, 3)).toBe('100.00%');
    expect(percent(0, 0)).toBe('0.00%');
    expect(percent(0.2, 1)).toBe('20.00%');
  });

  it('names periods as the forms do', () => {
    expect(periodLabel(parsePeriod('2025Q1')!)).toBe('2025年第一季度');
    expect(periodLabel(parsePeriod('2025Q4')!)).toBe('2025年第四季度');
    expect(periodLabel(parsePeriod('2025M07')!)).toBe('2025年7月');
    expect(periodLabel(parsePeriod('2025')!)).toBe('2025年度');
  });
});

describe('平时考核结果备案表 (QUARTERLY_FILING)', () => {
  const UNGRADED_B = '吴七（不写评语、不定等次（立案审查调查期间））、郑八（只写评语、不定等次（试用期人员只写评语、不定等次））、冯九（尚未确定等次）';
  const records: RecordFacts[] = [
    // Out of order on purpose: rows go by unit, then person.
    record({ personId: 'p05', unitId: 'unit-b', period: '2025Q2', outcome: graded('GOOD') }),
    record({ personId: 'p01', period: '2025Q2', outcome: graded('GOOD') }),
    record({ personId: 'p02', period: '2025Q2', outcome: graded('FAIRLY_GOOD') }),
    record({ personId: 'p03', period: '2025Q2', outcome: graded('AVERAGE') }),
    // Not participating by the participation assessed when the record opened (retired).
    record({ personId: 'p04', period: '2025Q2', participation: { outcome: 'NOT_PARTICIPATING', reason: '未参加考核：退休（2025-04-30）' } }),
    record({ personId: 'p06', unitId: 'unit-b', period: '2025Q2', outcome: graded('POOR') }),
    record({ personId: 'p07', unitId: 'unit-b', period: '2025Q2', outcome: { kind: 'WITHHELD_INVESTIGATION', reason: '立案审查调查期间' } }),
    record({
      personId: 'p08',
      unitId: 'unit-b',
      period: '2025Q2',
      participation: { outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' },
      outcome: { kind: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' },
    }),
    record({ personId: 'p09', unitId: 'unit-b', period: '2025Q2' }),
    // Not participating by its outcome only.
    record({ personId: 'p10', unitId: 'unit-b', period: '2025Q2', outcome: { kind: 'NOT_PARTICIPATING', reason: '辞职（2025-04-15）' } }),
    // Other periods of the year are not part of the 2025Q2 filing.
    record({ personId: 'p01', period: '2025Q1', outcome: graded('POOR') }),
    record({ personId: 'p06', unitId: 'unit-b', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p05', unitId: 'unit-b', period: '2025', outcome: graded('EXCELLENT') }),
  ];
  const report = build('QUARTERLY_FILING', '2025Q2', records);

  it('has the form title and the headers in the form order, per grade of the 好/较好/一般/较差 scale', () => {
    expect(report.title).toBe('平时考核结果备案表');
    expect(report.kind).toBe('QUARTERLY_FILING');
    expect(report.period).toBe('2025Q2');
    expect(headersOf(report)).toEqual([
      '单位',
      '考核周期',
      '应参加考核人数',
      '实际参加考核人数',
      '好等次人数',
      '好等次比例',
      '较好等次人数',
      '较好等次比例',
      '一般等次人数',
      '一般等次比例',
      '较差等次人数',
      '较差等次比例',
      '好等次人员名单',
      '一般及以下等次人员名单',
      '未定等次人员名单及原因',
      '填报时间',
    ]);
    expect(report.columns.at(-1)).toEqual({ key: '#issuedOn', header: '填报时间' });
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', period: '2025年第二季度' });
  });

  it('has one row per unit in unit order, then the total', () => {
    expect(report.rows.map((row) => row.key)).toEqual(['UNIT:unit-a', 'UNIT:unit-b', 'TOTAL']);
  });

  it('counts 应参加 and 实际参加, the grades with their shares of those taking part, and lists the top and low grades', () => {
    expect(cellsOf(report, 'UNIT:unit-a')).toEqual({
      unit: '办公室',
      period: '2025年第二季度',
      expected: 4,
      participating: 3,
      'count:GOOD': 1,
      'share:GOOD': '33.33%',
      'count:FAIRLY_GOOD': 1,
      'share:FAIRLY_GOOD': '33.33%',
      'count:AVERAGE': 1,
      'share:AVERAGE': '33.33%',
      'count:POOR': 0,
      'share:POOR': '0.00%',
      topList: '张一',
      lowList: '王三',
      ungradedList: '',
    });
    expect(cellsOf(report, 'UNIT:unit-b')).toEqual({
      unit: '综合科',
      period: '2025年第二季度',
      expected: 6,
      participating: 5,
      'count:GOOD': 1,
      'share:GOOD': '20.00%',
      'count:FAIRLY_GOOD': 0,
      'share:FAIRLY_GOOD': '0.00%',
      'count:AVERAGE': 0,
      'share:AVERAGE': '0.00%',
      'count:POOR': 1,
      'share:POOR': '20.00%',
      topList: '孙五',
      lowList: '周六',
      ungradedList: UNGRADED_B,
    });
  });

  it('totals the organization: 10 expected, 8 taking part, shares of 8', () => {
    expect(cellsOf(report, 'TOTAL')).toEqual({
      unit: '合计',
      period: '2025年第二季度',
      expected: 10,
      participating: 8,
      'count:GOOD': 2,
      'share:GOOD': '25.00%',
      'count:FAIRLY_GOOD': 1,
      'share:FAIRLY_GOOD': '12.50%',
      'count:AVERAGE': 1,
      'share:AVERAGE': '12.50%',
      'count:POOR': 1,
      'share:POOR': '12.50%',
      topList: '张一、孙五',
      lowList: '王三、周六',
      ungradedList: UNGRADED_B,
    });
  });

  it('lists under 未定等次 only people who take part without a grade, each with the reason', () => {
    const list = cellsOf(report, 'TOTAL').ungradedList as string;
    expect(list).not.toContain('赵四');
    expect(list).not.toContain('陈十');
    expect(list.startsWith('吴七（')).toBe(true);
    expect(list.indexOf('郑八（')).toBeGreaterThan(0);
    expect(list.indexOf('冯九（')).toBeGreaterThan(list.indexOf('郑八（'));
  });

  it('is the same whatever order the records come in', () => {
    expect(build('QUARTERLY_FILING', '2025Q2', [...records].reverse())).toEqual(report);
  });

  it('uses the Hebei A/B/C/D scale for its headers and lists C and below', () => {
    const hebei = build(
      'QUARTERLY_FILING',
      '2025Q1',
      [
        record({ personId: 'p01', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('A') }),
        record({ personId: 'p02', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('B') }),
        record({ personId: 'p03', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('C') }),
        record({ personId: 'p04', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('D') }),
        record({ personId: 'p05', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('B') }),
      ],
      { ruleSets: [HEBEI] },
    );
    expect(headersOf(hebei)).toEqual([
      '单位',
      '考核周期',
      '应参加考核人数',
      '实际参加考核人数',
      'A等次人数',
      'A等次比例',
      'B等次人数',
      'B等次比例',
      'C等次人数',
      'C等次比例',
      'D等次人数',
      'D等次比例',
      'A等次人员名单',
      'C及以下等次人员名单',
      '未定等次人员名单及原因',
      '填报时间',
    ]);
    expect(hebei.rows.map((row) => row.key)).toEqual(['UNIT:unit-a', 'TOTAL']);
    expect(cellsOf(hebei, 'TOTAL')).toEqual({
      unit: '合计',
      period: '2025年第一季度',
      expected: 5,
      participating: 5,
      'count:A': 1,
      'share:A': '20.00%',
      'count:B': 2,
      'share:B': '40.00%',
      'count:C': 1,
      'share:C': '20.00%',
      'count:D': 1,
      'share:D': '20.00%',
      topList: '张一',
      lowList: '王三、赵四',
      ungradedList: '',
    });
  });
});

describe('公务员平时考核结果汇总表 (QUARTERLY_SUMMARY)', () => {
  const seconded = { outcome: 'GRADED' as const, reason: '借调/挂职期间由接收单位考核，结果反馈派出单位', appraisedBy: 'province-office' };
  const records: RecordFacts[] = [
    // Q3 first on purpose: rows go by period.
    record({ personId: 'p01', period: '2025Q3', outcome: graded('FAIRLY_GOOD') }),
    record({ personId: 'p02', period: '2025Q3', outcome: graded('POOR') }),
    record({ personId: 'p03', period: '2025Q3', participation: seconded, outcome: graded('GOOD') }),
    record({ personId: 'p04', period: '2025Q3', participation: { outcome: 'NOT_PARTICIPATING', reason: '未参加考核：调出（2025-07-10）' } }),
    record({ personId: 'p01', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p02', period: '2025Q1', outcome: graded('GOOD') }),
    record({ personId: 'p03', period: '2025Q1', participation: seconded, outcome: graded('GOOD') }),
    record({ personId: 'p04', period: '2025Q1', outcome: graded('AVERAGE') }),
    record({ personId: 'p01', period: '2025Q2', outcome: graded('GOOD') }),
    record({ personId: 'p02', period: '2025Q2', unitId: 'unit-b', outcome: graded('FAIRLY_GOOD') }),
    record({ personId: 'p03', period: '2025Q2', participation: seconded, outcome: graded('FAIRLY_GOOD') }),
    record({ personId: 'p04', period: '2025Q2', outcome: { kind: 'COMMENT_ONLY', reason: '病事假累计 50 天，超过考核周期一半' } }),
    // Joined in Q2: the first person in order has no Q1 record.
    record({ personId: 'p00', period: '2025Q2', outcome: graded('FAIRLY_GOOD') }),
    // Neither the annual record nor another year's quarter is a row.
    record({ personId: 'p01', period: '2025', outcome: graded('EXCELLENT') }),
    record({ personId: 'p01', period: '2024Q4', outcome: graded('GOOD') }),
  ];
  const report = build('QUARTERLY_SUMMARY', '2025', records);

  it('has the form headers, named after the top and third grade of the quarterly scale', () => {
    expect(report.title).toBe('公务员平时考核结果汇总表');
    expect(headersOf(report)).toEqual([
      '考核周期',
      '考核为好等次人数',
      '好等次人数占实际参加考核总人数比例',
      '考核为好等次人员名单',
      '因派驻、挂职等原因在接收单位考核为好等次人员名单',
      '评定为一般及以下等次、未定等次人员名单',
    ]);
    expect(report.summary).toEqual({ organization: '某市人力资源和社会保障局', year: '2025年' });
  });

  it('has one row per quarter of the year, in order', () => {
    expect(report.rows.map((row) => row.key)).toEqual(['2025Q1', '2025Q2', '2025Q3']);
  });

  it('counts the top grade over those taking part and lists a seconded person under the receiving unit, not the main list', () => {
    expect(cellsOf(report, '2025Q1')).toEqual({
      period: '2025年第一季度',
      topCount: 3,
      topShare: '75.00%',
      topList: '张一、李二',
      topElsewhereList: '王三',
      lowOrUngradedList: '赵四（一般）',
    });
    expect(cellsOf(report, '2025Q2')).toEqual({
      period: '2025年第二季度',
      topCount: 1,
      topShare: '20.00%',
      topList: '张一',
      topElsewhereList: '',
      lowOrUngradedList: '赵四（只写评语、不定等次（病事假累计 50 天，超过考核周期一半））',
    });
    // 赵四 no longer takes part: 1 of 3.
    expect(cellsOf(report, '2025Q3')).toEqual({
      period: '2025年第三季度',
      topCount: 1,
      topShare: '33.33%',
      topList: '',
      topElsewhereList: '王三',
      lowOrUngradedList: '李二（较差）',
    });
  });

  it('uses the Hebei labels with that scale', () => {
    const hebei = build(
      'QUARTERLY_SUMMARY',
      '2025',
      [
        record({ personId: 'p01', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('A') }),
        record({ personId: 'p02', period: '2025Q1', ruleSetId: 'hebei-graded-points', outcome: graded('C') }),
      ],
      { ruleSets: [HEBEI] },
    );
    expect(headersOf(hebei)).toEqual([
      '考核周期',
      '考核为A等次人数',
      'A等次人数占实际参加考核总人数比例',
      '考核为A等次人员名单',
      '因派驻、挂职等原因在接收单位考核为A等次人员名单',
      '评定为C及以下等次、未定等次人员名单',
    ]);
    expect(cellsOf(hebei, '2025Q1')).toEqual({
      period: '2025年第一季度',
      topCount: 1,
      topShare: '50.00%',
      topList: '张一',
      topElsewhereList: '',
      lowOrUngradedList: '李二（C）',
    });
  });
});
