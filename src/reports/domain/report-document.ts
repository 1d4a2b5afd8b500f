import { parsePeriod, type PeriodKind } from '../../appraisal/domain/vocabulary.js';

/** The six reports filed with the regulator (备案, DOMAIN.md §7). */
export type ReportKind =
  | 'QUARTERLY_FILING'
  | 'QUARTERLY_SUMMARY'
  | 'REGISTRATION_SUMMARY'
  | 'ANNUAL_REGISTRATION'
  | 'ROSTER'
  | 'SANCTIONED_LIST';

interface ReportKindDefinition {
  /** The source form's title. */
  title: string;
  /** The period kinds a report of this kind is filed for. */
  periodKinds: readonly PeriodKind[];
}

export const REPORT_KINDS: Readonly<Record<ReportKind, ReportKindDefinition>> = {
  QUARTERLY_FILING: { title: '平时考核结果备案表', periodKinds: ['QUARTERLY', 'MONTHLY'] },
  QUARTERLY_SUMMARY: { title: '公务员平时考核结果汇总表', periodKinds: ['ANNUAL'] },
  REGISTRATION_SUMMARY: { title: '考核情况登记汇总表', periodKinds: ['ANNUAL'] },
  ANNUAL_REGISTRATION: { title: '考核审核备案登记表', periodKinds: ['ANNUAL'] },
  ROSTER: { title: '考核结果花名册', periodKinds: ['QUARTERLY', 'MONTHLY', 'ANNUAL'] },
  SANCTIONED_LIST: { title: '优秀、基本称职、不称职及未定等次中受处分人员名单', periodKinds: ['ANNUAL'] },
};

export const REPORT_KIND_NAMES = Object.keys(REPORT_KINDS) as readonly ReportKind[];

export function isReportKind(value: string): value is ReportKind {
  return Object.hasOwn(REPORT_KINDS, value);
}

/**
 * A column of a report: `key` names the cell in each row, `header` is the source form's Chinese
 * header. Two keys are filled by whoever renders a revision rather than stored in the rows:
 * `#ordinal` (序号, the row's position) and `#issuedOn` (填报时间, the revision's date), so that
 * neither a new row nor a reissue changes every other row.
 */
export interface ReportColumn {
  key: string;
  header: string;
}

export const ORDINAL_COLUMN: ReportColumn = { key: '#ordinal', header: '序号' };
export const ISSUED_ON_COLUMN: ReportColumn = { key: '#issuedOn', header: '填报时间' };

export type ReportCell = string | number | null;

/** One row: `key` identifies it across revisions (a record, a unit, a quarter), `cells` by column key. */
export interface ReportRow {
  key: string;
  cells: Record<string, ReportCell>;
}

/** A report's content as of one position in the log. */
export interface ReportDocument {
  kind: ReportKind;
  title: string;
  organizationId: string;
  period: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Totals and notes shown above or below the rows (e.g. the quota check). */
  summary: Record<string, ReportCell>;
}

/** `<organization>.<period>.<kind>`: one report per organization, period and kind. */
export function reportIdOf(organizationId: string, period: string, kind: ReportKind): string {
  return `${organizationId}.${period}.${kind}`;
}

/** Why a kind cannot be filed for a period, or undefined when it can. */
export function periodProblem(kind: ReportKind, period: string): string | undefined {
  const parsed = parsePeriod(period);
  if (!parsed) return `period must be YYYY, YYYYQn or YYYYMmm, got ${JSON.stringify(period)}`;
  const allowed = REPORT_KINDS[kind].periodKinds;
  return allowed.includes(parsed.kind) ? undefined : `${REPORT_KINDS[kind].title} is filed for ${allowed.join(' or ')} periods, not ${parsed.kind}`;
}
