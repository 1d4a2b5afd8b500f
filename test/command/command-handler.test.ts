import { randomUUID } from 'node:crypto';
import { CommandHandler } from '../../src/command/command-handler.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { VersionConflictError } from '../../src/shared/errors.js';
import { TEST_ACTOR } from '../support/events.js';
import { scoreSheetDecider, type RecordScore } from '../support/score-sheet.decider.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 30 });
  store = new PostgresEventStore(database.pool);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

function recordScore(indicator: string, points: number, commandId = randomUUID()): RecordScore {
  return {
    type: 'RecordScore',
    data: { indicator, points },
    metadata: { commandId, actor: TEST_ACTOR, now: '2025-04-07T16:30:00.000Z', correlationId: 'cycle-open-1' },
  };
}

describe('command path', () => {
  it('stamps every event with ids, actor, correlation, causation and the Asia/Shanghai business date', async () => {
    const handler = new CommandHandler(store);
    const command = recordScore('quality', 18);
    const result = await handler.handle(scoreSheetDecider, 'sheet-1', command, undefined);

    expect(result.replayed).toBe(false);
    expect(result.events).toHaveLength(1);
    expect(result.events[0].metadata).toEqual({
      commandId: command.metadata.commandId,
      actor: TEST_ACTOR,
      correlationId: 'cycle-open-1',
      causationId: command.metadata.commandId,
      effectiveAt: '2025-04-08',
    });
  });

  it('returns the domain error and appends nothing when decide rejects', async () => {
    const handler = new CommandHandler(store);
    await handler.handle(scoreSheetDecider, 'sheet-2', recordScore('quality', 18), undefined);
    await expect(handler.handle(scoreSheetDecider, 'sheet-2', recordScore('quality', 12), undefined)).rejects.toMatchObject({
      code: 'SCORE.ALREADY_RECORDED',
    });
    expect(await store.readStream('sheet-2')).toHaveLength(1);
  });

  it('two commands racing on one stream from the same revision: one wins, the other retries, nothing is lost', async () => {
    const handler = new CommandHandler(store);
    await handler.handle(scoreSheetDecider, 'sheet-3', recordScore('attendance', 5), undefined);

    const results = await Promise.all([
      handler.handle(scoreSheetDecider, 'sheet-3', recordScore('quality', 18), undefined),
      handler.handle(scoreSheetDecider, 'sheet-3', recordScore('efficiency', 9), undefined),
    ]);

    const stream = await store.readStream('sheet-3');
    expect(stream.map((event) => event.streamRevision)).toEqual([0, 1, 2]);
    expect(stream.map((event) => event.data.indicator).sort()).toEqual(['attendance', 'efficiency', 'quality']);
    expect(results.flatMap((result) => result.events.map((event) => event.streamRevision)).sort()).toEqual([1, 2]);
  });

  it('without retries the loser of the race gets VERSION_CONFLICT and its event is not written', async () => {
    const handler = new CommandHandler(store, { maxAttempts: 1 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) => handler.handle(scoreSheetDecider, 'sheet-4', recordScore(`indicator-${index}`, index), undefined)),
    );
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    const successes = outcomes.filter((outcome) => outcome.status === 'fulfilled');

    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    expect(await store.readStream('sheet-4')).toHaveLength(successes.length);
  });

  it('one command id submitted 100 times concurrently appends one set of events and returns it every time', async () => {
    const handler = new CommandHandler(store);
    const command = recordScore('quality', 18);
    const results = await Promise.all(Array.from({ length: 100 }, () => handler.handle(scoreSheetDecider, 'sheet-5', command, undefined)));

    const stream = await store.readStream('sheet-5');
    expect(stream).toHaveLength(1);
    const eventIds = new Set(results.flatMap((result) => result.events.map((event) => event.eventId)));
    expect([...eventIds]).toEqual([stream[0].eventId]);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
  });

  it('a command id seen before returns the first result even after the stream moved on', async () => {
    const handler = new CommandHandler(store);
    const first = recordScore('quality', 18);
    const original = await handler.handle(scoreSheetDecider, 'sheet-6', first, undefined);
    await handler.handle(scoreSheetDecider, 'sheet-6', recordScore('attendance', 4), undefined);

    const again = await handler.handle(scoreSheetDecider, 'sheet-6', first, undefined);
    expect(again.replayed).toBe(true);
    expect(again.events.map((event) => event.eventId)).toEqual(original.events.map((event) => event.eventId));
    expect(await store.readStream('sheet-6')).toHaveLength(2);
  });
});
