import type { Command, Decider, RecordedRef } from '../../command/decider.js';
import { checkWithin, publicNotice, deadline as windowDeadline, mayFinaliseOn, type WorkCalendar } from '../../calendar/domain/work-calendar.js';
import type { DirectTrigger, RuleSetDocument } from '../../rule-set/domain/rule-set.js';
import { shanghaiDate } from '../../shared/business-date.js';
import { ApplicationError } from '../../shared/errors.js';
import type { QuarterlyResult } from './annual-linkage.js';
import { deriveGrade, scaleFor, schemeFor, type Derivation, type DerivationInput } from './derive-grade.js';
import type { MeasureOnRecord } from './discipline-effects.js';
import type { QuotaAllowance } from './quota.js';
import type { RecordEvent } from './record.events.js';
import type { DemocraticEvaluation, IndicatorScore, ScoreAdjustment } from './scoring.js';
import { cite, type TraceStep } from './trace.js';
import { parsePeriod, type GradeCode, type Outcome, type PeriodKind } from './vocabulary.js';

type EventData<Type extends RecordEvent['type']> = Extract<RecordEvent, { type: Type }>['data'];

export type RecordCommand =
  | Command<'OpenRecord', Omit<EventData<'RecordOpened'>, 'periodKind' | 'ruleSetId' | 'ruleSetVersion'>>
  | Command<'SubmitSelfSummary', EventData<'SelfSummarySubmitted'>>
  | Command<'RecordScores', EventData<'ScoresRecorded'>>
  | Command<'RecordScoreAdjustment', EventData<'ScoreAdjustmentRecorded'>>
  | Command<'WriteComment', { text: string }>
  | Command<'RecordDemocraticEvaluation', { voters: number; votes?: Record<GradeCode, number>; averageScore?: number }>
  | Command<'RecordDirectTrigger', { trigger: DirectTrigger; basis: string }>
  | Command<'ProposeGrade', { grade: GradeCode; reason: string }>
  | Command<'ReviewProposal', { agrees: boolean; grade?: GradeCode; reason: string }>
  | Command<'DetermineGrade', { grade?: GradeCode }>
  | Command<'RecordReceivingOrganizationResult', { receivingOrganizationId: string; grade: GradeCode; document: string }>
  | Command<'StartPublicNotice', { startDate: string }>
  | Command<'FinalizeGrade', Record<string, never>>
  | Command<'PublishResult', Record<string, never>>
  | Command<'NotifyPerson', { method: 'WRITTEN' | 'IN_PERSON' }>
  | Command<'SignOff', { agrees: boolean; opinion: string }>
  | Command<'RecordRefusalToSign', { note: string }>
  | Command<'FileObjection', { reasons: string }>
  | Command<'RuleOnObjection', { ruling: 'UPHELD' | 'REVISED'; grade?: GradeCode; reasons: string }>
  | Command<'FileAppeal', { reasons: string }>
  | Command<'BackfillGrade', { caseId: string; caseOutcome: string }>
  | Command<'FlagGradeIfConflicting', { factEventId: string; factType: string; factGlobalPosition: string; investigationOpenedOn?: string }>
  | Command<'CorrectFlaggedGrade', { grade?: GradeCode; reasons: string }>
  | Command<'LeaveUngraded', { caseId: string; caseOutcome: string }>
  | Command<'DecideAppeal', { decision: 'UPHELD' | 'REVISED'; grade?: GradeCode; reasons: string; authority: string }>;

/** What deciding needs from outside the record stream, loaded by the caller. */
export interface RecordContext {
  /** The rule set the record was opened under (id and version named in RecordOpened). */
  ruleSet: RuleSetDocument;
  calendar: WorkCalendar;
  /** An open investigation of the person covering the record's period (no comment, no grade). */
  investigation?: { caseId: string; openedOn: string; ref?: RecordedRef };
  /** Facts from other streams for a determination or revision. */
  derivation?: {
    measures: MeasureOnRecord[];
    efficiencyWarnings: RecordedRef[];
    quarterlies?: QuarterlyResult[];
    /** The quota in the record's scope, not counting this record's own top grade. */
    quota?: { allowance: QuotaAllowance; used: number };
  };
}

type Opened = EventData<'RecordOpened'>;

export interface RecordState {
  status: 'NONE' | 'OPEN' | 'AWAITING_NOTICE' | 'FINAL' | 'PUBLISHED';
  opened?: Opened & { ref?: RecordedRef };
  scores: IndicatorScore[];
  adjustments: ScoreAdjustment[];
  democratic?: DemocraticEvaluation;
  directTriggers: { trigger: DirectTrigger; ref?: RecordedRef }[];
  proposal?: { grade: GradeCode };
  review?: { grade: GradeCode };
  /** The outcome in force: determined, finalised or revised. */
  outcome?: Outcome;
  notice?: { finalFrom: string };
  published?: { publishedOn: string };
  notified: boolean;
  signedOff: boolean;
  objection?: { ruledOn?: string };
  appeal?: { decided: boolean };
  /** The case whose investigation withheld the record, until a backfill or the final refusal of one. */
  withheldBy?: string;
  /** When the outcome in force became final: business date and place in the log. */
  finalized?: { on: string; globalPosition?: string };
  /** Late-recorded facts that conflict with the final grade, until a correction resolves them. */
  openFlags: string[];
  flaggedFacts: string[];
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

function requireText(field: string, value: string, max: number): void {
  if (value.trim().length === 0 || value.length > max) {
    throw fail('VALIDATION_FAILED', `${field} must be 1 to ${max} characters`, { fields: [{ field, constraints: [{ name: 'length', message: `1 to ${max} characters` }] }] });
  }
}

function requireOpened(state: RecordState): Opened {
  if (!state.opened) throw fail('APPRAISAL.RECORD_NOT_FOUND', 'the appraisal record has not been opened');
  return state.opened;
}

function requireBeforeDetermination(state: RecordState, action: string): Opened {
  const opened = requireOpened(state);
  if (state.status !== 'OPEN') throw fail('APPRAISAL.ALREADY_DETERMINED', `cannot ${action}: the grade has already been determined`, { status: state.status });
  return opened;
}

function requireGraded(opened: Opened, action: string): void {
  if (opened.participation.outcome !== 'GRADED') {
    throw fail('APPRAISAL.NOT_GRADABLE', `cannot ${action}: ${opened.participation.reason}`, { participation: opened.participation.outcome });
  }
}

function requireGradeOnScale(context: RecordContext, opened: Opened, grade: GradeCode, field: string): void {
  const scale = scaleFor(context.ruleSet, { kind: opened.periodKind }, opened.category);
  const codes = scale?.grades.map((candidate) => candidate.code) ?? [];
  if (!codes.includes(grade)) {
    throw fail('VALIDATION_FAILED', `${field} ${grade} is not on the grade scale`, {
      fields: [{ field, constraints: [{ name: 'isOnScale', message: `${grade} is not a grade of ${scale?.name ?? 'the scale'}` }], allowed: codes.join(', ') }],
    });
  }
}

function isTopGrade(context: RecordContext, opened: Opened, outcome: Outcome | undefined): boolean {
  if (!outcome || outcome.kind !== 'GRADE') return false;
  return scaleFor(context.ruleSet, { kind: opened.periodKind }, opened.category)?.grades[0].code === outcome.grade;
}

/** The derivation's input from the record's state and the context the caller loaded. */
function derivationInput(
  state: RecordState,
  context: RecordContext,
  opened: Opened,
  choices: { grade?: GradeCode; investigation?: RecordContext['investigation']; backfill?: { caseId: string; caseOutcome: string } },
): DerivationInput {
  const facts = context.derivation;
  if (!facts) throw new Error('a determination needs the derivation context (discipline, quarterlies, quota)');
  return {
    ruleSet: context.ruleSet,
    period: parsePeriod(opened.period)!,
    subject: { category: opened.category, subjectRole: opened.subjectRole },
    participation: { outcome: opened.participation.outcome, reason: opened.participation.reason, ref: state.opened?.ref },
    scores: state.scores,
    adjustments: state.adjustments,
    democratic: state.democratic,
    measures: facts.measures,
    efficiencyWarnings: facts.efficiencyWarnings,
    directTriggers: state.directTriggers,
    quarterlies: facts.quarterlies,
    requested: choices.grade === undefined ? undefined : { grade: choices.grade },
    quota: facts.quota,
    investigation: choices.investigation,
    backfill: choices.backfill,
  };
}

/** Runs the derivation for a determination or a revision; a refusal becomes a typed error. */
function derive(
  state: RecordState,
  context: RecordContext,
  opened: Opened,
  grade: GradeCode | undefined,
  backfill?: { caseId: string; caseOutcome: string },
): Extract<Derivation, { ok: true }> {
  const investigation = backfill ? undefined : context.investigation;
  const result = deriveGrade(derivationInput(state, context, opened, { grade, investigation, backfill }));
  if (!result.ok) throw fail(result.code, result.message, { ...result.details, trace: result.trace });
  return result;
}

function sameMatter(a: string, b: string): boolean {
  const normal = (text: string) => text.replace(/\s+/g, '').toLowerCase();
  return normal(a) === normal(b);
}

function decide(command: RecordCommand, state: RecordState, context: RecordContext): RecordEvent[] {
  const today = shanghaiDate(command.metadata.now);
  const actor = command.metadata.actor.id;
  switch (command.type) {
    case 'OpenRecord': {
      if (state.opened) throw fail('APPRAISAL.RECORD_ALREADY_OPEN', `record ${state.opened.recordId} is already open`, { recordId: state.opened.recordId });
      const period = parsePeriod(command.data.period);
      if (!period) throw fail('VALIDATION_FAILED', `period ${command.data.period} is not a period`, { fields: [{ field: 'period', constraints: [{ name: 'isPeriod', message: 'YYYY, YYYYQn or YYYYMmm' }] }] });
      return [
        {
          type: 'RecordOpened',
          data: { ...command.data, periodKind: period.kind as PeriodKind, ruleSetId: context.ruleSet.id, ruleSetVersion: context.ruleSet.version },
          ruleSetId: context.ruleSet.id,
        },
      ];
    }
    case 'SubmitSelfSummary': {
      const opened = requireBeforeDetermination(state, 'submit a self summary');
      if (opened.participation.outcome === 'NOT_PARTICIPATING') requireGraded(opened, 'submit a self summary');
      requireText('text', command.data.text, 20_000);
      return [{ type: 'SelfSummarySubmitted', data: command.data }];
    }
    case 'RecordScores': {
      const opened = requireBeforeDetermination(state, 'record scores');
      requireGraded(opened, 'record scores');
      const scheme = schemeFor(context.ruleSet, { kind: opened.periodKind }, opened.category);
      if (!scheme) throw fail('APPRAISAL.NO_SCORING_SCHEME', `rule set ${context.ruleSet.id} has no scoring scheme for ${opened.periodKind} ${opened.category}`);
      const problems = command.data.scores.flatMap((score, index) => {
        const indicator = scheme.indicators.find((candidate) => candidate.id === score.indicatorId);
        if (!indicator) return [{ field: `scores.${index}.indicatorId`, constraints: [{ name: 'isIndicator', message: `${score.indicatorId} is not an indicator of ${scheme.name}` }], allowed: scheme.indicators.map((candidate) => candidate.id).join(', ') }];
        if (!(score.points >= 0 && score.points <= indicator.points)) return [{ field: `scores.${index}.points`, constraints: [{ name: 'range', message: `${indicator.label} is scored 0 to ${indicator.points}` }], allowed: `0 to ${indicator.points}` }];
        return [];
      });
      if (problems.length > 0) throw fail('VALIDATION_FAILED', `invalid scores: ${problems.map((problem) => problem.field).join(', ')}`, { fields: problems });
      return [{ type: 'ScoresRecorded', data: command.data }];
    }
    case 'RecordScoreAdjustment': {
      const opened = requireBeforeDetermination(state, 'record a bonus or deduction');
      requireGraded(opened, 'record a bonus or deduction');
      requireText('matter', command.data.matter, 500);
      if (!(command.data.points > 0)) throw fail('VALIDATION_FAILED', 'points must be above 0', { fields: [{ field: 'points', constraints: [{ name: 'min', message: 'above 0' }] }] });
      const counted = state.adjustments.find((adjustment) => sameMatter(adjustment.matter, command.data.matter));
      if (counted) {
        throw fail('APPRAISAL.MATTER_ALREADY_COUNTED', `the matter "${command.data.matter}" is already counted (${counted.kind} ${counted.points})`, { matter: command.data.matter });
      }
      return [{ type: 'ScoreAdjustmentRecorded', data: command.data }];
    }
    case 'WriteComment': {
      const opened = requireBeforeDetermination(state, 'write a comment');
      if (opened.participation.outcome === 'NOT_PARTICIPATING') requireGraded(opened, 'write a comment');
      if (context.investigation) {
        throw fail('APPRAISAL.UNDER_INVESTIGATION', `no comment is written while the person is under investigation (case ${context.investigation.caseId}, opened ${context.investigation.openedOn})`, {
          caseId: context.investigation.caseId,
        });
      }
      requireText('text', command.data.text, 5000);
      return [{ type: 'CommentWritten', data: { authorId: actor, text: command.data.text } }];
    }
    case 'RecordDemocraticEvaluation': {
      const opened = requireBeforeDetermination(state, 'record a democratic evaluation');
      requireGraded(opened, 'record a democratic evaluation');
      const { voters, votes, averageScore } = command.data;
      if (!Number.isInteger(voters) || voters < 1) throw fail('VALIDATION_FAILED', 'voters must be a whole number of at least 1', { fields: [{ field: 'voters', constraints: [{ name: 'min', message: 'at least 1' }] }] });
      if (votes) {
        for (const grade of Object.keys(votes)) requireGradeOnScale(context, opened, grade, 'votes');
        const cast = Object.values(votes).reduce((sum, count) => sum + count, 0);
        if (cast > voters) throw fail('VALIDATION_FAILED', `${cast} votes from ${voters} voters`, { fields: [{ field: 'votes', constraints: [{ name: 'max', message: `at most ${voters} votes in all` }] }] });
      }
      if (averageScore !== undefined && !(averageScore >= 0 && averageScore <= 100)) {
        throw fail('VALIDATION_FAILED', 'averageScore must be 0 to 100', { fields: [{ field: 'averageScore', constraints: [{ name: 'range', message: '0 to 100' }], allowed: '0 to 100' }] });
      }
      return [{ type: 'DemocraticEvaluationRecorded', data: { voters, votes: votes ?? null, averageScore: averageScore ?? null } }];
    }
    case 'RecordDirectTrigger': {
      requireBeforeDetermination(state, 'record a direct determination trigger');
      requireText('basis', command.data.basis, 2000);
      return [{ type: 'DirectTriggerRecorded', data: command.data }];
    }
    case 'ProposeGrade': {
      const opened = requireBeforeDetermination(state, 'propose a grade');
      requireGraded(opened, 'propose a grade');
      requireGradeOnScale(context, opened, command.data.grade, 'grade');
      return [{ type: 'GradeProposed', data: { grade: command.data.grade, proposedBy: actor, reason: command.data.reason } }];
    }
    case 'ReviewProposal': {
      const opened = requireBeforeDetermination(state, 'review the proposal');
      if (!state.proposal) throw fail('APPRAISAL.NO_PROPOSAL', 'there is no grade proposal to review');
      const grade = command.data.agrees ? state.proposal.grade : command.data.grade;
      if (!grade) throw fail('VALIDATION_FAILED', 'a review that disagrees must give the grade', { fields: [{ field: 'grade', constraints: [{ name: 'required', message: 'required when agrees is false' }] }] });
      requireGradeOnScale(context, opened, grade, 'grade');
      return [{ type: 'ProposalReviewed', data: { agrees: command.data.agrees, grade, reviewedBy: actor, reason: command.data.reason } }];
    }
    case 'DetermineGrade': {
      const opened = requireBeforeDetermination(state, 'determine the grade');
      if (command.data.grade === undefined && opened.participation.outcome === 'GRADED' && !context.investigation) {
        // A sanction may take the grade away: then the record is determined without one, unreviewed.
        const ungraded = derive(state, context, opened, undefined);
        if (ungraded.outcome && ungraded.outcome.kind !== 'GRADE') {
          return [
            { type: 'GradeDetermined', data: { outcome: ungraded.outcome, score: ungraded.score, suggestedGrade: null, determinedBy: actor, requiresPublicNotice: false, trace: ungraded.trace }, ruleSetId: context.ruleSet.id },
            { type: 'GradeFinalized', data: { outcome: ungraded.outcome, finalizedOn: today } },
          ];
        }
      }
      if (opened.participation.appraisedBy) {
        throw fail('APPRAISAL.APPRAISED_ELSEWHERE', `the person is appraised by ${opened.participation.appraisedBy} during the secondment: record the result it sends`, {
          appraisedBy: opened.participation.appraisedBy,
        });
      }
      const graded = opened.participation.outcome === 'GRADED';
      if (graded && !state.review && !context.investigation) throw fail('APPRAISAL.NOT_REVIEWED', 'the proposal has not been reviewed yet (propose, review, then determine)');
      const fixed = opened.participation.fixedGrade;
      if (fixed && command.data.grade && command.data.grade !== fixed) {
        throw fail('APPRAISAL.GRADE_FORCED', `the grade must be ${fixed}: ${opened.participation.reason}`, { required: fixed, because: opened.participation.reason });
      }
      const grade = graded && !context.investigation ? (command.data.grade ?? fixed ?? state.review?.grade) : command.data.grade;
      const derivation = derive(state, context, opened, grade);
      const requiresPublicNotice = isTopGrade(context, opened, derivation.outcome ?? undefined);
      return [
        {
          type: 'GradeDetermined',
          data: {
            outcome: derivation.outcome!,
            score: derivation.score,
            suggestedGrade: derivation.suggestedGrade,
            determinedBy: actor,
            requiresPublicNotice,
            trace: derivation.trace,
            ...(derivation.outcome?.kind === 'WITHHELD_INVESTIGATION' && context.investigation ? { withheldByCase: context.investigation.caseId } : {}),
          },
          ruleSetId: context.ruleSet.id,
        },
        ...(requiresPublicNotice ? [] : [{ type: 'GradeFinalized' as const, data: { outcome: derivation.outcome!, finalizedOn: today } }]),
      ];
    }
    case 'RecordReceivingOrganizationResult': {
      const opened = requireBeforeDetermination(state, 'record the receiving organization\'s result');
      const appraisedBy = opened.participation.appraisedBy;
      if (appraisedBy !== command.data.receivingOrganizationId) {
        throw fail('APPRAISAL.NOT_APPRAISED_THERE', appraisedBy ? `the person is appraised by ${appraisedBy}, not ${command.data.receivingOrganizationId}` : 'the person is appraised at home, not by a receiving organization', {
          appraisedBy: appraisedBy ?? null,
        });
      }
      requireGradeOnScale(context, opened, command.data.grade, 'grade');
      requireText('document', command.data.document, 500);
      const outcome: Outcome = { kind: 'GRADE', grade: command.data.grade };
      const citation = (clause: string) => ({ ruleSetId: context.ruleSet.id, ruleSetVersion: context.ruleSet.version, clause });
      const trace: TraceStep[] = [
        { kind: 'PARTICIPATION', rule: citation('participation.secondedAppraisedBy'), inputs: cite([state.opened?.ref]), conclusion: `APPRAISED_BY ${appraisedBy}`, explanation: opened.participation.reason, values: {} },
        {
          kind: 'DETERMINATION',
          rule: citation('determination'),
          inputs: [],
          conclusion: `GRADE ${command.data.grade}`,
          explanation: `接收单位 ${appraisedBy} 考核确定，结果反馈派出单位（${command.data.document}）`,
          values: { receivingOrganizationId: appraisedBy, document: command.data.document },
        },
      ];
      return [
        { type: 'GradeDetermined', data: { outcome, score: null, suggestedGrade: null, determinedBy: actor, requiresPublicNotice: false, trace }, ruleSetId: context.ruleSet.id },
        { type: 'GradeFinalized', data: { outcome, finalizedOn: today } },
      ];
    }
    case 'StartPublicNotice': {
      if (state.status !== 'AWAITING_NOTICE') throw fail('APPRAISAL.NO_NOTICE_NEEDED', 'only a determined top grade awaiting finalisation is publicly noticed', { status: state.status });
      if (state.notice) throw fail('APPRAISAL.NOTICE_ALREADY_STARTED', `the public notice already runs (final from ${state.notice.finalFrom})`, state.notice);
      const notice = publicNotice(context.calendar, command.data.startDate, context.ruleSet.windows.publicNoticeWorkingDays);
      return [{ type: 'PublicNoticeStarted', data: { startDate: command.data.startDate, ...notice, calendar: context.calendar.source } }];
    }
    case 'FinalizeGrade': {
      if (state.status !== 'AWAITING_NOTICE' || !state.outcome) throw fail('APPRAISAL.NOTHING_TO_FINALIZE', 'there is no determined grade awaiting finalisation', { status: state.status });
      if (!state.notice) throw fail('APPRAISAL.NOTICE_NOT_STARTED', 'the top grade must be publicly noticed before it is final');
      if (!mayFinaliseOn({ workingDays: [], lastDay: '', finalFrom: state.notice.finalFrom }, today)) {
        throw fail('APPRAISAL.NOTICE_NOT_OVER', `the public notice has not ended: the grade may be finalised from ${state.notice.finalFrom}, today is ${today}`, { finalFrom: state.notice.finalFrom, today });
      }
      return [{ type: 'GradeFinalized', data: { outcome: state.outcome, finalizedOn: today } }];
    }
    case 'PublishResult': {
      if (state.status !== 'FINAL') throw fail('APPRAISAL.NOT_FINAL', 'only a final result can be published', { status: state.status });
      const opened = requireOpened(state);
      const days = context.ruleSet.windows.objectionDays[opened.periodKind];
      const last = windowDeadline(context.calendar, today, days, context.ruleSet.windows.deadlineRollsToNextWorkingDay);
      return [{ type: 'ResultPublished', data: { publishedOn: today, objectionDeadline: last.deadline, objectionDays: days, deadlineRolled: last.rolled } }];
    }
    case 'NotifyPerson': {
      if (state.status !== 'FINAL' && state.status !== 'PUBLISHED') throw fail('APPRAISAL.NOT_FINAL', 'the person is notified of a final result', { status: state.status });
      return [{ type: 'PersonNotified', data: { notifiedOn: today, method: command.data.method } }];
    }
    case 'SignOff':
    case 'RecordRefusalToSign': {
      if (!state.notified) throw fail('APPRAISAL.NOT_NOTIFIED', 'the person has not been notified of the result yet');
      if (state.signedOff) throw fail('APPRAISAL.ALREADY_SIGNED', 'the result has already been signed or the refusal recorded');
      if (command.type === 'SignOff') {
        if (command.metadata.actor.id !== requireOpened(state).personId) throw fail('APPRAISAL.NOT_THE_APPRAISED_PERSON', 'only the appraised person signs the result');
        return [{ type: 'ResultSignedOff', data: command.data }];
      }
      return [{ type: 'SignOffRefused', data: { recordedBy: actor, note: command.data.note } }];
    }
    case 'FileObjection': {
      const opened = requireOpened(state);
      if (!state.published || !state.outcome) throw fail('APPRAISAL.NOT_PUBLISHED', 'an objection contests a published result');
      if (state.objection) throw fail('APPRAISAL.OBJECTION_ALREADY_FILED', 'an objection to this result has already been filed');
      requireText('reasons', command.data.reasons, 10_000);
      const days = context.ruleSet.windows.objectionDays[opened.periodKind];
      const window = checkWithin(context.calendar, state.published.publishedOn, days, context.ruleSet.windows.deadlineRollsToNextWorkingDay, today);
      if (!window.ok) {
        throw fail('APPRAISAL.OBJECTION_WINDOW_CLOSED', `the objection window closed on ${window.deadline} (${days} days from publication on ${state.published.publishedOn}); today is ${today}`, {
          deadline: window.deadline,
          publishedOn: state.published.publishedOn,
          days,
          today,
        });
      }
      return [{ type: 'ObjectionFiled', data: { contested: state.outcome, reasons: command.data.reasons, filedOn: today, dayOfWindow: window.day, deadline: window.deadline } }];
    }
    case 'RuleOnObjection':
    case 'DecideAppeal': {
      const opened = requireOpened(state);
      const isAppeal = command.type === 'DecideAppeal';
      if (isAppeal ? !state.appeal || state.appeal.decided : !state.objection || state.objection.ruledOn) {
        throw fail(isAppeal ? 'APPRAISAL.NO_PENDING_APPEAL' : 'APPRAISAL.NO_PENDING_OBJECTION', `there is no pending ${isAppeal ? 'appeal' : 'objection'} to decide`);
      }
      requireText('reasons', command.data.reasons, 10_000);
      const revised = (isAppeal ? command.data.decision : command.data.ruling) === 'REVISED';
      const decision: RecordEvent = isAppeal
        ? { type: 'AppealDecided', data: { decision: command.data.decision, reasons: command.data.reasons, authority: command.data.authority, decidedOn: today } }
        : { type: 'ObjectionRuled', data: { ruling: command.data.ruling, reasons: command.data.reasons, ruledOn: today, ruledBy: actor } };
      if (!revised) return [decision];
      if (!command.data.grade) throw fail('VALIDATION_FAILED', 'a revision gives the new grade', { fields: [{ field: 'grade', constraints: [{ name: 'required', message: 'required for REVISED' }] }] });
      requireGradeOnScale(context, opened, command.data.grade, 'grade');
      const derivation = derive(state, context, opened, command.data.grade);
      return [
        decision,
        { type: 'GradeRevised', data: { from: state.outcome!, to: derivation.outcome!, score: derivation.score, cause: isAppeal ? 'APPEAL' : 'OBJECTION', trace: derivation.trace } },
      ];
    }
    case 'BackfillGrade':
    case 'LeaveUngraded': {
      const opened = requireOpened(state);
      if (state.withheldBy !== command.data.caseId) {
        throw fail('APPRAISAL.NOT_WITHHELD_BY_CASE', `the record is not withheld by case ${command.data.caseId}`, { caseId: command.data.caseId, withheldBy: state.withheldBy ?? null });
      }
      if (command.type === 'LeaveUngraded') {
        return [{ type: 'RecordLeftUngraded', data: { ...command.data, reason: `案件 ${command.data.caseId} 以重于警告的处分结案：该期不补定等次` } }];
      }
      const derivation = derive(state, context, opened, undefined, command.data);
      if (!derivation.outcome) {
        throw fail('APPRAISAL.BACKFILL_NOT_DERIVABLE', 'the period\'s scores do not give a grade to backfill: record the missing scores first', {
          trace: derivation.trace,
        });
      }
      return [{ type: 'GradeBackfilled', data: { outcome: derivation.outcome, score: derivation.score, ...command.data, trace: derivation.trace }, ruleSetId: context.ruleSet.id }];
    }
    case 'FlagGradeIfConflicting': {
      const opened = requireOpened(state);
      const { factEventId, factGlobalPosition, investigationOpenedOn } = command.data;
      const final = state.finalized;
      const finalGrade = state.outcome?.kind === 'GRADE' ? state.outcome.grade : undefined;
      // Only a grade made final before the fact reached the log was decided without it.
      const decidedWithoutIt = final?.globalPosition !== undefined && BigInt(final.globalPosition) < BigInt(factGlobalPosition);
      const coveredByCase = investigationOpenedOn === undefined || (final !== undefined && final.on >= investigationOpenedOn);
      if (!finalGrade || !decidedWithoutIt || !coveredByCase || state.flaggedFacts.includes(factEventId)) return [];
      // The grade as it stands, checked against everything now on the record (no quota: it holds its slot).
      const investigation = investigationOpenedOn ? context.investigation : undefined;
      const check = deriveGrade({ ...derivationInput(state, context, opened, { grade: finalGrade, investigation }), quota: undefined });
      if (check.ok) return [];
      return [{ type: 'GradeFlagged', data: { factEventId, factType: command.data.factType, code: check.code, reason: check.message } }];
    }
    case 'CorrectFlaggedGrade': {
      const opened = requireOpened(state);
      if (state.openFlags.length === 0) throw fail('APPRAISAL.NO_OPEN_FLAG', 'the grade carries no conflict flag to correct');
      requireText('reasons', command.data.reasons, 10_000);
      const derivation = derive(state, context, opened, command.data.grade);
      return [
        { type: 'GradeRevised', data: { from: state.outcome!, to: derivation.outcome!, score: derivation.score, cause: 'CORRECTION', trace: derivation.trace } },
        { type: 'GradeFlagResolved', data: { factEventIds: state.openFlags, reasons: command.data.reasons } },
      ];
    }
    case 'FileAppeal': {
      if (!state.objection?.ruledOn) throw fail('APPRAISAL.NO_OBJECTION_RULING', 'an appeal (申诉) follows a ruling on an objection (复核)');
      if (state.appeal) throw fail('APPRAISAL.APPEAL_ALREADY_FILED', 'an appeal has already been filed');
      requireText('reasons', command.data.reasons, 10_000);
      const window = checkWithin(context.calendar, state.objection.ruledOn, context.ruleSet.windows.appealDays, context.ruleSet.windows.deadlineRollsToNextWorkingDay, today);
      if (!window.ok) {
        throw fail('APPRAISAL.APPEAL_WINDOW_CLOSED', `the appeal window closed on ${window.deadline} (${context.ruleSet.windows.appealDays} days from the ruling on ${state.objection.ruledOn}); today is ${today}`, {
          deadline: window.deadline,
          ruledOn: state.objection.ruledOn,
          today,
        });
      }
      return [{ type: 'AppealFiled', data: { reasons: command.data.reasons, filedOn: today, deadline: window.deadline } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as Command).type}`);
    }
  }
}

function evolve(state: RecordState, event: RecordEvent): RecordState {
  const ref = event.recorded;
  switch (event.type) {
    case 'RecordOpened':
      return { ...state, status: 'OPEN', opened: { ...event.data, ref } };
    case 'SelfSummarySubmitted':
    case 'CommentWritten':
      return state;
    case 'PersonNotified':
      return { ...state, notified: true };
    case 'ScoresRecorded': {
      // A rater's new sheet replaces the sheet that rater recorded before.
      const others = state.scores.filter((score) => score.raterId !== event.data.raterId);
      const sheet = event.data.scores.map((score) => ({ ...score, raterId: event.data.raterId, raterRole: event.data.raterRole, ref }));
      return { ...state, scores: [...others, ...sheet] };
    }
    case 'ScoreAdjustmentRecorded':
      return { ...state, adjustments: [...state.adjustments, { kind: event.data.kind, matter: event.data.matter, points: event.data.points, ref }] };
    case 'DemocraticEvaluationRecorded':
      return {
        ...state,
        democratic: { voters: event.data.voters, votes: event.data.votes ?? undefined, averageScore: event.data.averageScore ?? undefined, ref },
      };
    case 'DirectTriggerRecorded':
      return { ...state, directTriggers: [...state.directTriggers, { trigger: event.data.trigger, ref }] };
    case 'GradeProposed':
      return { ...state, proposal: { grade: event.data.grade }, review: undefined };
    case 'ProposalReviewed':
      return { ...state, review: { grade: event.data.grade } };
    case 'GradeDetermined':
      return { ...state, status: 'AWAITING_NOTICE', outcome: event.data.outcome, withheldBy: event.data.withheldByCase };
    case 'GradeBackfilled':
      return { ...state, outcome: event.data.outcome, withheldBy: undefined };
    case 'RecordLeftUngraded':
      return { ...state, outcome: { kind: 'WITHHELD_INVESTIGATION', reason: event.data.reason }, withheldBy: undefined };
    case 'PublicNoticeStarted':
      return { ...state, notice: { finalFrom: event.data.finalFrom } };
    case 'GradeFinalized':
      return { ...state, status: 'FINAL', outcome: event.data.outcome, finalized: { on: event.data.finalizedOn, globalPosition: event.recorded?.globalPosition } };
    case 'GradeFlagged':
      return { ...state, openFlags: [...state.openFlags, event.data.factEventId], flaggedFacts: [...state.flaggedFacts, event.data.factEventId] };
    case 'GradeFlagResolved':
      return { ...state, openFlags: state.openFlags.filter((fact) => !event.data.factEventIds.includes(fact)) };
    case 'ResultPublished':
      return { ...state, status: 'PUBLISHED', published: { publishedOn: event.data.publishedOn } };
    case 'ResultSignedOff':
    case 'SignOffRefused':
      return { ...state, signedOff: true };
    case 'ObjectionFiled':
      return { ...state, objection: {} };
    case 'ObjectionRuled':
      return { ...state, objection: { ruledOn: event.data.ruledOn } };
    case 'GradeRevised':
      return { ...state, outcome: event.data.to };
    case 'AppealFiled':
      return { ...state, appeal: { decided: false } };
    case 'AppealDecided':
      return { ...state, appeal: { decided: true } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const recordDecider: Decider<RecordCommand, RecordEvent, RecordState, RecordContext> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE', scores: [], adjustments: [], directTriggers: [], notified: false, signedOff: false, openFlags: [], flaggedFacts: [] }),
};

export function recordStreamId(organizationId: string, personId: string, period: string): string {
  return `appraisal-${organizationId}.${personId}.${period}`;
}
