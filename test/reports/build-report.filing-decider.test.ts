import { REPORT_KINDS, isReportKind, periodProblem, reportIdOf, type ReportKind } from '../../src/reports/domain/report-document.js';
import { reportFilingDecider, streamIdOfReport, type FileReport, type ReportFiled, type ReportFilingContext } from '../../src/reports/domain/report-filing.decider.js';
import { commandsOf, deciderSpec, SPEC_METADATA } from '../support/decider-spec.js';

/** Filing a report with the regulator (备案): once per organization, period and kind. */

const spec = deciderSpec(reportFilingDecider);
const command = commandsOf<FileReport>();
const file = (kind: ReportKind, period: string, organizationId = 'bureau') => command('FileReport', { organizationId, period, kind });
const context = (cyclesFound: string[]): ReportFilingContext => ({ organizationRegistered: true, cyclesFound });

/** SPEC_METADATA.now is 2025-07-01T02:00Z, 10:00 in Shanghai. */
const filedQ2: ReportFiled = {
  type: 'ReportFiled',
  data: {
    reportId: 'bureau.2025Q2.QUARTERLY_FILING',
    organizationId: 'bureau',
    period: '2025Q2',
    kind: 'QUARTERLY_FILING',
    filedOn: '2025-07-01',
    filedBy: 'hr-001',
  },
};

describe('report filing decider', () => {
  it('files a report once, on the Shanghai date of the command, by its actor', () => {
    spec.given([]).when(file('QUARTERLY_FILING', '2025Q2'), context(['2025Q2'])).then([filedQ2]);
  });

  it('takes the filing date in Asia/Shanghai, not UTC', () => {
    const lateUtc = { ...file('ROSTER', '2025'), metadata: { ...SPEC_METADATA, now: '2026-01-14T16:30:00.000Z' } };
    const [event] = reportFilingDecider.decide(lateUtc, reportFilingDecider.initialState(), context(['2025']));
    expect(event.data).toMatchObject({ reportId: 'bureau.2025.ROSTER', filedOn: '2026-01-15' });
  });

  it('rejects a second filing: later changes reissue it as revisions', () => {
    spec
      .given([filedQ2])
      .when(file('QUARTERLY_FILING', '2025Q2'), context(['2025Q2']))
      .thenThrows('REPORT.ALREADY_FILED', {
        message: '平时考核结果备案表 for bureau 2025Q2 was filed on 2025-07-01',
        details: { reportId: 'bureau.2025Q2.QUARTERLY_FILING', filedOn: '2025-07-01' },
      });
  });

  it.each([
    ['QUARTERLY_FILING', '2025', '平时考核结果备案表 is filed for QUARTERLY or MONTHLY periods, not ANNUAL'],
    ['QUARTERLY_SUMMARY', '2025Q1', '公务员平时考核结果汇总表 is filed for ANNUAL periods, not QUARTERLY'],
    ['REGISTRATION_SUMMARY', '2025M03', '考核情况登记汇总表 is filed for ANNUAL periods, not MONTHLY'],
    ['ANNUAL_REGISTRATION', '2025Q4', '考核审核备案登记表 is filed for ANNUAL periods, not QUARTERLY'],
    ['SANCTIONED_LIST', '2025Q2', '优秀、基本称职、不称职及未定等次中受处分人员名单 is filed for ANNUAL periods, not QUARTERLY'],
    ['ROSTER', '2025Q5', 'period must be YYYY, YYYYQn or YYYYMmm, got "2025Q5"'],
  ] as const)('rejects %s for %s: %s', (kind, period, message) => {
    spec
      .given([])
      .when(file(kind, period), context([period]))
      .thenThrows('REPORT.PERIOD_NOT_ALLOWED', { message, details: { field: 'period', value: period, kind } });
    expect(periodProblem(kind, period)).toBe(message);
  });

  it('rejects an unknown kind', () => {
    spec
      .given([])
      .when(file('WEEKLY_FILING' as ReportKind, '2025Q2'), context(['2025Q2']))
      .thenThrows('VALIDATION.UNKNOWN_REPORT_KIND', { details: { field: 'kind', value: 'WEEKLY_FILING' } });
  });

  it('rejects an unknown organization', () => {
    spec
      .given([])
      .when(file('ROSTER', '2025Q2', 'nowhere'), { organizationRegistered: false, cyclesFound: [] })
      .thenThrows('ORGANIZATION.NOT_FOUND', { message: 'organization nowhere is not registered', details: { organizationId: 'nowhere' } });
  });

  it('rejects a period without an appraisal cycle', () => {
    spec
      .given([])
      .when(file('ANNUAL_REGISTRATION', '2025'), context([]))
      .thenThrows('REPORT.NO_CYCLE', {
        message: '考核审核备案登记表: organization bureau has no appraisal cycle for 2025',
        details: { organizationId: 'bureau', period: '2025', kind: 'ANNUAL_REGISTRATION' },
      });
  });

  it('files each kind for the period kinds of its form', () => {
    const allowed: [ReportKind, string][] = [
      ['QUARTERLY_FILING', '2025Q3'],
      ['QUARTERLY_FILING', '2025M07'],
      ['QUARTERLY_SUMMARY', '2025'],
      ['REGISTRATION_SUMMARY', '2025'],
      ['ANNUAL_REGISTRATION', '2025'],
      ['ROSTER', '2025Q1'],
      ['ROSTER', '2025M12'],
      ['ROSTER', '2025'],
      ['SANCTIONED_LIST', '2025'],
    ];
    for (const [kind, period] of allowed) {
      expect(periodProblem(kind, period)).toBeUndefined();
      const [event] = reportFilingDecider.decide(file(kind, period), reportFilingDecider.initialState(), context([period]));
      expect(event.data.reportId).toBe(`bureau.${period}.${kind}`);
    }
  });

  it('names reports and their streams by organization, period and kind', () => {
    expect(reportIdOf('bureau', '2025', 'ROSTER')).toBe('bureau.2025.ROSTER');
    expect(streamIdOfReport('bureau.2025.ROSTER')).toBe('report-bureau.2025.ROSTER');
    expect(Object.keys(REPORT_KINDS)).toEqual(['QUARTERLY_FILING', 'QUARTERLY_SUMMARY', 'REGISTRATION_SUMMARY', 'ANNUAL_REGISTRATION', 'ROSTER', 'SANCTIONED_LIST']);
    expect(isReportKind('ROSTER')).toBe(true);
    expect(isReportKind('toString')).toBe(false);
  });
});
