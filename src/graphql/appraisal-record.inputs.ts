import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsBoolean, IsISO8601, IsOptional, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { CommandInput, IsDay, IsNote, IsOneOf, IsPoints, IsRecordId, IsText, IsWholeNumber, valuesOf } from './input-rules.js';
import type * as Schema from './schema.types.js';

const RATER_ROLES = valuesOf<Schema.RaterRole>({ SUPERIOR: true, PEER: true, SUBORDINATE: true, COLLEAGUE: true, UNIT_HEAD: true });
const ADJUSTMENT_KINDS = valuesOf<Schema.AdjustmentKind>({ BONUS: true, DEDUCTION: true });
const RULINGS = valuesOf<Schema.Ruling>({ UPHELD: true, REVISED: true });
const NOTIFICATION_METHODS = valuesOf<Schema.NotificationMethod>({ WRITTEN: true, IN_PERSON: true });
const DIRECT_TRIGGERS = valuesOf<Schema.DirectTrigger>({
  COMMENDATION: true,
  OUTSTANDING_IN_URGENT_TASK: true,
  REFUSED_ORDERS_AT_CRITICAL_MOMENT: true,
  SERIOUS_PARTY_WARNING_OR_HEAVIER: true,
});

/** A grade code of the record's scale; whether it is on the scale is the domain's check. */
const IsGradeCode = () => IsText(1, 50);

/** Every input about one appraisal record. */
abstract class RecordInput extends CommandInput {
  @IsRecordId()
  recordId: string;
}

export class AttendanceInput implements Schema.AttendanceInput {
  @IsWholeNumber(0, 366)
  daysPresent: number;

  @IsWholeNumber(0, 366)
  sickLeaveDays: number;

  @IsWholeNumber(0, 366)
  personalLeaveDays: number;

  @IsWholeNumber(0, 1000)
  lateCount: number;

  @IsWholeNumber(0, 1000)
  earlyLeaveCount: number;

  @ArrayMaxSize(100, { context: { allowed: 'up to 100 trainings' } })
  @IsText(1, 200, { each: true })
  trainings: string[];
}

export class SubmitSelfSummaryInput extends RecordInput implements Schema.SubmitSelfSummaryInput {
  @IsText(1, 20_000)
  text: string;

  @ValidateNested()
  @Type(() => AttendanceInput)
  attendance: AttendanceInput;
}

export class IndicatorScoreInput implements Schema.IndicatorScoreInput {
  @IsText(1, 100)
  indicatorId: string;

  // The indicator's own maximum is the scheme's, checked by the domain.
  @IsPoints(0, 100)
  points: number;
}

/** A score sheet: 1 to 100 entries, each indicator (or checklist item) once. */
export const IsScoreSheet = (entries: string) => {
  const allowed = { context: { allowed: `1 to 100 ${entries}, each once` } };
  return applyDecorators(
    ArrayNotEmpty(allowed),
    ArrayMaxSize(100, allowed),
    ArrayUnique((score: IndicatorScoreInput) => score.indicatorId, allowed),
    ValidateNested({ each: true }),
    Type(() => IndicatorScoreInput),
  );
};

export class RecordScoresInput extends RecordInput implements Schema.RecordScoresInput {
  @IsText(1, 100)
  raterId: string;

  @IsOneOf(RATER_ROLES)
  raterRole: Schema.RaterRole;

  @IsScoreSheet('indicators')
  scores: IndicatorScoreInput[];
}

export class RecordScoreAdjustmentInput extends RecordInput implements Schema.RecordScoreAdjustmentInput {
  @IsOneOf(ADJUSTMENT_KINDS)
  kind: Schema.AdjustmentKind;

  @IsText(1, 500)
  matter: string;

  @IsPoints(0.01, 100)
  points: number;

  @IsText(1, 2000)
  basis: string;
}

export class WriteCommentInput extends RecordInput implements Schema.WriteCommentInput {
  @IsText(1, 5000)
  text: string;
}

export class GradeVotesInput implements Schema.GradeVotesInput {
  @IsGradeCode()
  grade: string;

  @IsWholeNumber(0, 100_000)
  votes: number;
}

export class RecordDemocraticEvaluationInput extends RecordInput implements Schema.RecordDemocraticEvaluationInput {
  @IsWholeNumber(1, 100_000)
  voters: number;

  @IsOptional()
  @ArrayMaxSize(20, { context: { allowed: 'each grade of the scale once' } })
  @ArrayUnique((entry: GradeVotesInput) => entry.grade, { context: { allowed: 'each grade of the scale once' } })
  @ValidateNested({ each: true })
  @Type(() => GradeVotesInput)
  votes?: GradeVotesInput[] | null;

  @IsOptional()
  @IsPoints(0, 100)
  averageScore?: number | null;
}

export class RecordDirectTriggerInput extends RecordInput implements Schema.RecordDirectTriggerInput {
  @IsOneOf(DIRECT_TRIGGERS)
  trigger: Schema.DirectTrigger;

  @IsText(1, 2000)
  basis: string;
}

export class ProposeGradeInput extends RecordInput implements Schema.ProposeGradeInput {
  @IsGradeCode()
  grade: string;

  @IsNote(2000)
  reason: string;
}

export class ReviewProposalInput extends RecordInput implements Schema.ReviewProposalInput {
  @IsBoolean()
  agrees: boolean;

  @IsOptional()
  @IsGradeCode()
  grade?: string | null;

  @IsNote(2000)
  reason: string;
}

export class DetermineGradeInput extends RecordInput implements Schema.DetermineGradeInput {
  @IsOptional()
  @IsGradeCode()
  grade?: string | null;
}

export class RecordReceivingOrganizationResultInput extends RecordInput implements Schema.RecordReceivingOrganizationResultInput {
  @IsText(1, 100)
  receivingOrganizationId: string;

  @IsGradeCode()
  grade: string;

  @IsText(1, 500)
  document: string;
}

export class StartPublicNoticeInput extends RecordInput implements Schema.StartPublicNoticeInput {
  @IsDay()
  startDate: string;
}

export class FinalizeGradeInput extends RecordInput implements Schema.FinalizeGradeInput {}

export class PublishResultInput extends RecordInput implements Schema.PublishResultInput {}

export class NotifyPersonInput extends RecordInput implements Schema.NotifyPersonInput {
  @IsOneOf(NOTIFICATION_METHODS)
  method: Schema.NotificationMethod;
}

export class SignOffInput extends RecordInput implements Schema.SignOffInput {
  @IsBoolean()
  agrees: boolean;

  @IsNote(2000)
  opinion: string;
}

export class RecordRefusalToSignInput extends RecordInput implements Schema.RecordRefusalToSignInput {
  @IsText(1, 2000)
  note: string;
}

export class FileObjectionInput extends RecordInput implements Schema.FileObjectionInput {
  @IsText(1, 10_000)
  reasons: string;
}

export class RuleOnObjectionInput extends RecordInput implements Schema.RuleOnObjectionInput {
  @IsOneOf(RULINGS)
  ruling: Schema.Ruling;

  @IsOptional()
  @IsGradeCode()
  grade?: string | null;

  @IsText(1, 10_000)
  reasons: string;
}

export class FileAppealInput extends RecordInput implements Schema.FileAppealInput {
  @IsText(1, 10_000)
  reasons: string;
}

export class DecideAppealInput extends RecordInput implements Schema.DecideAppealInput {
  @IsOneOf(RULINGS)
  decision: Schema.Ruling;

  @IsOptional()
  @IsGradeCode()
  grade?: string | null;

  @IsText(1, 10_000)
  reasons: string;

  @IsText(1, 200)
  authority: string;
}

export class CorrectFlaggedGradeInput extends RecordInput implements Schema.CorrectFlaggedGradeInput {
  @IsOptional()
  @IsGradeCode()
  grade?: string | null;

  @IsText(1, 10_000)
  reasons: string;
}

/** A moment to look back at; at least one of the two is given. */
export class AsOfInput implements Schema.AsOfInput {
  @ValidateIf((input: AsOfInput) => input.globalPosition === undefined || input.globalPosition === null)
  @IsISO8601({ strict: true }, { context: { allowed: 'an ISO 8601 time, e.g. 2026-01-19T23:59:59+08:00' } })
  recordedAt?: string | null;

  @ValidateIf((input: AsOfInput) => input.recordedAt === undefined || input.recordedAt === null)
  @Matches(/^\d{1,19}$/, { message: 'globalPosition must be a position in the log', context: { allowed: 'a whole number, e.g. 1042' } })
  globalPosition?: string | null;
}

export class RecordHistoryArgs {
  @IsRecordId()
  recordId: string;

  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'after must be a cursor returned by a previous page', context: { allowed: 'a cursor from edges.cursor' } })
  after?: string | null;

  @IsOptional()
  @IsWholeNumber(1, 500)
  first?: number | null;
}

export class RecordAsOfArgs {
  @IsRecordId()
  recordId: string;

  @ValidateNested()
  @Type(() => AsOfInput)
  at: AsOfInput;
}

export class RecordDiffArgs {
  @IsRecordId()
  recordId: string;

  @ValidateNested()
  @Type(() => AsOfInput)
  from: AsOfInput;

  @ValidateNested()
  @Type(() => AsOfInput)
  to: AsOfInput;
}

export class RecordArgs {
  @IsRecordId()
  recordId: string;
}
