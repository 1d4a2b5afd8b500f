import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Infrastructure } from '../infrastructure.js';
import { createLogDigest, verifyLogDigest } from '../integrity/digest.js';
import { SEALING_PROJECTION } from '../integrity/sealing.projection.js';
import { CLOCK, INFRASTRUCTURE, type Clock } from './tokens.js';
import type { DigestVerification, LogDigest } from './schema.types.js';

const SEAL_POSITION = /^[1-9][0-9]{0,18}$/;

export class LogDigestArgs {
  @IsOptional()
  @Matches(SEAL_POSITION, { message: 'sealPosition must be a positive whole number', context: { allowed: 'a seal position from 1, as a string' } })
  sealPosition?: string | null;
}

/** Bounded text only: whether each field is in its format is the verification's own finding. */
const Field = () => Length(1, 200, { context: { allowed: 'text of 1 to 200 characters' } });

export class LogDigestInputDto {
  @IsString() @Field() format: string;
  @IsString() @Field() sealPosition: string;
  @IsString() @Field() globalPosition: string;
  @IsString() @Field() eventId: string;
  @IsString() @Field() chainHash: string;
  @IsString() @Field() signedAt: string;
  @IsString() @Field() keyId: string;
  @IsString() @Field() signature: string;
}

/** Signed digests of the log (ARCHITECTURE.md, non-negotiable 5). */
@Resolver()
export class DigestResolver {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query('logDigest')
  async logDigest(@Args() args: LogDigestArgs): Promise<LogDigest> {
    const { projections, pool, digestKeys } = this.infrastructure;
    // The seal follows the log in the background; seal the rest first so the digest covers the log as it is now.
    await projections.catchUp(SEALING_PROJECTION);
    return createLogDigest(pool, digestKeys, {
      now: this.clock(),
      sealPosition: args.sealPosition == null ? undefined : BigInt(args.sealPosition),
    });
  }

  @Query('verifyDigest')
  async verifyDigest(@Args('digest') digest: LogDigestInputDto): Promise<DigestVerification> {
    const { store, pool, projections, digestKeys } = this.infrastructure;
    const verification = await verifyLogDigest(store, pool, digestKeys, { ...digest }, {
      catchUpSeal: () => projections.catchUp(SEALING_PROJECTION),
    });
    return {
      ...verification,
      sealPosition: verification.sealPosition?.toString() ?? null,
      globalPosition: verification.globalPosition?.toString() ?? null,
      firstBadPosition: verification.firstBadPosition?.toString() ?? null,
    };
  }
}
