import type { RecordedRef } from '../../command/decider.js';
import type { ScoreBand, ScoringScheme } from '../../rule-set/domain/rule-set.js';
import type { GradeCode, RaterRole, SubjectRole } from './vocabulary.js';

export interface IndicatorScore {
  indicatorId: string;
  raterRole: RaterRole;
  raterId: string;
  points: number;
  ref?: RecordedRef;
}

export interface ScoreAdjustment {
  kind: 'BONUS' | 'DEDUCTION';
  matter: string;
  points: number;
  ref?: RecordedRef;
}

export interface DemocraticEvaluation {
  /** 100-point average of the evaluators, where the evaluation was scored. */
  averageScore?: number;
  /** Votes per grade code, where the evaluation was by vote. */
  votes?: Record<GradeCode, number>;
  voters: number;
  ref?: RecordedRef;
}

export interface ScoreComputation {
  /** Points per indicator after rater weighting. */
  indicators: { indicatorId: string; points: number }[];
  missingIndicators: string[];
  base: number;
  bonus: number;
  deduction: number;
  quantified: number;
  /** Final score, with the democratic evaluation weighted in where the scheme says so. */
  final: number;
  democraticWeighted: boolean;
}

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

function weightsFor(scheme: ScoringScheme, subjectRole: SubjectRole): Map<RaterRole, number> | undefined {
  const entry = scheme.raterWeights.find((candidate) => candidate.subjectRole === subjectRole);
  return entry ? new Map(entry.weights.map((weight) => [weight.raterRole, weight.weight])) : undefined;
}

/**
 * One indicator's points: the average of each rater role's scores, weighted by the scheme's rater
 * weights over the roles that scored (weights renormalised when a role did not score); a plain
 * average when the scheme weights no rater roles.
 */
function indicatorPoints(scores: IndicatorScore[], weights: Map<RaterRole, number> | undefined): number {
  const byRole = new Map<RaterRole, number[]>();
  for (const score of scores) byRole.set(score.raterRole, [...(byRole.get(score.raterRole) ?? []), score.points]);
  const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  if (!weights) return average(scores.map((score) => score.points));
  let weighted = 0;
  let weightSum = 0;
  for (const [role, values] of byRole) {
    const weight = weights.get(role) ?? 0;
    weighted += weight * average(values);
    weightSum += weight;
  }
  return weightSum > 0 ? weighted / weightSum : average(scores.map((score) => score.points));
}

/** The scheme's score for one record (DOMAIN.md §5.1): weighted indicators, capped bonus and deduction, democratic weight. */
export function computeScore(
  scheme: ScoringScheme,
  input: {
    subjectRole: SubjectRole;
    scores: IndicatorScore[];
    adjustments: ScoreAdjustment[];
    democratic?: DemocraticEvaluation;
    sanctioned: boolean;
  },
): ScoreComputation {
  const weights = weightsFor(scheme, input.subjectRole);
  const indicators: ScoreComputation['indicators'] = [];
  const missingIndicators: string[] = [];
  for (const indicator of scheme.indicators) {
    const scores = input.scores.filter((score) => score.indicatorId === indicator.id);
    if (scores.length === 0) {
      missingIndicators.push(indicator.id);
      continue;
    }
    const points = indicator.zeroWhenSanctioned && input.sanctioned ? 0 : indicatorPoints(scores, weights);
    indicators.push({ indicatorId: indicator.id, points: twoDecimals(points) });
  }
  const sum = (kind: ScoreAdjustment['kind']) =>
    input.adjustments.filter((adjustment) => adjustment.kind === kind).reduce((total, adjustment) => total + adjustment.points, 0);
  const base = twoDecimals(indicators.reduce((total, indicator) => total + indicator.points, 0));
  const bonus = Math.min(sum('BONUS'), scheme.bonusCap);
  const deduction = Math.min(sum('DEDUCTION'), scheme.deductionCap);
  const quantified = twoDecimals(base + bonus - deduction);
  const democraticScore = input.democratic?.averageScore;
  const democraticWeighted = scheme.democraticWeight > 0 && democraticScore !== undefined;
  // Deductions can take a very low score below zero; bands start at zero.
  const final = Math.max(
    0,
    democraticWeighted ? twoDecimals((1 - scheme.democraticWeight) * quantified + scheme.democraticWeight * democraticScore) : quantified,
  );
  return { indicators, missingIndicators, base, bonus, deduction, quantified, final, democraticWeighted };
}

/** The grade whose band holds the score; undefined if the bands leave it out. */
export function bandGrade(bands: ScoreBand[], score: number): GradeCode | undefined {
  return bands.find((band) => score >= band.min && score < band.max)?.grade;
}
