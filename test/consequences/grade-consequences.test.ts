import {
  gradeConsequences,
  type AnnualOutcome,
  type GradeConsequence,
  type GradeConsequenceKind,
} from '../../src/consequences/domain/grade-consequences.js';

const graded = (year: number, grade: string): AnnualOutcome => ({ year, outcome: { kind: 'GRADE', grade } });
const commentOnly = (year: number): AnnualOutcome => ({ year, outcome: { kind: 'COMMENT_ONLY' } });
const withheld = (year: number): AnnualOutcome => ({ year, outcome: { kind: 'WITHHELD_INVESTIGATION' } });
const notParticipating = (year: number): AnnualOutcome => ({ year, outcome: { kind: 'NOT_PARTICIPATING' } });

const ofKind = (kind: GradeConsequenceKind, consequences: GradeConsequence[]) => consequences.filter((consequence) => consequence.kind === kind);
const yearsOf = (kind: GradeConsequenceKind, outcomes: AnnualOutcome[]) => ofKind(kind, gradeConsequences(outcomes)).map((consequence) => consequence.year);

describe('consequences of annual grades (DOMAIN.md §4.5)', () => {
  it('优秀: a commendation that year; three consecutive: 记三等功 in the third year, which also completes a salary step', () => {
    expect(gradeConsequences([graded(2021, 'EXCELLENT'), graded(2022, 'EXCELLENT'), graded(2023, 'EXCELLENT')])).toEqual([
      { year: 2021, kind: 'COMMENDATION', label: '嘉奖', detail: '2021年度优秀', basisYears: [2021] },
      { year: 2022, kind: 'COMMENDATION', label: '嘉奖', detail: '2022年度优秀', basisYears: [2022] },
      {
        year: 2022,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2021、2022年度优秀：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basisYears: [2021, 2022],
      },
      { year: 2023, kind: 'COMMENDATION', label: '嘉奖', detail: '2023年度优秀', basisYears: [2023] },
      {
        year: 2023,
        kind: 'MERIT_THIRD_CLASS',
        label: '记三等功',
        detail: '2021、2022、2023年度优秀：连续3年优秀，第1次记三等功',
        basisYears: [2021, 2022, 2023],
      },
    ]);
  });

  it('记三等功 again after three more consecutive 优秀, not in between', () => {
    const sixExcellent = [2018, 2019, 2020, 2021, 2022, 2023].map((year) => graded(year, 'EXCELLENT'));
    const merits = ofKind('MERIT_THIRD_CLASS', gradeConsequences(sixExcellent));
    expect(merits.map(({ year, basisYears, detail }) => ({ year, basisYears, detail }))).toEqual([
      { year: 2020, basisYears: [2018, 2019, 2020], detail: '2018、2019、2020年度优秀：连续3年优秀，第1次记三等功' },
      { year: 2023, basisYears: [2021, 2022, 2023], detail: '2021、2022、2023年度优秀：连续3年优秀，第2次记三等功' },
    ]);
    expect(yearsOf('MERIT_THIRD_CLASS', sixExcellent.slice(0, 5))).toEqual([2020]);
  });

  it.each([
    ['a 称职 year', graded(2022, 'COMPETENT')],
    ['a 基本称职 year', graded(2022, 'BASICALLY_COMPETENT')],
    ['a comment-only year', commentOnly(2022)],
    ['a withheld year', withheld(2022)],
    ['a year not participating', notParticipating(2022)],
  ])('%s between 优秀 years breaks the run: no 记三等功', (_name, between) => {
    const outcomes = [graded(2020, 'EXCELLENT'), graded(2021, 'EXCELLENT'), between, graded(2023, 'EXCELLENT'), graded(2024, 'EXCELLENT')];
    expect(yearsOf('MERIT_THIRD_CLASS', outcomes)).toEqual([]);
    expect(yearsOf('COMMENDATION', outcomes)).toEqual([2020, 2021, 2023, 2024]);
  });

  it('a year without any record breaks the run too', () => {
    expect(yearsOf('MERIT_THIRD_CLASS', [graded(2020, 'EXCELLENT'), graded(2021, 'EXCELLENT'), graded(2023, 'EXCELLENT')])).toEqual([]);
  });

  it('称职 or better, cumulative: one salary step every two years, one 级别 every five, with the running count', () => {
    const outcomes = [2019, 2020, 2021, 2022, 2023].map((year) => graded(year, year === 2021 ? 'EXCELLENT' : 'COMPETENT'));
    const consequences = gradeConsequences(outcomes);
    expect(ofKind('SALARY_STEP', consequences)).toEqual([
      {
        year: 2020,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2019、2020年度称职：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basisYears: [2019, 2020],
      },
      {
        year: 2022,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2021年度优秀，2022年度称职：称职（合格）以上等次累计4年，第2次晋升工资档次',
        basisYears: [2021, 2022],
      },
    ]);
    expect(ofKind('SALARY_LEVEL', consequences)).toEqual([
      {
        year: 2023,
        kind: 'SALARY_LEVEL',
        label: '晋升一个级别',
        detail: '2019、2020年度称职，2021年度优秀，2022、2023年度称职：称职（合格）以上等次累计5年，第1次晋升级别',
        basisYears: [2019, 2020, 2021, 2022, 2023],
      },
    ]);
  });

  it('基本称职: admonition; the year does not count toward the totals and breaks nothing else', () => {
    const consequences = gradeConsequences([graded(2021, 'COMPETENT'), graded(2022, 'BASICALLY_COMPETENT'), graded(2023, 'COMPETENT')]);
    expect(consequences).toEqual([
      {
        year: 2022,
        kind: 'ADMONITION',
        label: '诫勉谈话、作出书面检查',
        detail: '2022年度基本称职：当年不计入晋升工资档次和级别的年限',
        basisYears: [2022],
      },
      {
        year: 2023,
        kind: 'SALARY_STEP',
        label: '晋升一个工资档次',
        detail: '2021、2023年度称职：称职（合格）以上等次累计2年，第1次晋升工资档次',
        basisYears: [2021, 2023],
      },
    ]);
  });

  it('a non-grade year counts for nothing and leaves the cumulative totals as they were', () => {
    expect(yearsOf('SALARY_STEP', [graded(2021, 'COMPETENT'), commentOnly(2022), graded(2023, 'COMPETENT')])).toEqual([2023]);
    expect(gradeConsequences([commentOnly(2021), withheld(2022), notParticipating(2023)])).toEqual([]);
  });

  it('不称职: demotion by one rank; two consecutive: the dismissal trigger; it counts toward nothing', () => {
    const consequences = gradeConsequences([graded(2021, 'COMPETENT'), graded(2022, 'INCOMPETENT'), graded(2023, 'INCOMPETENT')]);
    expect(consequences).toEqual([
      { year: 2022, kind: 'DEMOTION', label: '降低一个职务职级层次', detail: '2022年度不称职', basisYears: [2022] },
      { year: 2023, kind: 'DEMOTION', label: '降低一个职务职级层次', detail: '2023年度不称职', basisYears: [2023] },
      { year: 2023, kind: 'DISMISSAL_TRIGGER', label: '辞退', detail: '2022、2023年度不称职：连续2年', basisYears: [2022, 2023] },
    ]);
  });

  it('the dismissal trigger needs adjacent 不称职 years: a non-grade or 基本称职 year between them breaks it', () => {
    expect(yearsOf('DISMISSAL_TRIGGER', [graded(2021, 'INCOMPETENT'), withheld(2022), graded(2023, 'INCOMPETENT')])).toEqual([]);
    expect(yearsOf('DISMISSAL_TRIGGER', [graded(2021, 'INCOMPETENT'), graded(2022, 'BASICALLY_COMPETENT'), graded(2023, 'INCOMPETENT')])).toEqual([]);
    expect(yearsOf('DISMISSAL_TRIGGER', [graded(2021, 'INCOMPETENT'), graded(2022, 'INCOMPETENT'), graded(2023, 'INCOMPETENT')])).toEqual([2022, 2023]);
  });

  it('public-institution grades (合格 scale) have the same consequences, explained in their own names', () => {
    const consequences = gradeConsequences([
      graded(2019, 'QUALIFIED'),
      graded(2020, 'BASICALLY_QUALIFIED'),
      graded(2021, 'EXCELLENT'),
      graded(2022, 'UNQUALIFIED'),
      graded(2023, 'UNQUALIFIED'),
    ]);
    expect(consequences.map(({ year, kind, detail }) => ({ year, kind, detail }))).toEqual([
      { year: 2020, kind: 'ADMONITION', detail: '2020年度基本合格：当年不计入晋升工资档次和级别的年限' },
      { year: 2021, kind: 'COMMENDATION', detail: '2021年度优秀' },
      { year: 2021, kind: 'SALARY_STEP', detail: '2019年度合格，2021年度优秀：称职（合格）以上等次累计2年，第1次晋升工资档次' },
      { year: 2022, kind: 'DEMOTION', detail: '2022年度不合格' },
      { year: 2023, kind: 'DEMOTION', detail: '2023年度不合格' },
      { year: 2023, kind: 'DISMISSAL_TRIGGER', detail: '2022、2023年度不合格：连续2年' },
    ]);
  });

  it('a grade of no annual scale counts for nothing', () => {
    expect(gradeConsequences([graded(2022, 'GOOD'), graded(2023, 'COMPETENT')])).toEqual([]);
  });
});
