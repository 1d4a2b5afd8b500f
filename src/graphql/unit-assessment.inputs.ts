import { IndicatorScoreInput, IsScoreSheet } from './appraisal-record.inputs.js';
import { CommandInput, IsId, IsPoints, IsText, IsWholeNumber } from './input-rules.js';
import type * as Schema from './schema.types.js';

/** Every input about one unit assessment. */
abstract class UnitAssessmentInput extends CommandInput {
  @IsText(1, 200)
  assessmentId: string;
}

export class OpenUnitAssessmentInput extends CommandInput implements Schema.OpenUnitAssessmentInput {
  @IsId()
  organizationId: string;

  @IsWholeNumber(2000, 2100)
  year: number;

  @IsId()
  schemeId: string;

  @IsId()
  scaleId: string;
}

export class RecordUnitScoresInput extends UnitAssessmentInput implements Schema.RecordUnitScoresInput {
  @IsText(1, 100)
  raterId: string;

  @IsScoreSheet('items')
  scores: IndicatorScoreInput[];
}

export class RecordUnitBonusInput extends UnitAssessmentInput implements Schema.RecordUnitBonusInput {
  @IsText(1, 500)
  matter: string;

  @IsPoints(0.01, 100)
  points: number;

  @IsText(1, 2000)
  basis: string;
}

export class DetermineUnitResultInput extends UnitAssessmentInput implements Schema.DetermineUnitResultInput {}

export class UnitAssessmentArgs {
  @IsText(1, 200)
  assessmentId: string;
}
