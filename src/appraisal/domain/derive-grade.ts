import type { RecordedRef } from '../../command/decider.js';
import type { DirectTrigger, GradeScale, QuotaRule, RuleSetDocument, ScoringScheme } from '../../rule-set/domain/rule-set.js';
import { excellentRate, linkQuarterlyResults, type QuarterlyResult } from './annual-linkage.js';
import { disciplineEffect, type MeasureOnRecord } from './discipline-effects.js';
import type { QuotaAllowance } from './quota.js';
import { bandGrade, computeScore, type DemocraticEvaluation, type IndicatorScore, type ScoreAdjustment } from './scoring.js';
import { cite, type RuleCitation, type TraceStep, type TraceStepKind } from './trace.js';
import { formatPeriod, type GradeCode, type Outcome, type Period, type PersonCategory, type SubjectRole } from './vocabulary.js';

export interface DerivationInput {
  ruleSet: RuleSetDocument;
  period: Period;
  subject: { category: PersonCategory; subjectRole: SubjectRole };
  participation: { outcome: 'GRADED' | 'COMMENT_ONLY' | 'NOT_PARTICIPATING'; reason: string; ref?: RecordedRef };
  scores: IndicatorScore[];
  adjustments: ScoreAdjustment[];
  democratic?: DemocraticEvaluation;
  measures: MeasureOnRecord[];
  /** Efficiency warnings (效能告诫) in the record's year. */
  efficiencyWarnings: RecordedRef[];
  directTriggers: { trigger: DirectTrigger; ref?: RecordedRef }[];
  /** For an annual record: the year's quarterly results. */
  quarterlies?: QuarterlyResult[];
  /** An open investigation covering the period: the record gets no comment and no grade. */
  investigation?: { caseId: string; openedOn: string; ref?: RecordedRef };
  /** A backfill after the case closed (补定等次): under a warning, never the top grade. */
  backfill?: { caseId: string; caseOutcome: string; ref?: RecordedRef };
  /** The grade the committee determines; absent to derive only the suggestion. */
  requested?: { grade: GradeCode; ref?: RecordedRef };
  /** The quota in the record's scope: top grades allowed and already taken by others. */
  quota?: { allowance: QuotaAllowance; used: number };
}

export type Derivation =
  | { ok: true; outcome: Outcome | null; score: number | null; suggestedGrade: GradeCode | null; trace: TraceStep[] }
  | { ok: false; code: string; message: string; details: Record<string, unknown>; trace: TraceStep[] };

export function scaleFor(ruleSet: RuleSetDocument, period: Pick<Period, 'kind'>, category: PersonCategory): GradeScale | undefined {
  const assignment = ruleSet.scaleAssignments.find((candidate) => candidate.periodKind === period.kind && candidate.category === category);
  return ruleSet.gradeScales.find((scale) => scale.id === assignment?.scaleId);
}

export function schemeFor(ruleSet: RuleSetDocument, period: Pick<Period, 'kind'>, category: PersonCategory): ScoringScheme | undefined {
  const assignment =
    ruleSet.schemeAssignments.find((candidate) => candidate.periodKind === period.kind && candidate.category === category) ??
    ruleSet.schemeAssignments.find((candidate) => candidate.periodKind === period.kind && candidate.category === undefined);
  return ruleSet.scoringSchemes.find((scheme) => scheme.id === assignment?.schemeId);
}

export function quotaRuleFor(ruleSet: RuleSetDocument, period: Pick<Period, 'kind'>): QuotaRule | undefined {
  return ruleSet.quotas.find((rule) => rule.periodKind === period.kind);
}

/** The grade of `scale` at the same rank as `code` has in the scale that defines it (不称职 ↔ 不合格). */
function equivalentGrade(ruleSet: RuleSetDocument, code: GradeCode, scale: GradeScale): GradeCode {
  if (scale.grades.some((grade) => grade.code === code)) return code;
  const home = ruleSet.gradeScales.find((candidate) => candidate.grades.some((grade) => grade.code === code));
  const rank = home ? home.grades.findIndex((grade) => grade.code === code) : -1;
  return scale.grades[Math.min(Math.max(rank, 0), scale.grades.length - 1)].code;
}

const labelOf = (scale: GradeScale, code: GradeCode) => scale.grades.find((grade) => grade.code === code)?.label ?? code;

/**
 * Derives a record's outcome and its trace (DOMAIN.md §6): participation, discipline effects, direct
 * determinations, score and band, quarterly linkage, the committee's grade against the bars and the
 * quota. Pure: the same input gives the same outcome and the same trace.
 */
export function deriveGrade(input: DerivationInput): Derivation {
  const { ruleSet, period } = input;
  const trace: TraceStep[] = [];
  const citation = (clause: string): RuleCitation => ({ ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version, clause });
  const step = (
    kind: TraceStepKind,
    clause: string,
    refs: (RecordedRef | undefined)[],
    conclusion: string,
    explanation: string,
    values: TraceStep['values'] = {},
  ) => trace.push({ kind, rule: citation(clause), inputs: cite(refs), conclusion, explanation, values });
  const reject = (code: string, message: string, details: Record<string, unknown>): Derivation => ({ ok: false, code, message, details, trace });
  const done = (outcome: Outcome | null, score: number | null, suggestedGrade: GradeCode | null): Derivation => ({
    ok: true,
    outcome,
    score,
    suggestedGrade,
    trace,
  });

  const scale = scaleFor(ruleSet, period, input.subject.category);
  if (!scale) {
    return reject('RULE_SET.NO_GRADE_SCALE', `rule set ${ruleSet.id} v${ruleSet.version} assigns no grade scale to ${input.subject.category} in ${period.kind} periods`, {
      category: input.subject.category,
      periodKind: period.kind,
    });
  }
  const top = scale.grades[0].code;
  const bottom = scale.grades[scale.grades.length - 1].code;
  const notGradable = (reason: string): Derivation =>
    input.requested
      ? reject('APPRAISAL.NOT_GRADABLE', `the record of ${formatPeriod(period)} takes no grade: ${reason}`, { reason })
      : done({ kind: 'COMMENT_ONLY', reason }, null, null);

  // 1. Participation.
  const { participation } = input;
  step('PARTICIPATION', 'participation', [participation.ref], participation.outcome, participation.outcome === 'GRADED' ? '参加考核，确定等次' : `${participation.reason}`);
  if (participation.outcome === 'NOT_PARTICIPATING') {
    return input.requested
      ? reject('APPRAISAL.NOT_GRADABLE', `the person does not take part in this appraisal: ${participation.reason}`, { reason: participation.reason })
      : done({ kind: 'NOT_PARTICIPATING', reason: participation.reason }, null, null);
  }
  if (participation.outcome === 'COMMENT_ONLY') return notGradable(participation.reason);
  if (input.investigation) {
    const reason = `立案审查调查期间不写评语、不定等次（案件 ${input.investigation.caseId}，${input.investigation.openedOn} 立案）`;
    step('DISCIPLINE', 'discipline.investigationWithholds', [input.investigation.ref], 'WITHHELD_INVESTIGATION', reason, { caseId: input.investigation.caseId });
    return input.requested
      ? reject('APPRAISAL.UNDER_INVESTIGATION', `the person is under investigation (case ${input.investigation.caseId}, opened ${input.investigation.openedOn}): the record is withheld, determine it without a grade`, {
          caseId: input.investigation.caseId,
          openedOn: input.investigation.openedOn,
        })
      : done({ kind: 'WITHHELD_INVESTIGATION', reason }, null, null);
  }

  // 2. Discipline.
  const topBarredBecause: string[] = [];
  let forced: { grade: GradeCode; because: string } | undefined;
  const discipline = disciplineEffect(ruleSet.discipline, period, input.measures);
  if (discipline.applied.length > 0) {
    step(
      'DISCIPLINE',
      `discipline.effects (${ruleSet.discipline.basis})`,
      discipline.applied.map((applied) => applied.ref),
      discipline.effect,
      discipline.applied.map((applied) => `${applied.measure}：${applied.because}，${applied.effect}`).join('；'),
      { heaviest: discipline.effect },
    );
  }
  switch (discipline.effect) {
    case 'NOT_PARTICIPATING':
      return done({ kind: 'NOT_PARTICIPATING', reason: '处分：不再参加考核' }, null, null);
    case 'COMMENT_ONLY':
    case 'NO_GRADE':
      return notGradable(`处分影响期内只写评语、不定等次（${discipline.applied.map((applied) => applied.measure).join('、')}）`);
    case 'BOTTOM_GRADE':
      forced = { grade: bottom, because: `处分：直接确定为${labelOf(scale, bottom)}` };
      break;
    case 'NOT_TOP_GRADE':
      topBarredBecause.push(`处分或组织处理：不得确定为${labelOf(scale, top)}（${discipline.applied.map((applied) => applied.measure).join('、')}）`);
      break;
    case 'NONE':
      break;
    default: {
      const unknown: never = discipline.effect;
      throw new Error(`unknown grade effect ${String(unknown)}`);
    }
  }

  if (input.backfill) {
    const underWarning = input.backfill.caseOutcome === 'WARNING';
    step(
      'DISCIPLINE',
      'discipline.backfillOutcomes',
      [input.backfill.ref],
      `BACKFILL ${input.backfill.caseOutcome}`,
      `案件 ${input.backfill.caseId} 结案（${input.backfill.caseOutcome}），依当期评分、评语和规则补定等次` + (underWarning ? `，不得确定为${labelOf(scale, top)}` : ''),
      { caseId: input.backfill.caseId, caseOutcome: input.backfill.caseOutcome },
    );
    if (underWarning) topBarredBecause.push(`案件以警告结案，补定等次不得确定为${labelOf(scale, top)}`);
  }

  // 3. Direct determinations.
  let directTop = false;
  for (const trigger of input.directTriggers) {
    const rule = ruleSet.directDeterminations.find((candidate) => candidate.trigger === trigger.trigger && candidate.periodKinds.includes(period.kind));
    if (!rule) continue;
    step('DIRECT_DETERMINATION', `directDeterminations.${trigger.trigger}`, [trigger.ref], rule.outcome, `${trigger.trigger}：${rule.outcome}`);
    if (rule.outcome === 'WITHHELD') return notGradable(`${trigger.trigger}：不定等次`);
    if (rule.outcome === 'BOTTOM_GRADE') forced = { grade: bottom, because: `${trigger.trigger}：直接确定为${labelOf(scale, bottom)}` };
    if (rule.outcome === 'TOP_GRADE') directTop = true;
  }

  // 4. Score and band.
  let score: number | null = null;
  let suggested: GradeCode | null = null;
  const scheme = schemeFor(ruleSet, period, input.subject.category);
  if (scheme) {
    const computed = computeScore(scheme, {
      subjectRole: input.subject.subjectRole,
      scores: input.scores,
      adjustments: input.adjustments,
      democratic: input.democratic,
      sanctioned: input.measures.length > 0,
    });
    const refs = [...input.scores.map((score) => score.ref), ...input.adjustments.map((adjustment) => adjustment.ref), input.democratic?.ref];
    if (computed.missingIndicators.length > 0) {
      step('SCORE', `scoringSchemes.${scheme.id}`, refs, 'SCORES_INCOMPLETE', `未评分指标：${computed.missingIndicators.join('、')}`, {
        missing: computed.missingIndicators.join(','),
      });
    } else {
      score = computed.final;
      step(
        'SCORE',
        `scoringSchemes.${scheme.id}`,
        refs,
        `SCORE ${score}`,
        `指标得分 ${computed.base}，加分 ${computed.bonus}，减分 ${computed.deduction}，量化得分 ${computed.quantified}` +
          (computed.democraticWeighted ? `，计入民主测评（权重 ${scheme.democraticWeight}）后 ${score}` : ''),
        { base: computed.base, bonus: computed.bonus, deduction: computed.deduction, quantified: computed.quantified, final: computed.final },
      );
    }
  }

  // 5. Quarterly linkage (annual records).
  const linkage = ruleSet.annualLinkage;
  if (period.kind === 'ANNUAL' && linkage && input.quarterlies) {
    const quarterlyScale = scaleFor(ruleSet, { kind: 'QUARTERLY' }, input.subject.category);
    const linked = linkQuarterlyResults(linkage, quarterlyScale?.grades[0].code ?? top, input.quarterlies, input.efficiencyWarnings.length);
    if (score !== null && linked.quarterlyAverage !== undefined) {
      score = Math.round((linkage.quarterlyScoreWeight * linked.quarterlyAverage + (1 - linkage.quarterlyScoreWeight) * score) * 100) / 100;
    }
    topBarredBecause.push(...linked.topBarredBecause);
    if (linked.forced && !forced) forced = { grade: equivalentGrade(ruleSet, linked.forced.grade, scale), because: linked.forced.because };
    step(
      'ANNUAL_LINKAGE',
      'annualLinkage',
      [...input.quarterlies.map((quarter) => quarter.ref), ...input.efficiencyWarnings],
      linked.forced ? `FORCED ${linked.forced.grade}` : linked.topEligible ? 'TOP_ELIGIBLE' : 'TOP_NOT_ELIGIBLE',
      [linked.forced?.because, ...linked.topBarredBecause].filter(Boolean).join('；') || `平时考核好等次 ${linked.topCount}/${linked.quarterCount}，可评优秀`,
      { topCount: linked.topCount, quarterCount: linked.quarterCount, quarterlyAverage: linked.quarterlyAverage ?? null, annualScore: score },
    );
    if (linkage.excellentRate && input.democratic?.votes) {
      const rate = excellentRate(linkage.excellentRate, linked.topCount, input.democratic.votes[top] ?? 0, input.democratic.voters);
      step('EXCELLENT_RATE', 'annualLinkage.excellentRate', [input.democratic.ref], `RATE ${rate}`, `年度考核优秀率 ${(rate * 100).toFixed(2)}%`, { rate });
    }
  }

  const schemeBands = scheme?.bands.find((bands) => bands.scaleId === scale.id);
  if (score !== null && schemeBands) {
    suggested = bandGrade(schemeBands.bands, score) ?? null;
    if (suggested) step('BAND', `scoringSchemes.${scheme!.id}.bands.${scale.id}`, [], `BAND ${suggested}`, `${score} 分对应等次：${labelOf(scale, suggested)}`, { score });
  }
  if (directTop && !forced) suggested = top;
  if (forced) suggested = forced.grade;
  if (suggested === top && topBarredBecause.length > 0) {
    suggested = scale.grades[1].code;
  }

  // 6. The committee's grade, or the derived one where nobody requests a grade (backfill).
  const requested = input.requested;
  if (!requested) {
    if (suggested === top && input.quota && input.quota.used >= input.quota.allowance.allowed) {
      const { allowance, used } = input.quota;
      suggested = scale.grades[1].code;
      step('QUOTA', `quotas.${period.kind}`, [], 'QUOTA_EXHAUSTED', `${labelOf(scale, top)}名额已满（${allowance.allowed} 个，已用 ${used}），确定为${labelOf(scale, suggested)}`, {
        allowed: allowance.allowed,
        used,
        available: 0,
      });
    }
    return done(suggested ? { kind: 'GRADE', grade: suggested } : null, score, suggested);
  }
  if (!scale.grades.some((grade) => grade.code === requested.grade)) {
    return reject('APPRAISAL.UNKNOWN_GRADE', `grade ${requested.grade} is not on the ${scale.name} scale`, {
      grade: requested.grade,
      allowed: scale.grades.map((grade) => grade.code),
    });
  }
  if (forced && requested.grade !== forced.grade) {
    return reject('APPRAISAL.GRADE_FORCED', `the grade must be ${forced.grade}: ${forced.because}`, { required: forced.grade, because: forced.because });
  }
  if (requested.grade === top && topBarredBecause.length > 0) {
    return reject('APPRAISAL.TOP_GRADE_BARRED', `${top} is barred: ${topBarredBecause.join('; ')}`, { grade: top, because: topBarredBecause });
  }
  if (requested.grade === top && input.quota) {
    const { allowance, used } = input.quota;
    const quotaRule = quotaRuleFor(ruleSet, period);
    const available = Math.max(0, allowance.allowed - used);
    step(
      'QUOTA',
      `quotas.${period.kind}`,
      [],
      available > 0 ? 'QUOTA_AVAILABLE' : 'QUOTA_EXHAUSTED',
      `${labelOf(scale, top)}名额：${allowance.denominator} 人 × ${quotaRule?.cap ?? '?'} = ${allowance.exact.toFixed(2)}，取整（${quotaRule?.rounding ?? '?'}）为 ${allowance.allowed}，已用 ${used}`,
      { denominator: allowance.denominator, cap: quotaRule?.cap ?? null, exact: allowance.exact, allowed: allowance.allowed, used, available },
    );
    if (available === 0) {
      return reject(
        'APPRAISAL.QUOTA_EXCEEDED',
        `no ${top} left in the quota: cap ${quotaRule?.cap} of ${allowance.denominator} allows ${allowance.allowed}, ${used} used, 0 available`,
        { cap: quotaRule?.cap, denominator: allowance.denominator, allowed: allowance.allowed, used, available },
      );
    }
  }
  step(
    'DETERMINATION',
    'determination',
    [requested.ref],
    `GRADE ${requested.grade}`,
    `确定为${labelOf(scale, requested.grade)}` + (suggested && suggested !== requested.grade ? `（量化等次建议：${labelOf(scale, suggested)}）` : ''),
  );
  return done({ kind: 'GRADE', grade: requested.grade }, score, suggested);
}
