import type { RecordedRef } from '../../command/decider.js';
import {
  GRADE_EFFECT_SEVERITY,
  type DisciplineRules,
  type GradeEffect,
  type MeasureCode,
} from '../../rule-set/domain/rule-set.js';
import { addMonths } from '../../shared/calendar-date.js';
import type { Period } from './vocabulary.js';

/** A sanction or lighter measure on the person's record (DOMAIN.md §4.4). */
export interface MeasureOnRecord {
  measure: MeasureCode;
  /** The day the decision takes effect, YYYY-MM-DD. */
  effectiveDate: string;
  /** Term in years, for measures with a variable term (留党察看 1 or 2 years). */
  termYears?: number;
  /** The effect period the decision itself gives, in months, where it departs from the rule set's. */
  periodMonths?: number;
  /** The day the measure was lifted early, if it was: its effect period ends there. */
  liftedOn?: string;
  ref?: RecordedRef;
}

export interface AppliedEffect {
  measure: MeasureCode;
  effect: GradeEffect;
  ref?: RecordedRef;
  /** Why it applies to this period, in Chinese. */
  because: string;
}

export interface DisciplineEffect {
  /** The heaviest effect of all measures that apply. */
  effect: GradeEffect;
  applied: AppliedEffect[];
}

const yearOf = (date: string) => Number(date.slice(0, 4));

export function heavierEffect(a: GradeEffect, b: GradeEffect): GradeEffect {
  return GRADE_EFFECT_SEVERITY.indexOf(a) >= GRADE_EFFECT_SEVERITY.indexOf(b) ? a : b;
}

/** The end (exclusive) of a measure's effect period, if the rule set gives it one. */
export function effectPeriodEnd(rules: DisciplineRules, measure: MeasureOnRecord): string | undefined {
  const months = measure.periodMonths ?? (measure.termYears ? measure.termYears * 12 : rules.periodMonths[measure.measure]);
  const end = months ? addMonths(measure.effectiveDate, months) : undefined;
  if (measure.liftedOn && (!end || measure.liftedOn < end)) return measure.liftedOn;
  return end;
}

function annualEffect(rules: DisciplineRules, measure: MeasureOnRecord, year: number): AppliedEffect | undefined {
  const table = rules.effects.find((effect) => effect.measure === measure.measure);
  if (!table) return undefined;
  const decisionYear = yearOf(measure.effectiveDate);
  if (year < decisionYear) return undefined;
  if (year === decisionYear) {
    return { measure: measure.measure, effect: table.annual, ref: measure.ref, because: `处分决定生效当年（${decisionYear}年）` };
  }
  if (rules.basis === 'PENALTY_PERIOD') {
    // During the penalty period only; from the year it is lifted, no effect.
    const end = effectPeriodEnd(rules, measure);
    if (!end || year >= yearOf(end)) return undefined;
    return { measure: measure.measure, effect: table.annual, ref: measure.ref, because: `处分期内（至${end}）` };
  }
  const later = (measure.termYears && table.laterYearsByTermYears?.[String(measure.termYears)]) || table.laterYears;
  const effect = later[year - decisionYear - 1];
  if (!effect || effect === 'NONE') return undefined;
  return { measure: measure.measure, effect, ref: measure.ref, because: `处分决定生效后第${year - decisionYear}年` };
}

function shortPeriodEffect(rules: DisciplineRules, measure: MeasureOnRecord, period: Period): AppliedEffect | undefined {
  const table = rules.effects.find((effect) => effect.measure === measure.measure);
  if (!table || table.quarterly === 'NONE') return undefined;
  const end = effectPeriodEnd(rules, measure);
  const overlaps = end
    ? measure.effectiveDate <= period.end && end > period.start
    : measure.effectiveDate >= period.start && measure.effectiveDate <= period.end;
  if (!overlaps) return undefined;
  return {
    measure: measure.measure,
    effect: table.quarterly,
    ref: measure.ref,
    because: end ? `影响期 ${measure.effectiveDate} 至 ${end} 与本考核周期重叠` : `决定于本考核周期内生效`,
  };
}

/** What the person's measures do to a period's grade under the rule set; the heaviest effect wins. */
export function disciplineEffect(rules: DisciplineRules, period: Period, measures: MeasureOnRecord[]): DisciplineEffect {
  const applied = measures
    .map((measure) => (period.kind === 'ANNUAL' ? annualEffect(rules, measure, period.year) : shortPeriodEffect(rules, measure, period)))
    .filter((effect): effect is AppliedEffect => effect !== undefined && effect.effect !== 'NONE');
  const effect = applied.reduce<GradeEffect>((heaviest, next) => heavierEffect(heaviest, next.effect), 'NONE');
  return { effect, applied };
}
