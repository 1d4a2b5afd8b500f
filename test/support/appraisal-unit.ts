import type { GraphQLTestApp } from './graphql-app.js';

/** The actors of a unit's appraisal: each request carries a bearer token naming one (id, role, organization). */
export const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
export const UNIT_HEAD = { id: 'head-1', role: 'UNIT_HEAD', organizationId: 'office' };
export const LEADER = { id: 'leader-1', role: 'SUPERVISING_LEADER', organizationId: 'bureau' };
export const COMMITTEE = { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' };
export const INSPECTOR = { id: 'inspector-1', role: 'DISCIPLINE_INSPECTION', organizationId: 'bureau' };
export const personActor = (personId: string) => ({ id: personId, role: 'APPRAISED', organizationId: 'office' });

/** The ten people of 综合科; p10 joined on 2025-03-01 and is on probation for a year. */
export const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10'];
export const GRADED = PEOPLE.slice(0, 9);
export const ON_PROBATION = 'p10';
const NAMES = ['王芳', '李强', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴婷'];

export const recordId = (personId: string, period: string) => `bureau.${personId}.${period}`;

/**
 * 市统计局 (an organ) with 综合科 (a unit) under the national-current preset for 2025, and the
 * unit's ten people.
 */
export async function registerUnit(service: GraphQLTestApp): Promise<void> {
  service.today('2025-03-03');
  await service.mutate('publishPresetRuleSet', { id: 'national-current' }, HR);
  await service.mutate('registerOrganization', { organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, HR);
  await service.mutate('registerOrganization', { organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, HR);
  await service.mutate('adoptRuleSet', { organizationId: 'bureau', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, HR);
  for (const [index, personId] of PEOPLE.entries()) {
    const joined = personId === ON_PROBATION ? '2025-03-01' : '2018-09-01';
    await service.mutate(
      'registerPerson',
      { personId, name: NAMES[index], category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: joined },
      HR,
    );
  }
  await service.mutate('startProbation', { personId: ON_PROBATION, startDate: '2025-03-01', endDate: '2026-02-28' }, HR);
}

export interface Indicator {
  id: string;
  label: string;
  points: number;
}

/** The five-element scheme's indicators, read from the published rule set. */
export async function fiveElementIndicators(service: GraphQLTestApp): Promise<Indicator[]> {
  const { ruleSet } = await service.query('{ ruleSet(id: "national-current", version: 1) }');
  return ruleSet.scoringSchemes.find((scheme: { id: string }) => scheme.id === 'five-element-100').indicators;
}

/** Every indicator scored at `total` percent of its points: the sheet sums to `total` out of 100. */
export function scoreSheet(indicators: Indicator[], total: number): { indicatorId: string; points: number }[] {
  return indicators.map((indicator) => ({ indicatorId: indicator.id, points: (indicator.points * total) / 100 }));
}

export function attendance(daysPresent: number) {
  return { daysPresent, sickLeaveDays: 0, personalLeaveDays: 0, lateCount: 0, earlyLeaveCount: 0, trainings: ['统计法规培训'] };
}
