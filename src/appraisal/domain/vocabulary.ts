import { daysInMonth } from '../../shared/calendar-date.js';

/** The appraisal vocabulary shared by rule sets, records, cycles and derivation (DOMAIN.md §2–3). */

/** 平时考核 (quarterly; window units may use monthly) and 年度考核. */
export type PeriodKind = 'QUARTERLY' | 'MONTHLY' | 'ANNUAL';
export const PERIOD_KINDS: readonly PeriodKind[] = ['QUARTERLY', 'MONTHLY', 'ANNUAL'];

/** 公务员, 参照公务员法管理人员 (参公), 事业单位工作人员, other staff. */
export type PersonCategory = 'CIVIL_SERVANT' | 'REFERENCE_MANAGED' | 'PUBLIC_INSTITUTION' | 'OTHER';
export const PERSON_CATEGORIES: readonly PersonCategory[] = ['CIVIL_SERVANT', 'REFERENCE_MANAGED', 'PUBLIC_INSTITUTION', 'OTHER'];

/**
 * A grade is a code of the grade scale in force (e.g. GOOD, A, EXCELLENT, QUALIFIED); scales are
 * data in the rule set, so the code is a string checked against the scale, not a closed union.
 */
export type GradeCode = string;

/** Outcomes that are not grades; every view and report shows them with their reason. */
export type NonGradeOutcomeKind = 'WITHHELD_INVESTIGATION' | 'COMMENT_ONLY' | 'NOT_PARTICIPATING';

export type Outcome =
  | { kind: 'GRADE'; grade: GradeCode }
  | { kind: NonGradeOutcomeKind; reason: string };

/** Who scores: the scoring scheme weights each rater role (DOMAIN.md §5.1 rater-weighted). */
export type RaterRole = 'SUPERIOR' | 'PEER' | 'SUBORDINATE' | 'COLLEAGUE' | 'UNIT_HEAD';
export const RATER_ROLES: readonly RaterRole[] = ['SUPERIOR', 'PEER', 'SUBORDINATE', 'COLLEAGUE', 'UNIT_HEAD'];

/** Whose score is weighted how: section heads and other staff may be weighted differently. */
export type SubjectRole = 'SECTION_HEAD' | 'STAFF';

/** A period: `2025` (annual), `2025Q2` (quarterly) or `2025M07` (monthly). */
export interface Period {
  kind: PeriodKind;
  year: number;
  /** Quarter 1–4 or month 1–12; absent for an annual period. */
  index?: number;
  /** First and last calendar day, YYYY-MM-DD. */
  start: string;
  end: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Parses `2025`, `2025Q2` or `2025M07`; undefined for anything else. */
export function parsePeriod(text: string): Period | undefined {
  const match = /^(\d{4})(?:(Q)([1-4])|(M)(0[1-9]|1[0-2]))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (match[2]) {
    const quarter = Number(match[3]);
    const firstMonth = (quarter - 1) * 3 + 1;
    const lastMonth = firstMonth + 2;
    return {
      kind: 'QUARTERLY',
      year,
      index: quarter,
      start: `${year}-${pad(firstMonth)}-01`,
      end: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
    };
  }
  if (match[4]) {
    const month = Number(match[5]);
    return { kind: 'MONTHLY', year, index: month, start: `${year}-${pad(month)}-01`, end: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}` };
  }
  return { kind: 'ANNUAL', year, start: `${year}-01-01`, end: `${year}-12-31` };
}

export function formatPeriod(period: Pick<Period, 'kind' | 'year' | 'index'>): string {
  if (period.kind === 'ANNUAL') return String(period.year);
  return period.kind === 'QUARTERLY' ? `${period.year}Q${period.index}` : `${period.year}M${pad(period.index ?? 0)}`;
}
