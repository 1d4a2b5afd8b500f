import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { CommandInput, IsCommandId, IsDay, IsId, IsOneOf, IsText, IsWholeNumber, valuesOf } from './input-rules.js';
import { MEASURE_CODES } from '../rule-set/domain/rule-set.js';
import type * as Schema from './schema.types.js';

const CASE_OUTCOMES = valuesOf<Schema.CaseOutcome>({ NO_PENALTY: true, EXEMPTED: true, WARNING: true, HEAVIER: true });

/** The decision of a measure, as a measure recorded on its own and the penalty that closes a case both carry it. */
export abstract class MeasureDecisionInput {
  @IsId()
  measureId: string;

  @IsOneOf(MEASURE_CODES)
  measure: Schema.MeasureCode;

  @IsDay()
  decisionDate: string;

  @IsDay()
  effectiveDate: string;

  @IsOptional()
  @IsWholeNumber(1, 240)
  periodMonths?: number | null;

  // Whether the measure needs a term (留党察看 does) is the domain's check.
  @IsOptional()
  @IsWholeNumber(1, 2)
  termYears?: number | null;

  @IsText(1, 200)
  authority: string;

  @IsText(1, 200)
  documentNumber: string;
}

export class RecordDisciplinaryMeasureInput extends MeasureDecisionInput implements Schema.RecordDisciplinaryMeasureInput {
  // Extends the decision rather than CommandInput, so it states the command id itself.
  @IsCommandId()
  commandId?: string | null;

  @IsId()
  personId: string;

  @IsOptional()
  @IsId()
  caseId?: string | null;
}

export class LiftMeasureInput extends CommandInput implements Schema.LiftMeasureInput {
  @IsId()
  personId: string;

  @IsId()
  measureId: string;

  @IsDay()
  date: string;
}

export class RevokeMeasureInput extends LiftMeasureInput implements Schema.RevokeMeasureInput {
  @IsText(1, 2000)
  reason: string;
}

export class OpenCaseInput extends CommandInput implements Schema.OpenCaseInput {
  @IsId()
  caseId: string;

  @IsId()
  personId: string;

  @IsDay()
  openedOn: string;

  @IsText(1, 200)
  authority: string;
}

export class CasePenaltyInput extends MeasureDecisionInput implements Schema.CasePenaltyInput {}

export class CloseCaseInput extends CommandInput implements Schema.CloseCaseInput {
  @IsId()
  caseId: string;

  @IsDay()
  closedOn: string;

  // Which penalty goes with which outcome is the case's own rule.
  @IsOneOf(CASE_OUTCOMES)
  outcome: Schema.CaseOutcome;

  @IsOptional()
  @ValidateNested()
  @Type(() => CasePenaltyInput)
  penalty?: CasePenaltyInput | null;
}
