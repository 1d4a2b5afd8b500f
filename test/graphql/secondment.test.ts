import { COMMITTEE, HR, recordId, registerUnit } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

let service: GraphQLTestApp;

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
});
afterAll(async () => {
  await service.close();
});

const RECORD_QUERY = `query Record($recordId: String!) {
  appraisalRecord(recordId: $recordId) { status participation { outcome appraisedBy reason } outcome { grade label } }
}`;

describe('a seconded person is appraised by the receiving organization and the result is sent home', () => {
  it('refuses a home determination and takes the receiving organization\'s result as final', async () => {
    service.today('2025-06-20');
    await service.mutate('startSecondment', { personId: 'p3', receivingOrganizationId: 'province-office', from: '2025-07-01', to: '2025-12-31' }, HR);
    await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q3', personIds: ['p1', 'p2', 'p3'] }, HR);
    const seconded = recordId('p3', '2025Q3');

    const { appraisalRecord } = await service.query(RECORD_QUERY, { recordId: seconded });
    expect(appraisalRecord.participation).toMatchObject({ outcome: 'GRADED', appraisedBy: 'province-office' });

    service.today('2025-10-09');
    expect((await service.refusal('determineGrade', { recordId: seconded, grade: 'GOOD' }, COMMITTEE)).extensions).toMatchObject({
      code: 'APPRAISAL.APPRAISED_ELSEWHERE',
      appraisedBy: 'province-office',
    });
    await service.mutate('recordReceivingOrganizationResult', { recordId: seconded, receivingOrganizationId: 'province-office', grade: 'GOOD', document: '考核结果反馈函〔2025〕12号' }, HR);
    const after = await service.query(RECORD_QUERY, { recordId: seconded });
    expect(after.appraisalRecord).toMatchObject({ status: 'FINAL', outcome: { grade: 'GOOD', label: '好' } });
  });
});
