import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import { shanghaiDate } from '../../shared/business-date.js';
import { ApplicationError } from '../../shared/errors.js';
import { REPORT_KINDS, periodProblem, reportIdOf, type ReportKind } from './report-document.js';

/** HR files a report with the regulator (备案); the projection computes it and reissues it on change. */
export type FileReport = Command<'FileReport', { organizationId: string; period: string; kind: ReportKind }>;

export type ReportFiled = DecidedEvent<
  'ReportFiled',
  { reportId: string; organizationId: string; period: string; kind: ReportKind; filedOn: string; filedBy: string }
>;

export type ReportFilingState = { status: 'NOT_FILED' } | { status: 'FILED'; filedOn: string };

/** What the caller checked in other streams before filing. */
export interface ReportFilingContext {
  organizationRegistered: boolean;
  /** The periods among those the report draws on for which the organization opened a cycle. */
  cyclesFound: string[];
}

export const streamIdOfReport = (reportId: string): string => `report-${reportId}`;

const fail = (code: string, message: string, details: Record<string, unknown> = {}) => new ApplicationError(code, message, details);

export const reportFilingDecider: Decider<FileReport, ReportFiled, ReportFilingState, ReportFilingContext> = {
  initialState: () => ({ status: 'NOT_FILED' }),
  decide(command, state, context) {
    const { organizationId, period, kind } = command.data;
    if (!Object.hasOwn(REPORT_KINDS, kind)) {
      throw fail('VALIDATION.UNKNOWN_REPORT_KIND', `kind must be one of ${Object.keys(REPORT_KINDS).join(', ')}`, { field: 'kind', value: kind });
    }
    const problem = periodProblem(kind, period);
    if (problem) throw fail('REPORT.PERIOD_NOT_ALLOWED', problem, { field: 'period', value: period, kind });
    if (!context.organizationRegistered) throw fail('ORGANIZATION.NOT_FOUND', `organization ${organizationId} is not registered`, { organizationId });
    if (context.cyclesFound.length === 0) {
      throw fail('REPORT.NO_CYCLE', `${REPORT_KINDS[kind].title}: organization ${organizationId} has no appraisal cycle for ${period}`, { organizationId, period, kind });
    }
    if (state.status === 'FILED') {
      throw fail('REPORT.ALREADY_FILED', `${REPORT_KINDS[kind].title} for ${organizationId} ${period} was filed on ${state.filedOn}; later changes reissue it as new revisions`, {
        reportId: reportIdOf(organizationId, period, kind),
        filedOn: state.filedOn,
      });
    }
    return [
      {
        type: 'ReportFiled',
        data: { reportId: reportIdOf(organizationId, period, kind), organizationId, period, kind, filedOn: shanghaiDate(command.metadata.now), filedBy: command.metadata.actor.id },
      },
    ];
  },
  evolve(_state, event) {
    return { status: 'FILED', filedOn: event.data.filedOn };
  },
};
