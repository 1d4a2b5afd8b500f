import type { NonGradeOutcomeKind, Period, PersonCategory } from '../../appraisal/domain/vocabulary.js';
import type { MeasureCode } from '../../rule-set/domain/rule-set.js';

/** The Chinese labels the source forms use. */

export const PERSON_CATEGORY_LABELS: Readonly<Record<PersonCategory, string>> = {
  CIVIL_SERVANT: '公务员',
  REFERENCE_MANAGED: '参照公务员法管理人员',
  PUBLIC_INSTITUTION: '事业单位工作人员',
  OTHER: '其他人员',
};

export const NON_GRADE_OUTCOME_LABELS: Readonly<Record<NonGradeOutcomeKind, string>> = {
  WITHHELD_INVESTIGATION: '不写评语、不定等次',
  COMMENT_ONLY: '只写评语、不定等次',
  NOT_PARTICIPATING: '未参加考核',
};

export const UNDETERMINED_LABEL = '尚未确定等次';

export const MEASURE_LABELS: Readonly<Record<MeasureCode, string>> = {
  GOVERNMENT_WARNING: '政务警告',
  GOVERNMENT_DEMERIT: '政务记过',
  GOVERNMENT_MAJOR_DEMERIT: '政务记大过',
  GOVERNMENT_DEMOTION: '降级',
  GOVERNMENT_REMOVAL: '撤职',
  GOVERNMENT_DISMISSAL: '开除',
  PARTY_WARNING: '党内警告',
  PARTY_SERIOUS_WARNING: '党内严重警告',
  PARTY_POST_REMOVAL: '撤销党内职务',
  PARTY_PROBATION: '留党察看',
  PARTY_EXPULSION: '开除党籍',
  ADMONITION: '诫勉',
  ORGANIZATIONAL_ADJUSTMENT: '调整职务',
  ORGANIZATIONAL_RESIGNATION: '责令辞职',
  ORGANIZATIONAL_REMOVAL: '免职',
  ORGANIZATIONAL_DEMOTION: '降职',
  EFFICIENCY_WARNING: '效能告诫',
};

/** 处分 in the forms' sense: 政务处分 and 党纪处分, not the lighter measures. */
export function isPenalty(measure: MeasureCode): boolean {
  return measure.startsWith('GOVERNMENT_') || measure.startsWith('PARTY_');
}

const QUARTER_NAMES = ['一', '二', '三', '四'];

/** `2025年第二季度`, `2025年7月`, `2025年度`. */
export function periodLabel(period: Pick<Period, 'kind' | 'year' | 'index'>): string {
  if (period.kind === 'ANNUAL') return `${period.year}年度`;
  if (period.kind === 'QUARTERLY') return `${period.year}年第${QUARTER_NAMES[(period.index ?? 1) - 1]}季度`;
  return `${period.year}年${period.index}月`;
}

/** A share as the forms print it: `33.33%`; an empty population gives `0.00%`. */
export function percent(count: number, of: number): string {
  return `${of > 0 ? ((count / of) * 100).toFixed(2) : '0.00'}%`;
}

/** Names in a list cell, separated by 、 as the forms do. */
export function nameList(names: string[]): string {
  return names.join('、');
}
