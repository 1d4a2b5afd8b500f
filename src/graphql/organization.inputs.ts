import { IsOptional } from 'class-validator';
import { CommandInput, IsId, IsOneOf, IsText, IsWholeNumber, valuesOf } from './input-rules.js';
import type * as Schema from './schema.types.js';

const ORGANIZATION_KINDS = valuesOf<Schema.OrganizationKind>({ ORGAN: true, UNIT: true });

export class RegisterOrganizationInput extends CommandInput implements Schema.RegisterOrganizationInput {
  @IsId()
  organizationId: string;

  @IsText(1, 200)
  name: string;

  @IsOneOf(ORGANIZATION_KINDS)
  kind: Schema.OrganizationKind;

  @IsOptional()
  @IsId()
  parentId?: string | null;
}

export class RenameOrganizationInput extends CommandInput implements Schema.RenameOrganizationInput {
  @IsId()
  organizationId: string;

  @IsText(1, 200)
  name: string;
}

export class AdoptRuleSetInput extends CommandInput implements Schema.AdoptRuleSetInput {
  @IsId()
  organizationId: string;

  @IsWholeNumber(1000, 9999)
  year: number;

  @IsId()
  ruleSetId: string;

  @IsWholeNumber(1, 1_000_000)
  ruleSetVersion: number;

  @IsOptional()
  @IsText(1, 2000)
  reason?: string | null;
}
