import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { formatPosition } from '../event-store/event.js';
import { verifyIntegrity } from '../integrity/verify-integrity.js';
import type { Infrastructure } from '../infrastructure.js';
import { streamPage } from './graphql-event.js';
import { INFRASTRUCTURE } from './tokens.js';
import type { EventConnection, Health, IntegrityReport } from './schema.types.js';

const MAX_PAGE = 500;

export class EventsArgs {
  @IsString()
  @Length(1, 200, { context: { allowed: 'a stream id of 1 to 200 characters' } })
  streamId: string;

  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'after must be a cursor returned by a previous page', context: { allowed: 'a cursor from edges.cursor' } })
  after?: string | null;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { context: { allowed: `1 to ${MAX_PAGE}` } })
  @Max(MAX_PAGE, { context: { allowed: `1 to ${MAX_PAGE}` } })
  first?: number | null;
}

@Resolver()
export class EventLogResolver {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  @Query('health')
  async health(): Promise<Health> {
    const { store, projections } = this.infrastructure;
    const [lastGlobalPosition, oldestOpenTransactionSeconds, statuses] = await Promise.all([
      store.lastGlobalPosition(),
      store.oldestOpenTransactionSeconds(),
      projections.status(),
    ]);
    return {
      store: store.kind,
      lastGlobalPosition: lastGlobalPosition?.toString() ?? null,
      oldestOpenTransactionSeconds,
      projections: statuses.map((status) => ({
        name: status.name,
        version: status.version,
        checkpoint: status.checkpoint ? formatPosition(status.checkpoint) : null,
        lag: status.lag,
        lastError: status.lastError,
      })),
    };
  }

  /** Stream pages: the cursor is the stream revision of the page's last event. */
  @Query('events')
  events(@Args() args: EventsArgs): Promise<EventConnection> {
    return streamPage(this.infrastructure.store, args.streamId, args.after, args.first ?? 50);
  }

  @Query('verifyIntegrity')
  async verifyIntegrity(): Promise<IntegrityReport> {
    const report = await verifyIntegrity(this.infrastructure.store, this.infrastructure.pool);
    return { ...report, firstBadPosition: report.firstBadPosition?.toString() ?? null };
  }
}
