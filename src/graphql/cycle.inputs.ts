import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, Matches } from 'class-validator';
import { CommandInput, IsId } from './input-rules.js';
import type * as Schema from './schema.types.js';

/** A period: `2025` (annual), `2025Q2` (quarterly) or `2025M07` (monthly). */
export const IsPeriod = () =>
  Matches(/^\d{4}(Q[1-4]|M(0[1-9]|1[0-2]))?$/, { message: '$property must be a period', context: { allowed: 'YYYY, YYYYQn or YYYYMmm, e.g. 2025, 2025Q2, 2025M07' } });

export class OpenCycleInput extends CommandInput implements Schema.OpenCycleInput {
  @IsId()
  organizationId: string;

  @IsPeriod()
  period: string;

  @ArrayNotEmpty({ context: { allowed: '1 to 1000 person ids, each once' } })
  @ArrayMaxSize(1000, { context: { allowed: '1 to 1000 person ids, each once' } })
  @ArrayUnique(undefined, { context: { allowed: '1 to 1000 person ids, each once' } })
  @IsId({ each: true })
  personIds: string[];
}

export class CycleArgs {
  @IsId()
  organizationId: string;

  @IsPeriod()
  period: string;
}
