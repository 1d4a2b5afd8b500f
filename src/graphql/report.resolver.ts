import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../event-store/event.js';
import { ReportFilingService } from '../reports/report-filing.service.js';
import { ReportQueries, type ReportSummary, type RevisionDiff, type RevisionHead, type RowsPage } from '../reports/report-queries.js';
import { CurrentActor } from './actor.js';
import { CommandEdge } from './command-edge.js';
import { FileReportInput, ReportArgs, ReportDiffArgs, ReportRowsArgs, ReportsArgs } from './report.inputs.js';
import type { CommandOutcome } from './schema.types.js';

/** Where a revision is downloaded; the export routes serve these paths. */
function exportPath(reportId: string, revision: number, format: 'xlsx' | 'csv'): string {
  return `/reports/${encodeURIComponent(reportId)}/revisions/${revision}/export.${format}`;
}

@Resolver()
export class ReportResolver {
  constructor(
    private readonly reports: ReportQueries,
    private readonly filing: ReportFilingService,
    private readonly edge: CommandEdge,
  ) {}

  @Query('reports')
  list(@Args() args: ReportsArgs) {
    return this.reports.reports(args);
  }

  @Query('report')
  report(@Args() args: ReportArgs): Promise<RevisionHead> {
    return this.reports.revision(args.reportId, args.revision);
  }

  @Query('reportDiff')
  reportDiff(@Args() args: ReportDiffArgs): Promise<RevisionDiff> {
    return this.reports.diff(args.reportId, args.fromRevision, args.toRevision);
  }

  @Mutation('fileReport')
  fileReport(@Args('input') input: FileReportInput, @CurrentActor() actor: Actor): Promise<CommandOutcome> {
    const { commandId, ...data } = input;
    return this.edge.run(actor, commandId, (metadata) => this.filing.fileReport(data, metadata));
  }
}

@Resolver('Report')
export class ReportFieldsResolver {
  constructor(private readonly reports: ReportQueries) {}

  @ResolveField('revisions')
  revisions(@Parent() report: ReportSummary): Promise<RevisionHead[]> {
    return this.reports.revisions(report.reportId);
  }
}

@Resolver('ReportRevision')
export class ReportRevisionFieldsResolver {
  constructor(private readonly reports: ReportQueries) {}

  @ResolveField('rows')
  rows(@Parent() revision: RevisionHead, @Args() args: ReportRowsArgs): Promise<RowsPage> {
    return this.reports.rows(revision.reportId, revision.revision, args.first, args.after);
  }

  @ResolveField('exports')
  exports(@Parent() revision: RevisionHead) {
    return { xlsx: exportPath(revision.reportId, revision.revision, 'xlsx'), csv: exportPath(revision.reportId, revision.revision, 'csv') };
  }
}
