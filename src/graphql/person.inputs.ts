import { IsBoolean, IsOptional } from 'class-validator';
import { CommandInput, IsDay, IsId, IsOneOf, IsText, valuesOf } from './input-rules.js';
import type * as Schema from './schema.types.js';

const PERSON_CATEGORIES = valuesOf<Schema.PersonCategory>({ CIVIL_SERVANT: true, REFERENCE_MANAGED: true, PUBLIC_INSTITUTION: true, OTHER: true });
const LEAVE_KINDS = valuesOf<Schema.LeaveKind>({ SICK_OR_PERSONAL: true, STATUTORY: true, WORK_INJURY: true });
const DEPARTURE_REASONS = valuesOf<Schema.DepartureReason>({ LEFT: true, RETIRED: true, DIED: true, DISMISSED: true });

/** The post a person holds, as registration and a change of post both give it. */
abstract class PostInput extends CommandInput {
  @IsId()
  personId: string;

  @IsId()
  organizationId: string;

  @IsText(1, 100)
  position: string;

  @IsText(1, 100)
  rank: string;

  @IsBoolean()
  isSectionHead: boolean;
}

export class RegisterPersonInput extends PostInput implements Schema.RegisterPersonInput {
  @IsText(1, 100)
  name: string;

  @IsOneOf(PERSON_CATEGORIES)
  category: Schema.PersonCategory;

  @IsDay()
  inPostSince: string;
}

export class ChangePostInput extends PostInput implements Schema.ChangePostInput {
  @IsDay()
  effectiveDate: string;
}

export class StartProbationInput extends CommandInput implements Schema.StartProbationInput {
  @IsId()
  personId: string;

  @IsDay()
  startDate: string;

  @IsDay()
  endDate: string;
}

export class RecordLeaveInput extends CommandInput implements Schema.RecordLeaveInput {
  @IsId()
  personId: string;

  @IsOneOf(LEAVE_KINDS)
  kind: Schema.LeaveKind;

  @IsDay()
  from: string;

  @IsDay()
  to: string;
}

export class StartSecondmentInput extends CommandInput implements Schema.StartSecondmentInput {
  @IsId()
  personId: string;

  @IsId()
  receivingOrganizationId: string;

  @IsDay()
  from: string;

  @IsOptional()
  @IsDay()
  to?: string | null;
}

export class EndSecondmentInput extends CommandInput implements Schema.EndSecondmentInput {
  @IsId()
  personId: string;

  @IsDay()
  date: string;
}

export class RecordDepartureInput extends CommandInput implements Schema.RecordDepartureInput {
  @IsId()
  personId: string;

  @IsOneOf(DEPARTURE_REASONS)
  reason: Schema.DepartureReason;

  @IsDay()
  date: string;
}
