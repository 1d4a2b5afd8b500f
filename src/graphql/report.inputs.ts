import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { REPORT_KIND_NAMES, type ReportKind } from '../reports/domain/report-document.js';
import { CommandInput, IsId, IsOneOf, IsText } from './input-rules.js';
import type * as Schema from './schema.types.js';

const IsPeriod = () =>
  Matches(/^\d{4}(Q[1-4]|M(0[1-9]|1[0-2]))?$/, { message: '$property must be a period', context: { allowed: 'YYYY, YYYYQn or YYYYMmm, e.g. 2025, 2025Q2, 2025M07' } });

const IsRevision = () => applyDecorators(IsInt({ context: { allowed: 'a whole number from 1' } }), Min(1, { context: { allowed: 'a whole number from 1' } }));

export class FileReportInput extends CommandInput implements Schema.FileReportInput {
  @IsId()
  organizationId: string;

  @IsPeriod()
  period: string;

  @IsOneOf(REPORT_KIND_NAMES)
  kind: ReportKind;
}

export class ReportsArgs {
  @IsId()
  organizationId: string;

  @IsOptional()
  @IsPeriod()
  period?: string | null;

  @IsOptional()
  @IsOneOf(REPORT_KIND_NAMES)
  kind?: ReportKind | null;

  @IsOptional()
  @IsText(1, 400)
  after?: string | null;

  @IsInt({ context: { allowed: 'a whole number from 1 to 500' } })
  @Min(1, { context: { allowed: '1 to 500' } })
  @Max(500, { context: { allowed: '1 to 500' } })
  first: number;
}

export class ReportArgs {
  @IsText(1, 400)
  reportId: string;

  @IsOptional()
  @IsRevision()
  revision?: number | null;
}

export class ReportDiffArgs {
  @IsText(1, 400)
  reportId: string;

  @IsRevision()
  fromRevision: number;

  @IsRevision()
  toRevision: number;
}

export class ReportRowsArgs {
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: '$property must be a row cursor', context: { allowed: 'a cursor from a previous page (a row ordinal)' } })
  after?: string | null;

  @IsInt({ context: { allowed: 'a whole number from 1 to 1000' } })
  @Min(1, { context: { allowed: '1 to 1000' } })
  @Max(1000, { context: { allowed: '1 to 1000' } })
  first: number;
}
