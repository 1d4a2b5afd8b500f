import type { GradeCode, PeriodKind, PersonCategory, RaterRole, SubjectRole } from '../../appraisal/domain/vocabulary.js';

/**
 * A rule set: the policy an organization adopts for a year (DOMAIN.md §5). Everything that varies
 * between organizations or years lives here as data, so every determination can name the exact
 * rules (id and version) it used.
 */
export interface RuleSetDocument {
  /** Stable id, e.g. `national-current`, `trial-2007`, `hebei-quarterly`. */
  id: string;
  /** Increases with each adopted revision of the same id. */
  version: number;
  /** Chinese name shown in reports. */
  name: string;
  /** First day (YYYY-MM-DD) this version may be used for. */
  effectiveFrom: string;
  gradeScales: GradeScale[];
  /** Which scale applies to whom in which kind of period. */
  scaleAssignments: ScaleAssignment[];
  scoringSchemes: ScoringScheme[];
  /** Which scoring scheme applies to whom in which kind of period. */
  schemeAssignments: SchemeAssignment[];
  quotas: QuotaRule[];
  windows: WindowRules;
  participation: ParticipationRules;
  directDeterminations: DirectDeterminationRule[];
  /** How quarterly results feed the annual grade; absent when they do not. */
  annualLinkage?: AnnualLinkage;
  discipline: DisciplineRules;
}

/** A grade scale, best grade first: the first grade is the top grade the quota caps. */
export interface GradeScale {
  id: string;
  name: string;
  grades: { code: GradeCode; label: string; points?: number }[];
  /** The grade work-injury leave receives (工伤假 → 较好), where the scale has one. */
  workInjuryLeaveGrade?: GradeCode;
}

export interface ScaleAssignment {
  periodKind: PeriodKind;
  category: PersonCategory;
  scaleId: string;
}

export interface SchemeAssignment {
  periodKind: PeriodKind;
  /** Absent: every category. */
  category?: PersonCategory;
  schemeId: string;
}

export interface Indicator {
  id: string;
  /** Chinese label, e.g. 思想政治素质. */
  label: string;
  /** Group within the scheme, e.g. 德 / 能 / 勤 / 绩 / 廉. */
  group?: string;
  /** Maximum points. */
  points: number;
  /** Scored 0 while the person is under sanction (廉洁自律 in the task-based scheme). */
  zeroWhenSanctioned?: boolean;
}

/** One grade's score range: from `min` (inclusive) to `max` (exclusive). */
export interface ScoreBand {
  grade: GradeCode;
  min: number;
  max: number;
}

export interface ScoringScheme {
  id: string;
  name: string;
  /** Sum of the indicators' points (usually 100). */
  total: number;
  indicators: Indicator[];
  /** Most bonus points that count (加分 ≤ 5), and most deduction points (减分 ≤ 5). */
  bonusCap: number;
  deductionCap: number;
  /** Per subject role, each rater role's weight; the weights of one subject role sum to 1. */
  raterWeights: { subjectRole: SubjectRole; weights: { raterRole: RaterRole; weight: number }[] }[];
  /** Share of the democratic evaluation in the final score (0 when not weighted in). */
  democraticWeight: number;
  /** Bands mapping the final score to a grade of a scale; they cover 0 up to above the maximum. */
  bands: { scaleId: string; bands: ScoreBand[] }[];
}

export type QuotaScope = 'UNIT' | 'ORGANIZATION';
/**
 * Who counts in the denominator: every participant; participants less those withheld during an
 * investigation; or only those given a grade.
 */
export type QuotaDenominator = 'ALL_PARTICIPANTS' | 'EXCLUDING_WITHHELD' | 'GRADED_ONLY';
/** FLOOR, HALF_UP, CEIL, or AT_LEAST_ONE: the floor, but one when the share is under one person. */
export type QuotaRounding = 'FLOOR' | 'HALF_UP' | 'CEIL' | 'AT_LEAST_ONE';
export const QUOTA_ROUNDINGS: readonly QuotaRounding[] = ['FLOOR', 'HALF_UP', 'CEIL', 'AT_LEAST_ONE'];

export interface QuotaRule {
  periodKind: PeriodKind;
  /** Largest share of top grades, 0 to 1 (e.g. 0.2 for 优秀 ≤ 20%). */
  cap: number;
  /** Share allowed with the regulator's approval (≤ 25%), if any. */
  capWithApproval?: number;
  scope: QuotaScope;
  denominator: QuotaDenominator;
  rounding: QuotaRounding;
}

export interface WindowRules {
  /** 复核 window in calendar days after publication, per kind of period (quarterly 15, annual 30). */
  objectionDays: Record<PeriodKind, number>;
  /** 申诉 window in calendar days after the 复核 decision. */
  appealDays: number;
  /** 公示 of top grades: at least this many working days (Chinese official calendar). */
  publicNoticeWorkingDays: number;
  /** Whether a deadline falling on a rest day moves to the next working day (default: it does). */
  deadlineRollsToNextWorkingDay: boolean;
}

export interface ParticipationRules {
  /** Probation (试用期): comment only. */
  probationOutcome: 'COMMENT_ONLY' | 'GRADED';
  /** 事业单位: under this many months in post → comment only (0: no such rule). */
  publicInstitutionMinimumMonthsInPost: number;
  /** Leave over half the period → comment only; statutory leave does not count toward it. */
  leaveOverHalfPeriodOutcome: 'COMMENT_ONLY' | 'GRADED';
  /** Seconded people are appraised by the receiving organization and the result sent home. */
  secondedAppraisedBy: 'RECEIVING_ORGANIZATION' | 'HOME_ORGANIZATION';
}

export type DirectTrigger = 'COMMENDATION' | 'OUTSTANDING_IN_URGENT_TASK' | 'REFUSED_ORDERS_AT_CRITICAL_MOMENT' | 'SERIOUS_PARTY_WARNING_OR_HEAVIER';
export const DIRECT_TRIGGERS: readonly DirectTrigger[] = [
  'COMMENDATION',
  'OUTSTANDING_IN_URGENT_TASK',
  'REFUSED_ORDERS_AT_CRITICAL_MOMENT',
  'SERIOUS_PARTY_WARNING_OR_HEAVIER',
];

export interface DirectDeterminationRule {
  trigger: DirectTrigger;
  periodKinds: PeriodKind[];
  outcome: 'TOP_GRADE' | 'BOTTOM_GRADE' | 'WITHHELD';
}

export interface AnnualLinkage {
  /** Share of the averaged quarterly points in the annual score (0.5 or 0.6). */
  quarterlyScoreWeight: number;
  /** 优秀 needs the top grade in more than this share of the quarters… */
  excellentMinTopGradeShare: number;
  /** …and none of these grades in the year (一般/较差, or C/D). */
  excellentBarredBy: GradeCode[];
  /** These grades in more than half the quarters → `lowMajorityOutcome`. */
  lowGrades: GradeCode[];
  lowMajorityOutcome: GradeCode;
  /** Every quarter at this grade → `allBottomOutcome` (all 较差 → 不称职). */
  bottomGrade: GradeCode;
  allBottomOutcome: GradeCode;
  /** This many of `repeatedLowGrade` (two D) → `repeatedLowOutcome`. */
  repeatedLowGrade?: GradeCode;
  repeatedLowCount?: number;
  repeatedLowOutcome?: GradeCode;
  /** 年度优秀率 = (top grades ÷ quarters) × quarterlyWeight + (优秀 votes ÷ voters) × voteWeight. */
  excellentRate?: { quarters: number; quarterlyWeight: number; voteWeight: number };
  /** This many efficiency warnings (效能告诫) in the year bar 优秀. */
  efficiencyWarningsBarringExcellent: number;
  /** 绩效奖励级差建议: the performance-award tier the organization suggests for each annual grade. */
  performanceAwardTiers?: { grade: GradeCode; tier: string }[];
}

/** 政务处分, 党纪处分 and the lighter measures (DOMAIN.md §4.4). */
export type MeasureCode =
  | 'GOVERNMENT_WARNING' // 政务警告
  | 'GOVERNMENT_DEMERIT' // 记过
  | 'GOVERNMENT_MAJOR_DEMERIT' // 记大过
  | 'GOVERNMENT_DEMOTION' // 降级
  | 'GOVERNMENT_REMOVAL' // 撤职
  | 'GOVERNMENT_DISMISSAL' // 开除
  | 'PARTY_WARNING' // 党内警告
  | 'PARTY_SERIOUS_WARNING' // 党内严重警告
  | 'PARTY_POST_REMOVAL' // 撤销党内职务
  | 'PARTY_PROBATION' // 留党察看
  | 'PARTY_EXPULSION' // 开除党籍
  | 'ADMONITION' // 诫勉
  | 'ORGANIZATIONAL_ADJUSTMENT' // 调整职务
  | 'ORGANIZATIONAL_RESIGNATION' // 责令辞职
  | 'ORGANIZATIONAL_REMOVAL' // 免职
  | 'ORGANIZATIONAL_DEMOTION' // 降职
  | 'EFFICIENCY_WARNING'; // 效能告诫

/** Every measure code, checked complete by the compiler (a missing or extra key fails to compile). */
const MEASURE_CODE_MEMBERS: Record<MeasureCode, true> = {
  GOVERNMENT_WARNING: true,
  GOVERNMENT_DEMERIT: true,
  GOVERNMENT_MAJOR_DEMERIT: true,
  GOVERNMENT_DEMOTION: true,
  GOVERNMENT_REMOVAL: true,
  GOVERNMENT_DISMISSAL: true,
  PARTY_WARNING: true,
  PARTY_SERIOUS_WARNING: true,
  PARTY_POST_REMOVAL: true,
  PARTY_PROBATION: true,
  PARTY_EXPULSION: true,
  ADMONITION: true,
  ORGANIZATIONAL_ADJUSTMENT: true,
  ORGANIZATIONAL_RESIGNATION: true,
  ORGANIZATIONAL_REMOVAL: true,
  ORGANIZATIONAL_DEMOTION: true,
  EFFICIENCY_WARNING: true,
};
export const MEASURE_CODES = Object.keys(MEASURE_CODE_MEMBERS) as readonly MeasureCode[];

/** What a measure does to a grade, lightest first. */
export type GradeEffect = 'NONE' | 'NOT_TOP_GRADE' | 'COMMENT_ONLY' | 'NO_GRADE' | 'BOTTOM_GRADE' | 'NOT_PARTICIPATING';
export const GRADE_EFFECT_SEVERITY: readonly GradeEffect[] = ['NONE', 'NOT_TOP_GRADE', 'COMMENT_ONLY', 'NO_GRADE', 'BOTTOM_GRADE', 'NOT_PARTICIPATING'];

export interface MeasureEffect {
  measure: MeasureCode;
  /** Annual grade of the year the decision takes effect (DECISION_YEAR basis) or of years in the period (PENALTY_PERIOD basis). */
  annual: GradeEffect;
  /** Effects on the following years, in order (e.g. 记大过: next year NO_GRADE). */
  laterYears: GradeEffect[];
  /** Quarterly / monthly periods overlapping the measure's effect period. */
  quarterly: GradeEffect;
  /** A measure with a variable term (留党察看 1 or 2 years) uses `laterYearsByTermYears` instead. */
  laterYearsByTermYears?: Record<string, GradeEffect[]>;
}

export interface DisciplineRules {
  /** national-current: the year the decision takes effect; trial-2007: the penalty period. */
  basis: 'DECISION_YEAR' | 'PENALTY_PERIOD';
  /** Effect period in months by measure (政务处分法: 警告 6, 记过 12, 记大过 18, 降级/撤职 24). */
  periodMonths: Partial<Record<MeasureCode, number>>;
  effects: MeasureEffect[];
  /** Records of periods an open case covers are withheld; whether they count in the quota denominator follows `quotas`. */
  investigationWithholds: boolean;
  /** Case outcomes that lead to backfill (补定等次) of the withheld periods. */
  backfillOutcomes: ('NO_PENALTY' | 'EXEMPTED' | 'WARNING')[];
}
