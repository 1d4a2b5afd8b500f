import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import { quotaRuleFor } from '../../appraisal/domain/derive-grade.js';
import type { Participation } from '../../appraisal/domain/participation.js';
import { quotaAllowance, type QuotaAllowance } from '../../appraisal/domain/quota.js';
import { parsePeriod, type PeriodKind, type PersonCategory, type SubjectRole } from '../../appraisal/domain/vocabulary.js';
import type { RuleSetDocument } from '../../rule-set/domain/rule-set.js';
import { ApplicationError } from '../../shared/errors.js';

/** One person in a cycle, with the participation the rule set gave them when the cycle opened. */
export interface Participant {
  personId: string;
  recordId: string;
  unitId: string;
  category: PersonCategory;
  subjectRole: SubjectRole;
  participation: Participation;
}

export type CycleEvent =
  | DecidedEvent<'CycleOpened', { cycleId: string; organizationId: string; period: string; periodKind: PeriodKind; ruleSetId: string; ruleSetVersion: number; participants: Participant[] }>
  | DecidedEvent<'TopGradeReserved', { recordId: string; unitId: string; denominator: number; allowed: number; usedAfter: number }>
  | DecidedEvent<'TopGradeReleased', { recordId: string; reason: string }>
  | DecidedEvent<'RecordWithheldFromQuota', { recordId: string; caseId: string }>
  | DecidedEvent<'RecordReturnedToQuota', { recordId: string; caseId: string }>
  | DecidedEvent<'CycleClosed', { closedOn: string }>;

export type CycleCommand =
  | Command<'OpenCycle', { cycleId: string; organizationId: string; period: string; participants: Participant[] }>
  | Command<'ReserveTopGrade', { recordId: string }>
  | Command<'ReleaseTopGrade', { recordId: string; reason: string }>
  | Command<'NoteWithheld', { recordId: string; caseId: string }>
  | Command<'NoteReturnedToQuota', { recordId: string; caseId: string }>
  | Command<'CloseCycle', { closedOn: string }>;

export interface CycleState {
  status: 'NONE' | 'OPEN' | 'CLOSED';
  cycleId?: string;
  organizationId?: string;
  period?: string;
  periodKind?: PeriodKind;
  participants: Participant[];
  /** Records holding a top-grade slot, by record id → unit id. */
  reservations: Record<string, string>;
  /** Records withheld during an investigation (they may leave the quota's denominator). */
  withheld: string[];
}

export interface CycleContext {
  ruleSet: RuleSetDocument;
}

export interface QuotaPosition {
  allowance: QuotaAllowance;
  /** Top grades held by other records in the same scope. */
  used: number;
  scope: string;
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

/**
 * The top-grade quota of one record's scope (its unit, or the whole organization) from the
 * cycle's state. The cycle stream is the consistency boundary: a reservation is appended with the
 * stream's expected revision, so two determinations can never both take the last slot.
 */
export function quotaPosition(state: CycleState, ruleSet: RuleSetDocument, recordId: string): QuotaPosition | undefined {
  const rule = quotaRuleFor(ruleSet, { kind: state.periodKind! });
  const participant = state.participants.find((candidate) => candidate.recordId === recordId);
  if (!rule || !participant) return undefined;
  const inScope = state.participants.filter(
    (candidate) => candidate.participation.outcome !== 'NOT_PARTICIPATING' && (rule.scope === 'ORGANIZATION' || candidate.unitId === participant.unitId),
  );
  const withheld = inScope.filter((candidate) => state.withheld.includes(candidate.recordId)).length;
  const graded = inScope.filter((candidate) => candidate.participation.outcome === 'GRADED' && !state.withheld.includes(candidate.recordId)).length;
  const allowance = quotaAllowance(rule, { participants: inScope.length, withheld, graded });
  const scopeRecords = new Set(inScope.map((candidate) => candidate.recordId));
  const used = Object.keys(state.reservations).filter((held) => held !== recordId && scopeRecords.has(held)).length;
  return { allowance, used, scope: rule.scope === 'ORGANIZATION' ? state.organizationId! : participant.unitId };
}

function decide(command: CycleCommand, state: CycleState, context: CycleContext): CycleEvent[] {
  switch (command.type) {
    case 'OpenCycle': {
      if (state.status !== 'NONE') throw fail('CYCLE.ALREADY_OPEN', `cycle ${state.cycleId} is already open`, { cycleId: state.cycleId });
      const period = parsePeriod(command.data.period);
      if (!period) throw fail('VALIDATION_FAILED', `period ${command.data.period} is not a period`, { fields: [{ field: 'period', constraints: [{ name: 'isPeriod', message: 'YYYY, YYYYQn or YYYYMmm' }], allowed: '2025, 2025Q2, 2025M07' }] });
      if (command.data.participants.length === 0) throw fail('CYCLE.NO_PARTICIPANTS', 'a cycle needs at least one participant');
      const seen = new Set<string>();
      for (const participant of command.data.participants) {
        if (seen.has(participant.personId)) throw fail('CYCLE.DUPLICATE_PARTICIPANT', `person ${participant.personId} is listed twice`, { personId: participant.personId });
        seen.add(participant.personId);
      }
      return [
        {
          type: 'CycleOpened',
          data: { ...command.data, periodKind: period.kind, ruleSetId: context.ruleSet.id, ruleSetVersion: context.ruleSet.version },
          ruleSetId: context.ruleSet.id,
        },
      ];
    }
    case 'ReserveTopGrade': {
      if (state.status !== 'OPEN') throw fail('CYCLE.NOT_OPEN', `the cycle is ${state.status.toLowerCase()}`, { status: state.status });
      if (state.reservations[command.data.recordId]) return [];
      const position = quotaPosition(state, context.ruleSet, command.data.recordId);
      if (!position) throw fail('CYCLE.NOT_A_PARTICIPANT', `record ${command.data.recordId} is not in this cycle`, { recordId: command.data.recordId });
      const { allowance, used } = position;
      if (used >= allowance.allowed) {
        const rule = quotaRuleFor(context.ruleSet, { kind: state.periodKind! })!;
        throw fail(
          'APPRAISAL.QUOTA_EXCEEDED',
          `no top grade left in ${position.scope}: cap ${rule.cap} of ${allowance.denominator} allows ${allowance.allowed} (${rule.rounding}), ${used} used, 0 available`,
          { cap: rule.cap, denominator: allowance.denominator, allowed: allowance.allowed, used, available: 0, scope: position.scope },
        );
      }
      const unitId = state.participants.find((candidate) => candidate.recordId === command.data.recordId)!.unitId;
      return [{ type: 'TopGradeReserved', data: { recordId: command.data.recordId, unitId, denominator: allowance.denominator, allowed: allowance.allowed, usedAfter: used + 1 } }];
    }
    case 'ReleaseTopGrade':
      return state.reservations[command.data.recordId] ? [{ type: 'TopGradeReleased', data: command.data }] : [];
    case 'NoteWithheld':
      return state.withheld.includes(command.data.recordId) ? [] : [{ type: 'RecordWithheldFromQuota', data: command.data }];
    case 'NoteReturnedToQuota':
      return state.withheld.includes(command.data.recordId) ? [{ type: 'RecordReturnedToQuota', data: command.data }] : [];
    case 'CloseCycle':
      if (state.status !== 'OPEN') throw fail('CYCLE.NOT_OPEN', `the cycle is ${state.status.toLowerCase()}`, { status: state.status });
      return [{ type: 'CycleClosed', data: command.data }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as Command).type}`);
    }
  }
}

function evolve(state: CycleState, event: CycleEvent): CycleState {
  switch (event.type) {
    case 'CycleOpened':
      return { ...state, status: 'OPEN', ...event.data };
    case 'TopGradeReserved':
      return { ...state, reservations: { ...state.reservations, [event.data.recordId]: event.data.unitId } };
    case 'TopGradeReleased': {
      const { [event.data.recordId]: _released, ...rest } = state.reservations;
      return { ...state, reservations: rest };
    }
    case 'RecordWithheldFromQuota':
      return { ...state, withheld: [...state.withheld, event.data.recordId] };
    case 'RecordReturnedToQuota':
      return { ...state, withheld: state.withheld.filter((recordId) => recordId !== event.data.recordId) };
    case 'CycleClosed':
      return { ...state, status: 'CLOSED' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const cycleDecider: Decider<CycleCommand, CycleEvent, CycleState, CycleContext> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE', participants: [], reservations: {}, withheld: [] }),
};

export function cycleStreamId(organizationId: string, period: string): string {
  return `cycle-${organizationId}.${period}`;
}
