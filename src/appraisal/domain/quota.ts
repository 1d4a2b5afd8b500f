import type { QuotaRule } from '../../rule-set/domain/rule-set.js';

/** Who is in the quota's scope, by how their record stands. */
export interface QuotaPopulation {
  participants: number;
  /** Withheld during an investigation (不写评语、不定等次). */
  withheld: number;
  /** Given (or about to be given) a grade. */
  graded: number;
}

export interface QuotaAllowance {
  denominator: number;
  /** denominator × cap before rounding. */
  exact: number;
  /** Top grades allowed. */
  allowed: number;
}

function round(clean: number, rounding: QuotaRule['rounding'], denominator: number): number {
  switch (rounding) {
    case 'FLOOR':
      return Math.floor(clean);
    case 'HALF_UP':
      return Math.floor(clean + 0.5);
    case 'CEIL':
      return Math.ceil(clean);
    case 'AT_LEAST_ONE':
      return denominator > 0 ? Math.max(1, Math.floor(clean)) : 0;
    default: {
      const unknown: never = rounding;
      throw new Error(`unknown rounding ${String(unknown)}`);
    }
  }
}

/** How many top grades the rule allows for this population (DOMAIN.md §4.2 step 3, scenario 4). */
export function quotaAllowance(rule: Pick<QuotaRule, 'cap' | 'denominator' | 'rounding'>, population: QuotaPopulation): QuotaAllowance {
  const denominator =
    rule.denominator === 'ALL_PARTICIPANTS'
      ? population.participants
      : rule.denominator === 'EXCLUDING_WITHHELD'
        ? population.participants - population.withheld
        : population.graded;
  // An integer times a decimal cap carries binary noise (0.2 × 5 = 1.0000000000000002): drop it before rounding.
  const exact = Math.round(denominator * rule.cap * 1e9) / 1e9;
  return { denominator, exact, allowed: round(exact, rule.rounding, denominator) };
}
