import { startTransportFloor, type TransportFloor } from '../../scripts/bench/transport-floor.js';

/**
 * The transport floor answers the command path's mutations with the service's schema and without
 * the service: an outcome made from the input, after graphql's own checks of the variables.
 */
let floor: TransportFloor;

beforeAll(async () => {
  floor = await startTransportFloor(['recordScores', 'recordLeave']);
});

afterAll(() => floor.close());

async function post(query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, any>; errors?: { message: string }[] }> {
  const response = await fetch(floor.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
}

const RECORD_SCORES = `mutation Run($input: RecordScoresInput!) {
  recordScores(input: $input) { commandId streamId replayed events { eventId streamId streamRevision globalPosition type recordedAt } }
}`;

it('answers each mutation the clients send with an outcome made from its input', async () => {
  const before = floor.answered();
  const answer = await post(RECORD_SCORES, {
    input: { commandId: 'c-1', recordId: 'org1.p1.2025Q2', raterId: 'p2', raterRole: 'SUPERIOR', scores: [{ indicatorId: 'i1', points: 10 }] },
  });

  expect(answer.errors).toBeUndefined();
  expect(answer.data!.recordScores).toMatchObject({ commandId: 'c-1', streamId: 'org1.p1.2025Q2', replayed: false });
  expect(answer.data!.recordScores.events).toHaveLength(1);
  expect(answer.data!.recordScores.events[0]).toMatchObject({ streamId: 'org1.p1.2025Q2', type: 'FloorAnswered' });
  expect(floor.answered()).toBe(before + 1);

  const leave = await post('mutation Run($input: RecordLeaveInput!) { recordLeave(input: $input) { streamId events { eventId } } }', {
    input: { personId: 'p1', kind: 'STATUTORY', from: '2026-01-05', to: '2026-01-06' },
  });
  expect(leave.errors).toBeUndefined();
  expect(leave.data!.recordLeave.streamId).toBe('person-p1');
});

it('checks the variables against the service schema as the service does, before answering', async () => {
  const before = floor.answered();
  const answer = await post(RECORD_SCORES, { input: { recordId: 'org1.p1.2025Q2', raterId: 'p2', raterRole: 'NOT_A_ROLE', scores: [] } });

  expect(answer.data ?? null).toBeNull();
  expect(answer.errors?.[0].message).toMatch(/raterRole|RaterRole/);
  expect(floor.answered()).toBe(before);
});
