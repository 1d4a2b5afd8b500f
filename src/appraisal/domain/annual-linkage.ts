import type { RecordedRef } from '../../command/decider.js';
import type { AnnualLinkage } from '../../rule-set/domain/rule-set.js';
import type { GradeCode } from './vocabulary.js';

/** A quarter's result as the annual appraisal reads it. */
export interface QuarterlyResult {
  period: string;
  /** The grade, or undefined when the quarter ended without one (comment only, withheld). */
  grade?: GradeCode;
  score?: number;
  ref?: RecordedRef;
}

export interface LinkageConclusion {
  /** A grade the quarterly results force (基本称职 / 不称职), with the reason in Chinese. */
  forced?: { grade: GradeCode; because: string };
  /** Why the top grade is barred, if it is. */
  topBarredBecause: string[];
  /** Whether the top grade is possible from the quarters alone (more than half top, none barred). */
  topEligible: boolean;
  topCount: number;
  quarterCount: number;
  /** Average of the quarterly scores, where every quarter has one. */
  quarterlyAverage?: number;
}

/** What the year's quarterly results mean for the annual grade (DOMAIN.md §4.2, linkage rules). */
export function linkQuarterlyResults(
  linkage: AnnualLinkage,
  quarterlyTopGrade: GradeCode,
  quarters: QuarterlyResult[],
  efficiencyWarnings: number,
): LinkageConclusion {
  const graded = quarters.filter((quarter) => quarter.grade !== undefined);
  const count = (predicate: (grade: GradeCode) => boolean) => graded.filter((quarter) => predicate(quarter.grade!)).length;
  const topCount = count((grade) => grade === quarterlyTopGrade);
  const quarterCount = quarters.length;
  const topBarredBecause: string[] = [];

  const barring = graded.filter((quarter) => linkage.excellentBarredBy.includes(quarter.grade!));
  if (barring.length > 0) {
    topBarredBecause.push(`平时考核有${barring.map((quarter) => `${quarter.period} ${quarter.grade}`).join('、')}，不得评为优秀`);
  }
  const topEligible = quarterCount > 0 && topCount / quarterCount > linkage.excellentMinTopGradeShare && barring.length === 0;
  // With no quarterly results in the year, the linkage has nothing to say about the top grade.
  if (!topEligible && barring.length === 0 && quarterCount > 0) {
    topBarredBecause.push(`平时考核好等次 ${topCount}/${quarterCount} 个季度，未超过 ${linkage.excellentMinTopGradeShare * 100}%`);
  }
  if (efficiencyWarnings >= linkage.efficiencyWarningsBarringExcellent) {
    topBarredBecause.push(`年内受效能告诫 ${efficiencyWarnings} 次（${linkage.efficiencyWarningsBarringExcellent} 次及以上不得评为优秀）`);
  }

  let forced: LinkageConclusion['forced'];
  const bottomCount = count((grade) => grade === linkage.bottomGrade);
  const lowCount = count((grade) => linkage.lowGrades.includes(grade));
  const repeatedLow = linkage.repeatedLowGrade ? count((grade) => grade === linkage.repeatedLowGrade) : 0;
  if (quarterCount > 0 && bottomCount === quarterCount) {
    forced = { grade: linkage.allBottomOutcome, because: `平时考核 ${quarterCount} 个季度均为 ${linkage.bottomGrade}` };
  } else if (quarterCount > 0 && lowCount / quarterCount > 0.5) {
    forced = { grade: linkage.lowMajorityOutcome, because: `平时考核 ${lowCount}/${quarterCount} 个季度为 ${linkage.lowGrades.join('/')}，超过半数` };
  } else if (linkage.repeatedLowGrade && linkage.repeatedLowCount && linkage.repeatedLowOutcome && repeatedLow >= linkage.repeatedLowCount) {
    forced = { grade: linkage.repeatedLowOutcome, because: `平时考核 ${repeatedLow} 次为 ${linkage.repeatedLowGrade}` };
  }

  const scores = quarters.map((quarter) => quarter.score);
  const quarterlyAverage =
    quarterCount > 0 && scores.every((score) => score !== undefined)
      ? Math.round(((scores as number[]).reduce((sum, score) => sum + score, 0) / quarterCount) * 100) / 100
      : undefined;
  return { forced, topBarredBecause, topEligible, topCount, quarterCount, quarterlyAverage };
}

/** 年度优秀率 = (top grades ÷ quarters) × quarterly weight + (优秀 votes ÷ voters) × vote weight. */
export function excellentRate(
  formula: NonNullable<AnnualLinkage['excellentRate']>,
  topCount: number,
  excellentVotes: number,
  voters: number,
): number {
  const quarterly = (topCount / formula.quarters) * formula.quarterlyWeight;
  const votes = voters > 0 ? (excellentVotes / voters) * formula.voteWeight : 0;
  return Math.round((quarterly + votes) * 10000) / 10000;
}
