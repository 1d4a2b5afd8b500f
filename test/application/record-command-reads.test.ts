import { AppraisalService } from '../../src/application/appraisal-service.js';
import type { RecordCommand } from '../../src/appraisal/domain/record.decider.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';
import { CommandHandler } from '../../src/command/command-handler.js';
import type { CommandMetadata } from '../../src/command/decider.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let sequence = 0;

const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };
const COMMITTEE = { id: 'committee-1', role: 'COMMITTEE', organizationId: 'bureau' };
const nationalCurrent = loadPresetRuleSets().find((document) => document.id === 'national-current')!;
const indicators = nationalCurrent.scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;
const fullMarks = indicators.map((indicator) => ({ indicatorId: indicator.id, points: indicator.points }));

function meta(date = '2025-07-01', actor = HR): CommandMetadata {
  sequence += 1;
  return { commandId: `reads-${sequence}`, actor, now: `${date}T02:00:00.000Z` };
}

function on<T extends RecordCommand['type']>(type: T, data: Extract<RecordCommand, { type: T }>['data']) {
  return { type, data, metadata: meta('2025-07-01', COMMITTEE) } as Extract<RecordCommand, { type: T }>;
}

/** A service instance of its own: its own store object (stream heads) and its own stream cache, as a second process has. */
function instance(): { store: PostgresEventStore; service: AppraisalService; reads: { streams: string[][] } } {
  const store = new PostgresEventStore(database.pool);
  const reads = { streams: [] as string[][] };
  const readStream = store.readStream.bind(store);
  const readStreams = store.readStreams.bind(store);
  store.readStream = (streamId, options) => {
    reads.streams.push([streamId]);
    return readStream(streamId, options);
  };
  store.readStreams = (requests) => {
    reads.streams.push(requests.map((request) => request.streamId));
    return readStreams(requests);
  };
  return { store, service: new AppraisalService(store, new CommandHandler(store), officialCalendar()), reads };
}

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 10 });
  const { service } = instance();
  await service.publishRuleSet(nationalCurrent, meta());
  await service.registerOrganization({ organizationId: 'bureau', name: '市统计局', kind: 'ORGAN' }, meta());
  await service.registerOrganization({ organizationId: 'office', name: '综合科', kind: 'UNIT', parentId: 'bureau' }, meta());
  await service.adoptRuleSet('bureau', { year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 }, meta());
  for (const personId of ['p1', 'p2']) {
    await service.personCommand(personId, {
      type: 'RegisterPerson',
      data: { personId, name: personId, category: 'CIVIL_SERVANT', organizationId: 'office', position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2019-01-01' },
      metadata: meta(),
    });
  }
  await service.openCycle({ organizationId: 'bureau', period: '2025Q2', personIds: ['p1', 'p2'] }, meta());
});

afterAll(async () => {
  await database.drop();
});

describe('a command on a record the service has read before', () => {
  it('reads the record, the person and, for a grade, the cycle in one round trip, and sees what another instance appended to the person meanwhile', async () => {
    const first = instance();
    const second = instance();
    const recordId = 'bureau.p1.2025Q2';
    await first.service.recordCommand(recordId, on('RecordScores', { raterId: 'head-1', raterRole: 'UNIT_HEAD', scores: fullMarks }));
    await first.service.recordCommand(recordId, on('ProposeGrade', { grade: 'FAIRLY_GOOD', reason: '' }));

    first.reads.streams = [];
    await first.service.recordCommand(recordId, on('ReviewProposal', { agrees: true, reason: '' }));
    expect(first.reads.streams).toEqual([[`appraisal-${recordId}`, 'person-p1']]);

    // Another instance opens an investigation of p1: the first instance has p1's stream kept from before it.
    await second.service.openCase({ caseId: 'case-1', personId: 'p1', openedOn: '2025-06-20', authority: '纪委监委' }, meta('2025-06-20'));

    first.reads.streams = [];
    // Decided on the person's stream as it is now: a grade is refused for the open investigation.
    await expect(first.service.recordCommand(recordId, on('DetermineGrade', { grade: 'FAIRLY_GOOD' }))).rejects.toThrow(/under investigation \(case case-1/);
    expect(first.reads.streams[0]).toEqual([`appraisal-${recordId}`, 'person-p1', 'cycle-bureau.2025Q2']);
    expect(first.reads.streams.filter((streams) => streams.includes('person-p1'))).toHaveLength(1);
  });

  it('reads the record alone the first time (its person is not known before its first event is read)', async () => {
    const fresh = instance();
    await fresh.service.recordCommand('bureau.p2.2025Q2', on('RecordScores', { raterId: 'head-1', raterRole: 'UNIT_HEAD', scores: fullMarks }));
    expect(fresh.reads.streams[0]).toEqual(['appraisal-bureau.p2.2025Q2']);
    expect(fresh.reads.streams).toContainEqual(['person-p2']);
  });
});
