import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import type { MeasureData } from '../../people/domain/discipline-record.js';
import type { MeasureCode } from '../../rule-set/domain/rule-set.js';
import { ApplicationError } from '../../shared/errors.js';

/** How a case (立案审查调查) ended: no penalty, exempted, only a warning, or a heavier penalty. */
export type CaseOutcome = 'NO_PENALTY' | 'EXEMPTED' | 'WARNING' | 'HEAVIER';
export const CASE_OUTCOMES: readonly CaseOutcome[] = ['NO_PENALTY', 'EXEMPTED', 'WARNING', 'HEAVIER'];

const WARNINGS: readonly MeasureCode[] = ['GOVERNMENT_WARNING', 'PARTY_WARNING'];

/** The penalty a case closes with, as the person's record will carry it. */
export type CasePenalty = Omit<MeasureData, 'caseId'>;

/** Stream `case-<caseId>`: one investigation of one person, and the records it withheld. */
export type CaseEvent =
  | DecidedEvent<'CaseOpened', { caseId: string; personId: string; openedOn: string; authority: string }>
  | DecidedEvent<'RecordWithheldByCase', { caseId: string; recordId: string }>
  | DecidedEvent<'CaseClosed', { caseId: string; personId: string; closedOn: string; outcome: CaseOutcome; penalty: CasePenalty | null }>;

export type CaseCommand =
  | Command<'OpenCase', { caseId: string; personId: string; openedOn: string; authority: string }>
  | Command<'NoteRecordWithheld', { recordId: string }>
  | Command<'CloseCase', { closedOn: string; outcome: CaseOutcome; penalty: CasePenalty | null }>;

export interface CaseState {
  status: 'NONE' | 'OPEN' | 'CLOSED';
  caseId?: string;
  personId?: string;
  openedOn?: string;
  /** Records withheld while the case was open, for backfill when it closes. */
  withheldRecords: string[];
  outcome?: CaseOutcome;
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

function checkPenalty(outcome: CaseOutcome, penalty: CasePenalty | null): void {
  const warning = penalty !== null && WARNINGS.includes(penalty.measure);
  if ((outcome === 'NO_PENALTY' || outcome === 'EXEMPTED') && penalty) {
    throw fail('CASE.PENALTY_NOT_EXPECTED', `a case closed with ${outcome} carries no penalty`, { outcome });
  }
  if (outcome === 'WARNING' && !warning) {
    throw fail('CASE.WARNING_EXPECTED', `a case closed with WARNING carries a warning (${WARNINGS.join(' or ')})`, { outcome, measure: penalty?.measure ?? null });
  }
  if (outcome === 'HEAVIER' && (!penalty || warning)) {
    throw fail('CASE.HEAVIER_PENALTY_EXPECTED', 'a case closed with HEAVIER carries a penalty heavier than a warning', { outcome, measure: penalty?.measure ?? null });
  }
}

function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'OpenCase':
      if (state.status !== 'NONE') throw fail('CASE.ALREADY_OPENED', `case ${state.caseId} was already opened on ${state.openedOn}`, { caseId: state.caseId });
      return [{ type: 'CaseOpened', data: command.data, effectiveAt: command.data.openedOn }];
    case 'NoteRecordWithheld':
      if (state.status !== 'OPEN') throw fail('CASE.NOT_OPEN', `case ${state.caseId ?? ''} is not open`, { status: state.status });
      return state.withheldRecords.includes(command.data.recordId) ? [] : [{ type: 'RecordWithheldByCase', data: { caseId: state.caseId!, recordId: command.data.recordId } }];
    case 'CloseCase': {
      if (state.status !== 'OPEN') throw fail('CASE.NOT_OPEN', `case ${state.caseId ?? ''} is not open`, { status: state.status });
      if (command.data.closedOn < state.openedOn!) {
        throw fail('CASE.CLOSED_BEFORE_OPENED', `a case opened on ${state.openedOn} cannot close on ${command.data.closedOn}`, { openedOn: state.openedOn });
      }
      checkPenalty(command.data.outcome, command.data.penalty);
      return [{ type: 'CaseClosed', data: { caseId: state.caseId!, personId: state.personId!, ...command.data }, effectiveAt: command.data.closedOn }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown case command ${(unknown as Command).type}`);
    }
  }
}

function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseOpened':
      return { ...state, status: 'OPEN', caseId: event.data.caseId, personId: event.data.personId, openedOn: event.data.openedOn };
    case 'RecordWithheldByCase':
      return { ...state, withheldRecords: [...state.withheldRecords, event.data.recordId] };
    case 'CaseClosed':
      return { ...state, status: 'CLOSED', outcome: event.data.outcome };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE', withheldRecords: [] }),
};

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
