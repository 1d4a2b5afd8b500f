import { isCalendarDate } from '../../shared/calendar-date.js';
import { PERIOD_KINDS, PERSON_CATEGORIES, RATER_ROLES, type GradeCode, type SubjectRole } from '../../appraisal/domain/vocabulary.js';
import {
  DIRECT_TRIGGERS,
  GRADE_EFFECT_SEVERITY,
  MEASURE_CODES,
  QUOTA_ROUNDINGS,
  type AnnualLinkage,
  type DirectDeterminationRule,
  type DisciplineRules,
  type GradeEffect,
  type GradeScale,
  type Indicator,
  type MeasureEffect,
  type ParticipationRules,
  type QuotaDenominator,
  type QuotaRule,
  type QuotaScope,
  type RuleSetDocument,
  type ScaleAssignment,
  type SchemeAssignment,
  type ScoreBand,
  type ScoringScheme,
  type WindowRules,
} from './rule-set.js';

/** One thing wrong with a rule set: where (e.g. `scoringSchemes[2].indicators`) and what. */
export interface RuleSetProblem {
  path: string;
  message: string;
}

export type RuleSetValidation = { ok: true; ruleSet: RuleSetDocument } | { ok: false; errors: RuleSetProblem[] };

/**
 * Checks that a value (parsed JSON, an API input) is a well-formed and consistent rule set
 * (DOMAIN.md §5). Every problem is reported, so an author fixes a document in one pass.
 */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const problems: RuleSetProblem[] = [];
  const { fields } = decodeFields(RULE_SET_SHAPE, input, '', problems);
  problems.push(...CONSISTENCY_CHECKS.flatMap((check) => check(fields)));
  // With no problem reported, every required field decoded, so the partial document is whole.
  return problems.length === 0 ? { ok: true, ruleSet: fields as RuleSetDocument } : { ok: false, errors: problems };
}

// ---------------------------------------------------------------------------------------------
// Structure: decoders check each field's type and range.
//
// A value of the wrong type is INVALID, and so is everything containing it, which keeps the
// consistency checks from reading it. A value of the right type but out of range is reported and
// kept, so the consistency checks still run (a weight of 1.2 is both out of range and off the sum).
// ---------------------------------------------------------------------------------------------

const INVALID = Symbol('invalid');
type Decoder<T> = (value: unknown, path: string, problems: RuleSetProblem[]) => T | typeof INVALID;
type Shape<T> = { [K in keyof T]-?: Decoder<T[K]> };

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function mismatch(path: string, allowed: string, value: unknown): RuleSetProblem {
  const message = value === undefined ? `missing; must be ${allowed}` : `must be ${allowed}; found ${describe(value)}`;
  return { path, message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function primitive<T>(allowed: string, isType: (value: unknown) => value is T, inRange: (value: T) => boolean = () => true): Decoder<T> {
  return (value, path, problems) => {
    if (!isType(value)) {
      problems.push(mismatch(path, allowed, value));
      return INVALID;
    }
    if (!inRange(value)) problems.push(mismatch(path, allowed, value));
    return value;
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

const text = primitive('a non-empty text', isString, (value) => value.trim() !== '');
const flag = primitive('true or false', isBoolean);
const anyNumber = primitive('a number', isNumber);
const positiveNumber = primitive('a number above 0', isNumber, (value) => value > 0);
const nonNegativeNumber = primitive('a number of 0 or more', isNumber, (value) => value >= 0);
const positiveInteger = primitive('a positive integer', isNumber, (value) => Number.isInteger(value) && value > 0);
const nonNegativeInteger = primitive('an integer of 0 or more', isNumber, (value) => Number.isInteger(value) && value >= 0);
const share = primitive('a number from 0 to 1', isNumber, (value) => value >= 0 && value <= 1);
const positiveShare = primitive('a number above 0 and at most 1', isNumber, (value) => value > 0 && value <= 1);
const calendarDate = primitive('a calendar date written YYYY-MM-DD', isString, isCalendarDate);

function oneOf<T extends string>(values: readonly T[]): Decoder<T> {
  return primitive(`one of ${values.join(', ')}`, (value): value is T => values.includes(value as T));
}

function optional<T>(decoder: Decoder<T>): Decoder<T | undefined> {
  return (value, path, problems) => (value === undefined ? undefined : decoder(value, path, problems));
}

function list<T>(item: Decoder<T>, noun: string, minimum = 0): Decoder<T[]> {
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      problems.push(mismatch(path, `a list of ${noun}`, value));
      return INVALID;
    }
    if (value.length < minimum) problems.push({ path, message: `must list at least ${minimum} ${noun}; found ${value.length}` });
    const items = value.map((element, index) => item(element, `${path}[${index}]`, problems));
    return items.some((decoded) => decoded === INVALID) ? INVALID : (items as T[]);
  };
}

/** Decodes what it can of an object, so the top level can check the sections that did decode. */
function decodeFields<T extends object>(
  shape: Shape<T>,
  value: unknown,
  path: string,
  problems: RuleSetProblem[],
  keyNoun = 'field',
): { fields: Partial<T>; valid: boolean } {
  if (!isPlainObject(value)) {
    problems.push(mismatch(path, 'an object', value));
    return { fields: {}, valid: false };
  }
  const known = Object.keys(shape) as (keyof T & string)[];
  for (const key of Object.keys(value)) {
    if (!(known as string[]).includes(key)) problems.push({ path: at(path, key), message: `unknown ${keyNoun}; allowed: ${known.join(', ')}` });
  }
  const fields: Partial<T> = {};
  let valid = true;
  for (const key of known) {
    const decoded = shape[key](value[key], at(path, key), problems);
    if (decoded === INVALID) valid = false;
    else if (decoded !== undefined) fields[key] = decoded;
  }
  return { fields, valid };
}

function object<T extends object>(shape: Shape<T>, keyNoun?: string): Decoder<T> {
  return (value, path, problems) => {
    const { fields, valid } = decodeFields(shape, value, path, problems, keyNoun);
    return valid ? (fields as T) : INVALID;
  };
}

function shapeOfKeys<K extends string, V>(keys: readonly K[], decoder: Decoder<V>): Shape<Record<K, V>> {
  return Object.fromEntries(keys.map((key) => [key, decoder])) as Shape<Record<K, V>>;
}

/** The members of a union, listed once and checked complete by the compiler. */
function membersOf<T extends string>(members: Record<T, true>): readonly T[] {
  return Object.keys(members) as T[];
}

const SUBJECT_ROLES = membersOf<SubjectRole>({ SECTION_HEAD: true, STAFF: true });
const QUOTA_SCOPES = membersOf<QuotaScope>({ UNIT: true, ORGANIZATION: true });
const QUOTA_DENOMINATORS = membersOf<QuotaDenominator>({ ALL_PARTICIPANTS: true, EXCLUDING_WITHHELD: true, GRADED_ONLY: true });
const GRADED_OR_COMMENT_ONLY = membersOf<ParticipationRules['probationOutcome']>({ COMMENT_ONLY: true, GRADED: true });
const SECONDMENT_APPRAISERS = membersOf<ParticipationRules['secondedAppraisedBy']>({ RECEIVING_ORGANIZATION: true, HOME_ORGANIZATION: true });
const DIRECT_OUTCOMES = membersOf<DirectDeterminationRule['outcome']>({ TOP_GRADE: true, BOTTOM_GRADE: true, WITHHELD: true });
const DISCIPLINE_BASES = membersOf<DisciplineRules['basis']>({ DECISION_YEAR: true, PENALTY_PERIOD: true });
const BACKFILL_OUTCOMES = membersOf<DisciplineRules['backfillOutcomes'][number]>({ NO_PENALTY: true, EXEMPTED: true, WARNING: true });

type Grade = GradeScale['grades'][number];
type SubjectWeights = ScoringScheme['raterWeights'][number];
type RaterWeight = SubjectWeights['weights'][number];
type BandList = ScoringScheme['bands'][number];
type ExcellentRate = NonNullable<AnnualLinkage['excellentRate']>;
type PerformanceAwardTier = NonNullable<AnnualLinkage['performanceAwardTiers']>[number];

const periodKind = oneOf(PERIOD_KINDS);
const gradeEffect = oneOf<GradeEffect>(GRADE_EFFECT_SEVERITY);

const grade = object<Grade>({ code: text, label: text, points: optional(anyNumber) });
const gradeScale = object<GradeScale>({ id: text, name: text, grades: list(grade, 'grades', 2), workInjuryLeaveGrade: optional(text) });
const scaleAssignment = object<ScaleAssignment>({ periodKind, category: oneOf(PERSON_CATEGORIES), scaleId: text });
const schemeAssignment = object<SchemeAssignment>({ periodKind, category: optional(oneOf(PERSON_CATEGORIES)), schemeId: text });

const indicator = object<Indicator>({ id: text, label: text, group: optional(text), points: positiveNumber, zeroWhenSanctioned: optional(flag) });
const raterWeight = object<RaterWeight>({ raterRole: oneOf(RATER_ROLES), weight: share });
const subjectWeights = object<SubjectWeights>({ subjectRole: oneOf(SUBJECT_ROLES), weights: list(raterWeight, 'rater weights', 1) });
const scoreBand = object<ScoreBand>({ grade: text, min: anyNumber, max: anyNumber });
const bandList = object<BandList>({ scaleId: text, bands: list(scoreBand, 'bands', 1) });
const scoringScheme = object<ScoringScheme>({
  id: text,
  name: text,
  total: positiveNumber,
  indicators: list(indicator, 'indicators', 1),
  bonusCap: nonNegativeNumber,
  deductionCap: nonNegativeNumber,
  raterWeights: list(subjectWeights, 'subject roles'),
  democraticWeight: share,
  bands: list(bandList, 'band lists'),
});

const quotaRule = object<QuotaRule>({
  periodKind,
  cap: positiveShare,
  capWithApproval: optional(positiveShare),
  scope: oneOf(QUOTA_SCOPES),
  denominator: oneOf(QUOTA_DENOMINATORS),
  rounding: oneOf(QUOTA_ROUNDINGS),
});

const windowRules = object<WindowRules>({
  objectionDays: object(shapeOfKeys(PERIOD_KINDS, positiveInteger), 'period kind'),
  appealDays: positiveInteger,
  publicNoticeWorkingDays: positiveInteger,
  deadlineRollsToNextWorkingDay: flag,
});

const participationRules = object<ParticipationRules>({
  probationOutcome: oneOf(GRADED_OR_COMMENT_ONLY),
  publicInstitutionMinimumMonthsInPost: nonNegativeInteger,
  leaveOverHalfPeriodOutcome: oneOf(GRADED_OR_COMMENT_ONLY),
  secondedAppraisedBy: oneOf(SECONDMENT_APPRAISERS),
});

const directDetermination = object<DirectDeterminationRule>({
  trigger: oneOf(DIRECT_TRIGGERS),
  periodKinds: list(periodKind, 'period kinds', 1),
  outcome: oneOf(DIRECT_OUTCOMES),
});

const excellentRate = object<ExcellentRate>({ quarters: positiveInteger, quarterlyWeight: share, voteWeight: share });
const annualLinkage = object<AnnualLinkage>({
  quarterlyScoreWeight: share,
  excellentMinTopGradeShare: share,
  excellentBarredBy: list(text, 'grades'),
  lowGrades: list(text, 'grades'),
  lowMajorityOutcome: text,
  bottomGrade: text,
  allBottomOutcome: text,
  repeatedLowGrade: optional(text),
  repeatedLowCount: optional(positiveInteger),
  repeatedLowOutcome: optional(text),
  excellentRate: optional(excellentRate),
  efficiencyWarningsBarringExcellent: positiveInteger,
  performanceAwardTiers: optional(list(object<PerformanceAwardTier>({ grade: text, tier: text }), 'award tiers')),
});

const effectsByTermYears: Decoder<Record<string, GradeEffect[]>> = (value, path, problems) => {
  if (!isPlainObject(value)) {
    problems.push(mismatch(path, 'an object keyed by the term in years', value));
    return INVALID;
  }
  const effects = list(gradeEffect, 'grade effects');
  const byTerm: Record<string, GradeEffect[]> = {};
  let valid = true;
  for (const [term, entry] of Object.entries(value)) {
    if (!/^[1-9]\d*$/.test(term)) problems.push({ path: at(path, term), message: 'unknown term; allowed: a whole number of years, such as "1" or "2"' });
    const decoded = effects(entry, at(path, term), problems);
    if (decoded === INVALID) valid = false;
    else byTerm[term] = decoded;
  }
  return valid ? byTerm : INVALID;
};

const measureEffect = object<MeasureEffect>({
  measure: oneOf(MEASURE_CODES),
  annual: gradeEffect,
  laterYears: list(gradeEffect, 'grade effects'),
  quarterly: gradeEffect,
  laterYearsByTermYears: optional(effectsByTermYears),
});

const disciplineRules = object<DisciplineRules>({
  basis: oneOf(DISCIPLINE_BASES),
  periodMonths: object(shapeOfKeys(MEASURE_CODES, optional(positiveInteger)), 'measure code'),
  effects: list(measureEffect, 'measure effects'),
  investigationWithholds: flag,
  backfillOutcomes: list(oneOf(BACKFILL_OUTCOMES), 'case outcomes'),
});

const RULE_SET_SHAPE: Shape<RuleSetDocument> = {
  id: text,
  version: positiveInteger,
  name: text,
  effectiveFrom: calendarDate,
  gradeScales: list(gradeScale, 'grade scales', 1),
  scaleAssignments: list(scaleAssignment, 'scale assignments'),
  scoringSchemes: list(scoringScheme, 'scoring schemes'),
  schemeAssignments: list(schemeAssignment, 'scheme assignments'),
  quotas: list(quotaRule, 'quota rules'),
  windows: windowRules,
  participation: participationRules,
  directDeterminations: list(directDetermination, 'direct determinations'),
  annualLinkage: optional(annualLinkage),
  discipline: disciplineRules,
};

// ---------------------------------------------------------------------------------------------
// Consistency: rules across fields. Each check reads only the sections that decoded.
// ---------------------------------------------------------------------------------------------

type PartialRuleSet = Partial<RuleSetDocument>;

/** Sums of weights given as decimals (0.4 + 0.3 + 0.3) are off by rounding, never by more. */
const TOLERANCE = 1e-9;

function formatNumber(value: number): string {
  return String(Number(value.toFixed(9)));
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string, pathOf: (index: number) => string, what: string): RuleSetProblem[] {
  const firstIndex = new Map<string, number>();
  return items.flatMap((item, index) => {
    const key = keyOf(item);
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      return [];
    }
    return [{ path: pathOf(index), message: `duplicate ${what} ${key}; first at ${pathOf(first)}` }];
  });
}

const quote = (value: string) => JSON.stringify(value);

function findScale(scaleId: string, path: string, gradeScales: GradeScale[]): { scale?: GradeScale; problems: RuleSetProblem[] } {
  const scale = gradeScales.find((candidate) => candidate.id === scaleId);
  if (scale) return { scale, problems: [] };
  const known = gradeScales.map((candidate) => candidate.id).join(', ');
  return { problems: [{ path, message: `no grade scale ${quote(scaleId)} in gradeScales; defined: ${known}` }] };
}

function gradeOutsideScale(code: GradeCode, path: string, scale: GradeScale): RuleSetProblem[] {
  if (scale.grades.some((candidate) => candidate.code === code)) return [];
  const codes = scale.grades.map((candidate) => candidate.code).join(', ');
  return [{ path, message: `${quote(code)} is not a grade of scale ${quote(scale.id)} (${codes})` }];
}

function checkGradeScales({ gradeScales }: PartialRuleSet): RuleSetProblem[] {
  if (!gradeScales) return [];
  return [
    ...duplicates(gradeScales, (scale) => quote(scale.id), (index) => `gradeScales[${index}].id`, 'grade scale id'),
    ...gradeScales.flatMap((scale, index) => [
      ...duplicates(scale.grades, (candidate) => quote(candidate.code), (position) => `gradeScales[${index}].grades[${position}].code`, 'grade code'),
      ...(scale.workInjuryLeaveGrade === undefined ? [] : gradeOutsideScale(scale.workInjuryLeaveGrade, `gradeScales[${index}].workInjuryLeaveGrade`, scale)),
    ]),
  ];
}

function checkScaleAssignments({ scaleAssignments, gradeScales }: PartialRuleSet): RuleSetProblem[] {
  if (!scaleAssignments) return [];
  const pairOf = (assignment: ScaleAssignment) => `${assignment.periodKind} × ${assignment.category}`;
  const unassigned = PERIOD_KINDS.flatMap((kind) =>
    PERSON_CATEGORIES.filter((category) => !scaleAssignments.some((assignment) => assignment.periodKind === kind && assignment.category === category)).map(
      (category) => `${kind} × ${category}`,
    ),
  );
  return [
    ...(gradeScales ? scaleAssignments.flatMap((assignment, index) => findScale(assignment.scaleId, `scaleAssignments[${index}].scaleId`, gradeScales).problems) : []),
    ...duplicates(scaleAssignments, pairOf, (index) => `scaleAssignments[${index}]`, 'scale assignment for'),
    ...(unassigned.length === 0
      ? []
      : [{ path: 'scaleAssignments', message: `no scale assigned for ${unassigned.join(', ')}; every period kind and person category needs exactly one` }]),
  ];
}

function checkScoringSchemes({ scoringSchemes, gradeScales }: PartialRuleSet): RuleSetProblem[] {
  if (!scoringSchemes) return [];
  return [
    ...duplicates(scoringSchemes, (scheme) => quote(scheme.id), (index) => `scoringSchemes[${index}].id`, 'scoring scheme id'),
    ...scoringSchemes.flatMap((scheme, index) => schemeProblems(scheme, `scoringSchemes[${index}]`, gradeScales)),
  ];
}

function schemeProblems(scheme: ScoringScheme, path: string, gradeScales: GradeScale[] | undefined): RuleSetProblem[] {
  return [
    ...duplicates(scheme.indicators, (item) => quote(item.id), (index) => `${path}.indicators[${index}].id`, 'indicator id'),
    ...indicatorTotalProblems(scheme, path),
    ...duplicates(scheme.raterWeights, (entry) => entry.subjectRole, (index) => `${path}.raterWeights[${index}].subjectRole`, 'rater weights for'),
    ...scheme.raterWeights.flatMap((entry, index) => raterWeightProblems(entry, `${path}.raterWeights[${index}]`)),
    ...duplicates(scheme.bands, (entry) => quote(entry.scaleId), (index) => `${path}.bands[${index}].scaleId`, 'bands for scale'),
    ...scheme.bands.flatMap((entry, index) => bandListProblems(entry, scheme, `${path}.bands[${index}]`, gradeScales)),
  ];
}

function indicatorTotalProblems(scheme: ScoringScheme, path: string): RuleSetProblem[] {
  const points = sum(scheme.indicators.map((item) => item.points));
  if (Math.abs(points - scheme.total) <= TOLERANCE) return [];
  return [{ path: `${path}.indicators`, message: `the indicators' points sum to ${formatNumber(points)}, but the scheme total is ${scheme.total}; they must be equal` }];
}

function raterWeightProblems(entry: SubjectWeights, path: string): RuleSetProblem[] {
  const total = sum(entry.weights.map((weight) => weight.weight));
  return [
    ...duplicates(entry.weights, (weight) => weight.raterRole, (index) => `${path}.weights[${index}].raterRole`, 'weight for'),
    ...(Math.abs(total - 1) <= TOLERANCE
      ? []
      : [{ path: `${path}.weights`, message: `the weights for ${entry.subjectRole} sum to ${formatNumber(total)}; they must sum to 1` }]),
  ];
}

function bandListProblems(entry: BandList, scheme: ScoringScheme, path: string, gradeScales: GradeScale[] | undefined): RuleSetProblem[] {
  const { scale, problems } = gradeScales ? findScale(entry.scaleId, `${path}.scaleId`, gradeScales) : { scale: undefined, problems: [] };
  return [
    ...problems,
    ...(scale ? entry.bands.flatMap((band, index) => gradeOutsideScale(band.grade, `${path}.bands[${index}].grade`, scale)) : []),
    ...entry.bands.flatMap((band, index) =>
      band.min < band.max ? [] : [{ path: `${path}.bands[${index}]`, message: `min ${band.min} must be below max ${band.max}` }],
    ),
    ...coverageProblems(entry.bands, scheme, `${path}.bands`),
  ];
}

const describeBand = (band: ScoreBand) => `${band.grade} [${band.min}, ${band.max})`;

/** Bands, in any order, must give every score from 0 to the best possible exactly one grade. */
function coverageProblems(bands: ScoreBand[], scheme: ScoringScheme, path: string): RuleSetProblem[] {
  const sorted = [...bands].sort((left, right) => left.min - right.min || left.max - right.max);
  if (sorted.length === 0) return [];
  const problems: RuleSetProblem[] = [];
  if (sorted[0].min > 0) {
    problems.push({ path, message: `the lowest band, ${describeBand(sorted[0])}, starts above 0; the bands must cover every score from 0` });
  }
  // Compare each band with the furthest-reaching one before it, so a long band hides no overlap.
  let reaching = sorted[0];
  for (const band of sorted.slice(1)) {
    if (band.min > reaching.max) {
      problems.push({ path, message: `gap between ${describeBand(reaching)} and ${describeBand(band)}: scores from ${reaching.max} up to ${band.min} get no grade` });
    } else if (band.min < reaching.max) {
      const end = Math.min(reaching.max, band.max);
      problems.push({ path, message: `${describeBand(reaching)} overlaps ${describeBand(band)}: scores from ${band.min} up to ${end} get two grades` });
    }
    if (band.max > reaching.max) reaching = band;
  }
  const best = scheme.total + scheme.bonusCap;
  if (reaching.max <= best) {
    problems.push({
      path,
      message: `the highest band, ${describeBand(reaching)}, must end above the best possible score ${best} (total ${scheme.total} + bonus cap ${scheme.bonusCap}); max is exclusive`,
    });
  }
  return problems;
}

function checkSchemeAssignments({ schemeAssignments, scoringSchemes }: PartialRuleSet): RuleSetProblem[] {
  if (!schemeAssignments) return [];
  const missingScheme = (assignment: SchemeAssignment, index: number): RuleSetProblem[] => {
    if (!scoringSchemes || scoringSchemes.some((scheme) => scheme.id === assignment.schemeId)) return [];
    const known = scoringSchemes.map((scheme) => scheme.id).join(', ');
    return [{ path: `schemeAssignments[${index}].schemeId`, message: `no scoring scheme ${quote(assignment.schemeId)} in scoringSchemes; defined: ${known}` }];
  };
  return [
    ...schemeAssignments.flatMap(missingScheme),
    ...duplicates(
      schemeAssignments,
      (assignment) => `${assignment.periodKind} × ${assignment.category ?? 'every category'}`,
      (index) => `schemeAssignments[${index}]`,
      'scheme assignment for',
    ),
  ];
}

function checkQuotas({ quotas }: PartialRuleSet): RuleSetProblem[] {
  if (!quotas) return [];
  return [
    ...duplicates(quotas, (quota) => `${quota.periodKind} × ${quota.scope}`, (index) => `quotas[${index}]`, 'quota for'),
    ...quotas.flatMap((quota, index) =>
      quota.capWithApproval === undefined || quota.capWithApproval >= quota.cap
        ? []
        : [{ path: `quotas[${index}].capWithApproval`, message: `${quota.capWithApproval} is below the cap ${quota.cap}; it must be from the cap up to 1` }],
    ),
  ];
}

function checkDirectDeterminations({ directDeterminations }: PartialRuleSet): RuleSetProblem[] {
  if (!directDeterminations) return [];
  const pairs = directDeterminations.flatMap((rule, index) =>
    rule.periodKinds.map((kind, position) => ({ key: `${rule.trigger} in ${kind}`, path: `directDeterminations[${index}].periodKinds[${position}]` })),
  );
  return duplicates(pairs, (pair) => pair.key, (index) => pairs[index].path, 'direct determination for');
}

const REPEATED_LOW_FIELDS = ['repeatedLowGrade', 'repeatedLowCount', 'repeatedLowOutcome'] as const;

function checkAnnualLinkage({ annualLinkage: linkage, gradeScales }: PartialRuleSet): RuleSetProblem[] {
  if (!linkage) return [];
  const present = REPEATED_LOW_FIELDS.filter((field) => linkage[field] !== undefined);
  const rate = linkage.excellentRate;
  return [
    ...(gradeScales ? linkageGradeProblems(linkage, gradeScales) : []),
    ...(present.length === 0 || present.length === REPEATED_LOW_FIELDS.length
      ? []
      : [{ path: 'annualLinkage', message: `${REPEATED_LOW_FIELDS.join(', ')} go together; found only ${present.join(', ')}` }]),
    ...(rate === undefined || Math.abs(rate.quarterlyWeight + rate.voteWeight - 1) <= TOLERANCE
      ? []
      : [
          {
            path: 'annualLinkage.excellentRate',
            message: `quarterlyWeight ${rate.quarterlyWeight} and voteWeight ${rate.voteWeight} sum to ${formatNumber(rate.quarterlyWeight + rate.voteWeight)}; they must sum to 1`,
          },
        ]),
  ];
}

function linkageGradeProblems(linkage: AnnualLinkage, gradeScales: GradeScale[]): RuleSetProblem[] {
  const known = [...new Set(gradeScales.flatMap((scale) => scale.grades.map((candidate) => candidate.code)))];
  const named: { path: string; code: GradeCode | undefined }[] = [
    ...linkage.excellentBarredBy.map((code, index) => ({ path: `annualLinkage.excellentBarredBy[${index}]`, code })),
    ...linkage.lowGrades.map((code, index) => ({ path: `annualLinkage.lowGrades[${index}]`, code })),
    ...(['lowMajorityOutcome', 'bottomGrade', 'allBottomOutcome', 'repeatedLowGrade', 'repeatedLowOutcome'] as const).map((field) => ({
      path: `annualLinkage.${field}`,
      code: linkage[field],
    })),
    ...(linkage.performanceAwardTiers ?? []).map((tier, index) => ({ path: `annualLinkage.performanceAwardTiers[${index}].grade`, code: tier.grade })),
  ];
  return named.flatMap(({ path, code }) =>
    code === undefined || known.includes(code) ? [] : [{ path, message: `${quote(code)} is not a grade of any scale in gradeScales (${known.join(', ')})` }],
  );
}

function checkDiscipline({ discipline }: PartialRuleSet): RuleSetProblem[] {
  if (!discipline) return [];
  return duplicates(discipline.effects, (effect) => effect.measure, (index) => `discipline.effects[${index}].measure`, 'effect for');
}

const CONSISTENCY_CHECKS: ((ruleSet: PartialRuleSet) => RuleSetProblem[])[] = [
  checkGradeScales,
  checkScaleAssignments,
  checkScoringSchemes,
  checkSchemeAssignments,
  checkQuotas,
  checkDirectDeterminations,
  checkAnnualLinkage,
  checkDiscipline,
];
