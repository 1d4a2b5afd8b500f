import { Args, Query, Resolver } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { InspectionQueries } from '../inspection/inspection-queries.js';
import { IsDay, IsId, IsRecordId, IsWholeNumber } from './input-rules.js';
import type { ConflictingGradeConnection, GradeActors, PersonUnderDisciplineConnection } from './schema.types.js';

const MAX_PAGE = 500;
const DEFAULT_PAGE = 50;

export class PeopleUnderDisciplineArgs {
  @IsOptional()
  @IsId()
  organizationId?: string | null;

  @IsDay()
  from: string;

  @IsDay()
  to: string;

  /** A person id from a previous page. */
  @IsOptional()
  @IsId()
  after?: string | null;

  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_PAGE)
  first?: number | null;
}

export class ConflictingGradesArgs {
  @IsOptional()
  @IsId()
  organizationId?: string | null;

  /** A record id from a previous page. */
  @IsOptional()
  @IsRecordId()
  after?: string | null;

  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_PAGE)
  first?: number | null;
}

export class GradeActorsArgs {
  @IsRecordId()
  recordId: string;
}

/** Discipline inspection reads (DOMAIN §8). */
@Resolver()
export class InspectionResolver {
  constructor(private readonly inspection: InspectionQueries) {}

  @Query('peopleUnderDiscipline')
  peopleUnderDiscipline(@Args() args: PeopleUnderDisciplineArgs): Promise<PersonUnderDisciplineConnection> {
    return this.inspection.peopleUnderDiscipline({ ...args, first: args.first ?? DEFAULT_PAGE });
  }

  @Query('conflictingGrades')
  conflictingGrades(@Args() args: ConflictingGradesArgs): Promise<ConflictingGradeConnection> {
    return this.inspection.conflictingGrades({ ...args, first: args.first ?? DEFAULT_PAGE });
  }

  @Query('gradeActors')
  gradeActors(@Args() args: GradeActorsArgs): Promise<GradeActors> {
    return this.inspection.gradeActors(args.recordId);
  }
}
