import { HR, registerUnit } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

let service: GraphQLTestApp;

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
});
afterAll(async () => {
  await service.close();
});

const assessmentId = 'bureau.2025.training-work-checklist';
const UNIT_QUERY = `query Unit($assessmentId: String!) {
  unitAssessment(assessmentId: $assessmentId) {
    assessmentId status ruleSetId ruleSetVersion
    result { result label score eventId steps { kind kindLabel explanation inputs { eventId globalPosition } } }
  }
}`;

describe('an organization as the subject of an assessment, over GraphQL', () => {
  it('scores the training-work checklist, adds a capped bonus and bands the total with its trace', async () => {
    service.today('2025-12-10');
    await service.mutate('openUnitAssessment', { organizationId: 'bureau', year: 2025, schemeId: 'training-work-checklist', scaleId: 'task-completion' }, HR);
    const refused = await service.refusal(
      'recordUnitScores',
      { assessmentId, raterId: 'training-office', scores: [{ indicatorId: 'training-delivery', points: 50 }] },
      HR,
    );
    expect(refused.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'scores.0.points', allowed: '0 to 45' }] });

    const scores = await service.mutate(
      'recordUnitScores',
      {
        assessmentId,
        raterId: 'training-office',
        scores: [
          { indicatorId: 'organization-and-planning', points: 13 },
          { indicatorId: 'training-delivery', points: 40 },
          { indicatorId: 'resources-and-funding', points: 18 },
          { indicatorId: 'evaluation-and-effect', points: 16 },
        ],
      },
      HR,
    );
    expect((await service.refusal('determineUnitResult', { assessmentId: 'bureau.2024.training-work-checklist' }, HR)).extensions.code).toBe('NOT_FOUND');
    await service.mutate('recordUnitBonus', { assessmentId, matter: '全省干部教育培训竞赛二等奖', points: 4, basis: '省委组织部通报' }, HR);
    await service.mutate('determineUnitResult', { assessmentId }, HR);

    const { unitAssessment } = await service.query(UNIT_QUERY, { assessmentId });
    expect(unitAssessment).toMatchObject({ status: 'DETERMINED', ruleSetId: 'national-current', result: { result: 'COMPLETED', label: '完成', score: 91 } });
    expect(unitAssessment.result.steps.map((step: { kindLabel: string }) => step.kindLabel)).toEqual(['量化评分', '分数段对应等次']);
    expect(unitAssessment.result.steps[0].inputs).toContainEqual({ eventId: scores.events[0].eventId, globalPosition: scores.events[0].globalPosition });
  });
});
