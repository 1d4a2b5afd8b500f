import type { DecidedEvent } from '../../command/decider.js';
import type { DirectTrigger } from '../../rule-set/domain/rule-set.js';
import type { Participation } from './participation.js';
import type { TraceStep } from './trace.js';
import type { GradeCode, Outcome, PeriodKind, PersonCategory, RaterRole, SubjectRole } from './vocabulary.js';

/** The events of an appraisal record stream `appraisal-<org>.<person>.<period>` (DOMAIN.md §4). */
export type RecordEvent =
  | DecidedEvent<'RecordOpened', {
      recordId: string;
      cycleId: string;
      organizationId: string;
      unitId: string;
      personId: string;
      period: string;
      periodKind: PeriodKind;
      category: PersonCategory;
      subjectRole: SubjectRole;
      participation: Participation;
      ruleSetId: string;
      ruleSetVersion: number;
    }>
  | DecidedEvent<'SelfSummarySubmitted', {
      text: string;
      attendance: { daysPresent: number; sickLeaveDays: number; personalLeaveDays: number; lateCount: number; earlyLeaveCount: number; trainings: string[] };
    }>
  | DecidedEvent<'ScoresRecorded', { raterId: string; raterRole: RaterRole; scores: { indicatorId: string; points: number }[] }>
  | DecidedEvent<'ScoreAdjustmentRecorded', { kind: 'BONUS' | 'DEDUCTION'; matter: string; points: number; basis: string }>
  | DecidedEvent<'CommentWritten', { authorId: string; text: string }>
  | DecidedEvent<'DemocraticEvaluationRecorded', { voters: number; votes: Record<GradeCode, number> | null; averageScore: number | null }>
  | DecidedEvent<'DirectTriggerRecorded', { trigger: DirectTrigger; basis: string }>
  | DecidedEvent<'GradeProposed', { grade: GradeCode; proposedBy: string; reason: string }>
  | DecidedEvent<'ProposalReviewed', { agrees: boolean; grade: GradeCode; reviewedBy: string; reason: string }>
  | DecidedEvent<'GradeDetermined', {
      outcome: Outcome;
      score: number | null;
      suggestedGrade: GradeCode | null;
      determinedBy: string;
      requiresPublicNotice: boolean;
      trace: TraceStep[];
      /** The case whose open investigation withheld the record (outcome WITHHELD_INVESTIGATION). */
      withheldByCase?: string;
    }>
  | DecidedEvent<'PublicNoticeStarted', { startDate: string; workingDays: string[]; lastDay: string; finalFrom: string; calendar: string }>
  | DecidedEvent<'GradeFinalized', { outcome: Outcome; finalizedOn: string }>
  | DecidedEvent<'ResultPublished', { publishedOn: string; objectionDeadline: string; objectionDays: number; deadlineRolled: boolean }>
  | DecidedEvent<'PersonNotified', { notifiedOn: string; method: 'WRITTEN' | 'IN_PERSON' }>
  | DecidedEvent<'ResultSignedOff', { agrees: boolean; opinion: string }>
  | DecidedEvent<'SignOffRefused', { recordedBy: string; note: string }>
  | DecidedEvent<'ObjectionFiled', { contested: Outcome; reasons: string; filedOn: string; dayOfWindow: number; deadline: string }>
  | DecidedEvent<'ObjectionRuled', { ruling: 'UPHELD' | 'REVISED'; reasons: string; ruledOn: string; ruledBy: string }>
  | DecidedEvent<'GradeRevised', { from: Outcome; to: Outcome; score: number | null; cause: 'OBJECTION' | 'APPEAL' | 'CORRECTION'; trace: TraceStep[] }>
  | DecidedEvent<'GradeFlagged', { factEventId: string; factType: string; code: string; reason: string }>
  | DecidedEvent<'GradeFlagResolved', { factEventIds: string[]; reasons: string }>
  | DecidedEvent<'GradeBackfilled', { outcome: Outcome; score: number | null; caseId: string; caseOutcome: string; trace: TraceStep[] }>
  | DecidedEvent<'RecordLeftUngraded', { caseId: string; caseOutcome: string; reason: string }>
  | DecidedEvent<'AppealFiled', { reasons: string; filedOn: string; deadline: string }>
  | DecidedEvent<'AppealDecided', { decision: 'UPHELD' | 'REVISED'; reasons: string; authority: string; decidedOn: string }>;

export type RecordEventType = RecordEvent['type'];

/** The outcome an event of a record puts in force, for the events that set one (a determination, finalization, revision or backfill). */
export function outcomeSetBy(event: { type: string; data: Record<string, unknown> }): Outcome | undefined {
  if (event.type === 'GradeDetermined' || event.type === 'GradeBackfilled' || event.type === 'GradeFinalized') return event.data.outcome as Outcome;
  if (event.type === 'GradeRevised') return event.data.to as Outcome;
  return undefined;
}
