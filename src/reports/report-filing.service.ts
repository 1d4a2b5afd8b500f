import { loadStream } from '../application/stream-state.js';
import { parsePeriod } from '../appraisal/domain/vocabulary.js';
import type { CommandHandler, CommandResult } from '../command/command-handler.js';
import type { CommandMetadata } from '../command/decider.js';
import { cycleStreamId } from '../cycle/domain/cycle.decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { organizationDecider, streamIdOfOrganization } from '../organization/domain/organization.decider.js';
import { reportIdOf, type ReportKind } from './domain/report-document.js';
import { reportFilingDecider, streamIdOfReport, type FileReport } from './domain/report-filing.decider.js';

/** The cycle periods a report of the kind draws on: a year of quarters for the summaries, else its own period. */
function cyclePeriodsOf(kind: ReportKind, period: string): string[] {
  const parsed = parsePeriod(period);
  if (!parsed) return [];
  if (kind === 'QUARTERLY_SUMMARY') return [1, 2, 3, 4].map((quarter) => `${parsed.year}Q${quarter}`);
  return [period];
}

/** HR's filing of reports with the regulator (备案): one ReportFiled per organization, period and kind. */
export class ReportFilingService {
  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
  ) {}

  async fileReport(data: FileReport['data'], metadata: CommandMetadata): Promise<CommandResult> {
    const organization = await loadStream(this.store, organizationDecider, streamIdOfOrganization(data.organizationId));
    const cyclesFound: string[] = [];
    for (const period of cyclePeriodsOf(data.kind, data.period)) {
      if ((await this.store.readStream(cycleStreamId(data.organizationId, period), { maxCount: 1 })).length > 0) cyclesFound.push(period);
    }
    return this.commands.handle(
      reportFilingDecider,
      streamIdOfReport(reportIdOf(data.organizationId, data.period, data.kind)),
      { type: 'FileReport', data, metadata },
      { organizationRegistered: organization.state.status === 'REGISTERED', cyclesFound },
    );
  }
}
