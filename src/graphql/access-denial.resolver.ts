import { Args, Query, Resolver } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { AccessDenialLog, type AccessDenialPage } from '../auth/access-denial-log.js';
import { IsId, IsWholeNumber } from './input-rules.js';

const MAX_PAGE = 500;

export class AccessDenialsArgs {
  @IsOptional()
  @IsId()
  organizationId?: string | null;

  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor returned by a previous page', context: { allowed: 'a cursor from edges.cursor' } })
  after?: string | null;

  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_PAGE)
  first?: number | null;
}

/** The auditors' read of the access denials. */
@Resolver()
export class AccessDenialResolver {
  constructor(private readonly denials: AccessDenialLog) {}

  @Query('accessDenials')
  accessDenials(@Args() args: AccessDenialsArgs): Promise<AccessDenialPage> {
    return this.denials.page({ ...args, first: args.first ?? 50 });
  }
}
