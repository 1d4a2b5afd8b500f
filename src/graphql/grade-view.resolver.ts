import { Args, Query, Resolver } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { GradeViewQueries, type GradeSummary, type GradeViewPage } from '../application/grade-view-queries.js';
import { IsPeriod } from './cycle.inputs.js';
import { IsId, IsRecordId, IsWholeNumber } from './input-rules.js';

const MAX_PAGE = 500;
const DEFAULT_PAGE = 50;

export class GradesArgs {
  @IsId()
  organizationId: string;

  @IsPeriod()
  period: string;

  /** A record id from a previous page. */
  @IsOptional()
  @IsRecordId()
  after?: string | null;

  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_PAGE)
  first?: number | null;
}

export class GradeSummaryArgs {
  @IsId()
  organizationId: string;

  @IsPeriod()
  period: string;
}

/**
 * Lists of records from the grade_view read model. Only the page is read here: GradeView's
 * `ruleSet`, `outcome`, `flags` and `history` are mercurius loaders (grade-view.loaders.ts), batched
 * over the whole page.
 */
@Resolver()
export class GradeViewResolver {
  constructor(private readonly gradeView: GradeViewQueries) {}

  @Query('gradeSummary')
  gradeSummary(@Args() args: GradeSummaryArgs): Promise<GradeSummary> {
    return this.gradeView.summary(args.organizationId, args.period);
  }

  @Query('grades')
  grades(@Args() args: GradesArgs): Promise<GradeViewPage> {
    return this.gradeView.page({ ...args, first: args.first ?? DEFAULT_PAGE });
  }
}
