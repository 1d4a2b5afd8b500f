import type { RuleSetDocument } from '../../rule-set/domain/rule-set.js';
import { daysInclusive } from '../../shared/calendar-date.js';
import { scaleFor } from './derive-grade.js';
import type { GradeCode, Period, PersonCategory } from './vocabulary.js';

/** What the cycle knows of a person for the period, read from the person's stream by the caller. */
export interface ParticipantFacts {
  personId: string;
  category: PersonCategory;
  onProbation: boolean;
  /** Calendar days of leave in the period, by kind. */
  leaveDays: { SICK_OR_PERSONAL: number; STATUTORY: number; WORK_INJURY: number };
  /** Seconded elsewhere for more than half the period: the receiving organization. */
  secondedTo?: string;
  /** Left, retired, died or dismissed before the period ended. */
  departed?: { reason: string; date: string };
  monthsInPost: number;
}

export type ParticipationOutcome = 'GRADED' | 'COMMENT_ONLY' | 'NOT_PARTICIPATING';

export interface Participation {
  outcome: ParticipationOutcome;
  /** Why, in Chinese, for views and reports (empty when simply graded). */
  reason: string;
  /** Organization that appraises the person: the receiving one for a secondment. */
  appraisedBy?: string;
  /** A grade the rule set fixes for the case (work-injury leave → 较好). */
  fixedGrade?: GradeCode;
}

/** Applies the rule set's participation exceptions (DOMAIN.md §5) to one person for one period. */
export function assessParticipation(ruleSet: RuleSetDocument, period: Period, facts: ParticipantFacts): Participation {
  const rules = ruleSet.participation;
  if (facts.departed) {
    return { outcome: 'NOT_PARTICIPATING', reason: `未参加考核：${facts.departed.reason}（${facts.departed.date}）` };
  }
  if (facts.secondedTo && rules.secondedAppraisedBy === 'RECEIVING_ORGANIZATION') {
    return { outcome: 'GRADED', reason: `借调/挂职期间由接收单位考核，结果反馈派出单位`, appraisedBy: facts.secondedTo };
  }
  if (facts.onProbation && rules.probationOutcome === 'COMMENT_ONLY') {
    return { outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' };
  }
  if (
    facts.category === 'PUBLIC_INSTITUTION' &&
    rules.publicInstitutionMinimumMonthsInPost > 0 &&
    facts.monthsInPost < rules.publicInstitutionMinimumMonthsInPost
  ) {
    return { outcome: 'COMMENT_ONLY', reason: `在岗不足 ${rules.publicInstitutionMinimumMonthsInPost} 个月，只写评语、不定等次` };
  }
  const half = daysInclusive(period.start, period.end) / 2;
  // Statutory leave (法定假) does not count toward the half-period limit.
  const countedLeave = facts.leaveDays.SICK_OR_PERSONAL + facts.leaveDays.WORK_INJURY;
  if (countedLeave > half && rules.leaveOverHalfPeriodOutcome === 'COMMENT_ONLY') {
    const workInjuryGrade = scaleFor(ruleSet, period, facts.category)?.workInjuryLeaveGrade;
    if (facts.leaveDays.WORK_INJURY > half && workInjuryGrade) {
      return { outcome: 'GRADED', reason: `因公负伤休假超过考核周期一半，按规定确定等次`, fixedGrade: workInjuryGrade };
    }
    return { outcome: 'COMMENT_ONLY', reason: `病事假累计 ${countedLeave} 天，超过考核周期一半，只写评语、不定等次` };
  }
  return { outcome: 'GRADED', reason: '' };
}
