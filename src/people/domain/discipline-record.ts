import type { MeasureOnRecord } from '../../appraisal/domain/discipline-effects.js';
import type { Command, DecidedEvent, RecordedRef } from '../../command/decider.js';
import type { MeasureCode } from '../../rule-set/domain/rule-set.js';
import { ApplicationError } from '../../shared/errors.js';

/**
 * The person's discipline history (DOMAIN.md §4.4): sanctions and lighter measures, and the
 * investigations opened against the person. Effective dates may lie in the past; the recorded
 * time is the log's.
 */
export type MeasureData = {
  measureId: string;
  measure: MeasureCode;
  decisionDate: string;
  effectiveDate: string;
  /** Effect period in months as the decision gives it; null: the rule set's period for the measure. */
  periodMonths: number | null;
  /** Term in years for 留党察看 (1 or 2). */
  termYears: number | null;
  authority: string;
  documentNumber: string;
  /** The case the measure closed, if any. */
  caseId: string | null;
};

export type DisciplineCommand =
  | Command<'RecordDisciplinaryMeasure', MeasureData>
  | Command<'LiftMeasure', { measureId: string; date: string }>
  | Command<'RevokeMeasure', { measureId: string; date: string; reason: string }>
  | Command<'NoteInvestigationOpened', { caseId: string; openedOn: string }>
  | Command<'NoteInvestigationClosed', { caseId: string; closedOn: string; outcome: string }>
  | Command<'NoteAppraisalRecord', { recordId: string; period: string }>;

type WithPerson<T> = T & { personId: string };
export type DisciplineEvent =
  | DecidedEvent<'PenaltyImposed', WithPerson<MeasureData>>
  | DecidedEvent<'AdmonitionIssued', WithPerson<MeasureData>>
  | DecidedEvent<'OrganizationalActionTaken', WithPerson<MeasureData>>
  | DecidedEvent<'EfficiencyWarningIssued', WithPerson<MeasureData>>
  | DecidedEvent<'MeasureLifted', WithPerson<{ measureId: string; date: string }>>
  | DecidedEvent<'MeasureRevoked', WithPerson<{ measureId: string; date: string; reason: string }>>
  | DecidedEvent<'InvestigationOpened', WithPerson<{ caseId: string; openedOn: string }>>
  | DecidedEvent<'InvestigationClosed', WithPerson<{ caseId: string; closedOn: string; outcome: string }>>
  | DecidedEvent<'AppraisalRecordNoted', WithPerson<{ recordId: string; period: string }>>;

export type MeasureHeld = MeasureData & {
  liftedOn?: string;
  revoked: boolean;
  ref?: RecordedRef;
};

export interface Investigation {
  caseId: string;
  openedOn: string;
  closedOn?: string;
  outcome?: string;
}

export interface DisciplineHistory {
  measures: MeasureHeld[];
  investigations: Investigation[];
  /** The person's appraisal records, so that a fact recorded late can find the grades it touches. */
  records: string[];
}

export const EMPTY_DISCIPLINE: DisciplineHistory = { measures: [], investigations: [], records: [] };

/** The event a measure is recorded as: 处分, 诫勉, 组织处理 or 效能告诫. */
function eventTypeOf(measure: MeasureCode): 'PenaltyImposed' | 'AdmonitionIssued' | 'OrganizationalActionTaken' | 'EfficiencyWarningIssued' {
  if (measure === 'ADMONITION') return 'AdmonitionIssued';
  if (measure === 'EFFICIENCY_WARNING') return 'EfficiencyWarningIssued';
  if (measure.startsWith('ORGANIZATIONAL_')) return 'OrganizationalActionTaken';
  return 'PenaltyImposed';
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

function measureOf(history: DisciplineHistory, measureId: string): MeasureHeld {
  const measure = history.measures.find((candidate) => candidate.measureId === measureId);
  if (!measure) throw fail('DISCIPLINE.MEASURE_NOT_FOUND', `no measure ${measureId} is on the person's record`, { measureId });
  if (measure.revoked) throw fail('DISCIPLINE.MEASURE_REVOKED', `measure ${measureId} was revoked`, { measureId });
  return measure;
}

/** Decides a discipline command; `requireDate` checks a field is a real calendar date. */
export function decideDiscipline(
  personId: string,
  history: DisciplineHistory,
  command: DisciplineCommand,
  requireDate: (field: string, value: string) => void,
): DisciplineEvent[] {
  switch (command.type) {
    case 'RecordDisciplinaryMeasure': {
      const data = command.data;
      requireDate('decisionDate', data.decisionDate);
      requireDate('effectiveDate', data.effectiveDate);
      if (data.effectiveDate < data.decisionDate) {
        throw fail('DISCIPLINE.EFFECTIVE_BEFORE_DECISION', `the measure takes effect ${data.effectiveDate}, before its decision on ${data.decisionDate}`, data);
      }
      if (history.measures.some((measure) => measure.measureId === data.measureId)) {
        throw fail('DISCIPLINE.MEASURE_ALREADY_RECORDED', `measure ${data.measureId} is already on the person's record`, { measureId: data.measureId });
      }
      if (data.measure !== 'PARTY_PROBATION' && data.termYears !== null) {
        throw fail('VALIDATION_FAILED', 'only 留党察看 (PARTY_PROBATION) has a term in years', {
          fields: [{ field: 'termYears', constraints: [{ name: 'isEmpty', message: `no term for ${data.measure}` }], allowed: 'null unless PARTY_PROBATION' }],
        });
      }
      if (data.measure === 'PARTY_PROBATION' && data.termYears !== 1 && data.termYears !== 2) {
        throw fail('VALIDATION_FAILED', '留党察看 needs a term of 1 or 2 years', { fields: [{ field: 'termYears', constraints: [{ name: 'isIn', message: '1 or 2 for PARTY_PROBATION' }], allowed: '1, 2' }] });
      }
      return [{ type: eventTypeOf(data.measure), data: { personId, ...data }, effectiveAt: data.effectiveDate }];
    }
    case 'LiftMeasure': {
      requireDate('date', command.data.date);
      const measure = measureOf(history, command.data.measureId);
      if (measure.liftedOn) throw fail('DISCIPLINE.MEASURE_ALREADY_LIFTED', `measure ${measure.measureId} was lifted on ${measure.liftedOn}`, { liftedOn: measure.liftedOn });
      if (command.data.date < measure.effectiveDate) throw fail('DISCIPLINE.LIFTED_BEFORE_EFFECT', `a measure effective ${measure.effectiveDate} cannot be lifted on ${command.data.date}`);
      return [{ type: 'MeasureLifted', data: { personId, ...command.data }, effectiveAt: command.data.date }];
    }
    case 'RevokeMeasure': {
      requireDate('date', command.data.date);
      measureOf(history, command.data.measureId);
      return [{ type: 'MeasureRevoked', data: { personId, ...command.data }, effectiveAt: command.data.date }];
    }
    case 'NoteInvestigationOpened': {
      requireDate('openedOn', command.data.openedOn);
      if (history.investigations.some((investigation) => investigation.caseId === command.data.caseId)) return [];
      return [{ type: 'InvestigationOpened', data: { personId, ...command.data }, effectiveAt: command.data.openedOn }];
    }
    case 'NoteInvestigationClosed': {
      requireDate('closedOn', command.data.closedOn);
      const investigation = history.investigations.find((candidate) => candidate.caseId === command.data.caseId);
      if (!investigation) throw fail('DISCIPLINE.INVESTIGATION_NOT_FOUND', `no investigation ${command.data.caseId} is on the person's record`);
      if (investigation.closedOn) return [];
      return [{ type: 'InvestigationClosed', data: { personId, ...command.data }, effectiveAt: command.data.closedOn }];
    }
    case 'NoteAppraisalRecord':
      return history.records.includes(command.data.recordId) ? [] : [{ type: 'AppraisalRecordNoted', data: { personId, ...command.data } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown discipline command ${(unknown as Command).type}`);
    }
  }
}

export function evolveDiscipline(history: DisciplineHistory, event: DisciplineEvent): DisciplineHistory {
  switch (event.type) {
    case 'PenaltyImposed':
    case 'AdmonitionIssued':
    case 'OrganizationalActionTaken':
    case 'EfficiencyWarningIssued': {
      const { personId: _personId, ...data } = event.data;
      return { ...history, measures: [...history.measures, { ...data, revoked: false, ref: event.recorded }] };
    }
    case 'MeasureLifted':
      return { ...history, measures: history.measures.map((measure) => (measure.measureId === event.data.measureId ? { ...measure, liftedOn: event.data.date } : measure)) };
    case 'MeasureRevoked':
      return { ...history, measures: history.measures.map((measure) => (measure.measureId === event.data.measureId ? { ...measure, revoked: true } : measure)) };
    case 'InvestigationOpened':
      return { ...history, investigations: [...history.investigations, { caseId: event.data.caseId, openedOn: event.data.openedOn }] };
    case 'InvestigationClosed':
      return {
        ...history,
        investigations: history.investigations.map((investigation) =>
          investigation.caseId === event.data.caseId ? { ...investigation, closedOn: event.data.closedOn, outcome: event.data.outcome } : investigation,
        ),
      };
    case 'AppraisalRecordNoted':
      return { ...history, records: [...history.records, event.data.recordId] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The measures a derivation weighs: everything not revoked, efficiency warnings apart. */
export function measuresOnRecord(history: DisciplineHistory): MeasureOnRecord[] {
  return history.measures
    .filter((measure) => !measure.revoked && measure.measure !== 'EFFICIENCY_WARNING')
    .map((measure) => ({
      measure: measure.measure,
      effectiveDate: measure.effectiveDate,
      termYears: measure.termYears ?? undefined,
      periodMonths: measure.periodMonths ?? undefined,
      liftedOn: measure.liftedOn,
      ref: measure.ref,
    }));
}

/** 效能告诫 taking effect in the year (three or more bar 优秀). */
export function efficiencyWarningsIn(history: DisciplineHistory, year: number): RecordedRef[] {
  return history.measures
    .filter((measure) => !measure.revoked && measure.measure === 'EFFICIENCY_WARNING' && measure.effectiveDate.startsWith(`${year}-`))
    .map((measure) => measure.ref)
    .filter((ref): ref is RecordedRef => ref !== undefined);
}

/** The open investigation that withholds a period's record: opened on or before the period's end. */
export function openInvestigationCovering(history: DisciplineHistory, periodEnd: string): Investigation | undefined {
  return history.investigations.find((investigation) => !investigation.closedOn && investigation.openedOn <= periodEnd);
}
