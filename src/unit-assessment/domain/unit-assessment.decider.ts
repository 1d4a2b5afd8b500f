import type { Command, DecidedEvent, Decider, RecordedRef } from '../../command/decider.js';
import { bandGrade, computeScore, type IndicatorScore, type ScoreAdjustment } from '../../appraisal/domain/scoring.js';
import { cite, type TraceStep } from '../../appraisal/domain/trace.js';
import type { RuleSetDocument, ScoringScheme } from '../../rule-set/domain/rule-set.js';
import { ApplicationError } from '../../shared/errors.js';

/**
 * An organization as the subject of an assessment (DOMAIN.md §4.6): e.g. a unit's training work
 * scored on a 100-point checklist, with bonus points and result bands, through the same scoring,
 * banding and trace as a person's appraisal. Stream `unit-assessment-<organization>.<year>.<scheme>`.
 */
export type UnitAssessmentEvent =
  | DecidedEvent<'UnitAssessmentOpened', { assessmentId: string; organizationId: string; year: number; schemeId: string; scaleId: string; ruleSetId: string; ruleSetVersion: number }>
  | DecidedEvent<'UnitScoresRecorded', { raterId: string; scores: { indicatorId: string; points: number }[] }>
  | DecidedEvent<'UnitBonusRecorded', { matter: string; points: number; basis: string }>
  | DecidedEvent<'UnitResultDetermined', { result: string; resultLabel: string; score: number; trace: TraceStep[] }>;

export type UnitAssessmentCommand =
  | Command<'OpenUnitAssessment', { assessmentId: string; organizationId: string; year: number; schemeId: string; scaleId: string }>
  | Command<'RecordUnitScores', { raterId: string; scores: { indicatorId: string; points: number }[] }>
  | Command<'RecordUnitBonus', { matter: string; points: number; basis: string }>
  | Command<'DetermineUnitResult', Record<string, never>>;

export interface UnitAssessmentState {
  status: 'NONE' | 'OPEN' | 'DETERMINED';
  opened?: Extract<UnitAssessmentEvent, { type: 'UnitAssessmentOpened' }>['data'];
  scores: IndicatorScore[];
  bonuses: ScoreAdjustment[];
}

export interface UnitAssessmentContext {
  ruleSet: RuleSetDocument;
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

function schemeOf(context: UnitAssessmentContext, schemeId: string): ScoringScheme {
  const scheme = context.ruleSet.scoringSchemes.find((candidate) => candidate.id === schemeId);
  if (!scheme) {
    throw fail('UNIT_ASSESSMENT.UNKNOWN_SCHEME', `rule set ${context.ruleSet.id} v${context.ruleSet.version} has no scoring scheme ${schemeId}`, {
      allowed: context.ruleSet.scoringSchemes.map((candidate) => candidate.id),
    });
  }
  return scheme;
}

function requireOpen(state: UnitAssessmentState) {
  if (!state.opened) throw fail('UNIT_ASSESSMENT.NOT_FOUND', 'the assessment has not been opened');
  if (state.status !== 'OPEN') throw fail('UNIT_ASSESSMENT.ALREADY_DETERMINED', 'the result has already been determined');
  return state.opened;
}

function decide(command: UnitAssessmentCommand, state: UnitAssessmentState, context: UnitAssessmentContext): UnitAssessmentEvent[] {
  switch (command.type) {
    case 'OpenUnitAssessment': {
      if (state.opened) throw fail('UNIT_ASSESSMENT.ALREADY_OPEN', `assessment ${state.opened.assessmentId} is already open`);
      const scheme = schemeOf(context, command.data.schemeId);
      if (!scheme.bands.some((bands) => bands.scaleId === command.data.scaleId)) {
        throw fail('UNIT_ASSESSMENT.NO_BANDS', `scheme ${scheme.id} has no result bands for scale ${command.data.scaleId}`, {
          allowed: scheme.bands.map((bands) => bands.scaleId),
        });
      }
      return [{ type: 'UnitAssessmentOpened', data: { ...command.data, ruleSetId: context.ruleSet.id, ruleSetVersion: context.ruleSet.version }, ruleSetId: context.ruleSet.id }];
    }
    case 'RecordUnitScores': {
      const opened = requireOpen(state);
      const scheme = schemeOf(context, opened.schemeId);
      const fields = command.data.scores.flatMap((score, index) => {
        const indicator = scheme.indicators.find((candidate) => candidate.id === score.indicatorId);
        if (!indicator) return [{ field: `scores.${index}.indicatorId`, constraints: [{ name: 'isIndicator', message: `${score.indicatorId} is not an item of ${scheme.name}` }], allowed: scheme.indicators.map((candidate) => candidate.id).join(', ') }];
        if (!(score.points >= 0 && score.points <= indicator.points)) return [{ field: `scores.${index}.points`, constraints: [{ name: 'range', message: `${indicator.label} is scored 0 to ${indicator.points}` }], allowed: `0 to ${indicator.points}` }];
        return [];
      });
      if (fields.length > 0) throw fail('VALIDATION_FAILED', `invalid scores: ${fields.map((field) => field.field).join(', ')}`, { fields });
      return [{ type: 'UnitScoresRecorded', data: command.data }];
    }
    case 'RecordUnitBonus': {
      requireOpen(state);
      if (!(command.data.points > 0)) throw fail('VALIDATION_FAILED', 'points must be above 0', { fields: [{ field: 'points', constraints: [{ name: 'min', message: 'above 0' }] }] });
      return [{ type: 'UnitBonusRecorded', data: command.data }];
    }
    case 'DetermineUnitResult': {
      const opened = requireOpen(state);
      const scheme = schemeOf(context, opened.schemeId);
      const computed = computeScore(scheme, { subjectRole: 'STAFF', scores: state.scores, adjustments: state.bonuses, sanctioned: false });
      if (computed.missingIndicators.length > 0) {
        throw fail('UNIT_ASSESSMENT.SCORES_INCOMPLETE', `items not scored yet: ${computed.missingIndicators.join(', ')}`, { missing: computed.missingIndicators });
      }
      const bands = scheme.bands.find((candidate) => candidate.scaleId === opened.scaleId)!.bands;
      const result = bandGrade(bands, computed.final)!;
      const scale = context.ruleSet.gradeScales.find((candidate) => candidate.id === opened.scaleId);
      const resultLabel = scale?.grades.find((grade) => grade.code === result)?.label ?? result;
      const rule = (clause: string) => ({ ruleSetId: context.ruleSet.id, ruleSetVersion: context.ruleSet.version, clause });
      const refs: (RecordedRef | undefined)[] = [...state.scores.map((score) => score.ref), ...state.bonuses.map((bonus) => bonus.ref)];
      const trace: TraceStep[] = [
        {
          kind: 'SCORE',
          rule: rule(`scoringSchemes.${scheme.id}`),
          inputs: cite(refs),
          conclusion: `SCORE ${computed.final}`,
          explanation: `各项得分 ${computed.base}，加分 ${computed.bonus}（上限 ${scheme.bonusCap}），合计 ${computed.final}`,
          values: { base: computed.base, bonus: computed.bonus, final: computed.final },
        },
        {
          kind: 'BAND',
          rule: rule(`scoringSchemes.${scheme.id}.bands.${opened.scaleId}`),
          inputs: [],
          conclusion: `BAND ${result}`,
          explanation: `${computed.final} 分对应：${resultLabel}`,
          values: { score: computed.final },
        },
      ];
      return [{ type: 'UnitResultDetermined', data: { result, resultLabel, score: computed.final, trace }, ruleSetId: context.ruleSet.id }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as Command).type}`);
    }
  }
}

function evolve(state: UnitAssessmentState, event: UnitAssessmentEvent): UnitAssessmentState {
  switch (event.type) {
    case 'UnitAssessmentOpened':
      return { ...state, status: 'OPEN', opened: event.data };
    case 'UnitScoresRecorded': {
      const others = state.scores.filter((score) => score.raterId !== event.data.raterId);
      const sheet = event.data.scores.map((score) => ({ ...score, raterId: event.data.raterId, raterRole: 'SUPERIOR' as const, ref: event.recorded }));
      return { ...state, scores: [...others, ...sheet] };
    }
    case 'UnitBonusRecorded':
      return { ...state, bonuses: [...state.bonuses, { kind: 'BONUS', matter: event.data.matter, points: event.data.points, ref: event.recorded }] };
    case 'UnitResultDetermined':
      return { ...state, status: 'DETERMINED' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const unitAssessmentDecider: Decider<UnitAssessmentCommand, UnitAssessmentEvent, UnitAssessmentState, UnitAssessmentContext> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE', scores: [], bonuses: [] }),
};

export function unitAssessmentStreamId(organizationId: string, year: number, schemeId: string): string {
  return `unit-assessment-${organizationId}.${year}.${schemeId}`;
}
