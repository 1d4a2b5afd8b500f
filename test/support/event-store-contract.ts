import { eventHash, GENESIS_HASH } from '../../src/event-store/event-hash.js';
import { START_OF_LOG } from '../../src/event-store/event.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { ApplicationError, VersionConflictError } from '../../src/shared/errors.js';
import { newEvent } from './events.js';

/** When the store under test stamps `recordedAt`. */
export const CONTRACT_CLOCK = () => new Date('2025-04-08T02:00:00.123Z');

/**
 * The behaviour every event store must show behind the port, run against each adapter: appends
 * with an expected revision, the per-stream hash chain, idempotent event ids, command lookup,
 * metadata round trip, and the global order read in batches from a checkpoint.
 */
export function describeEventStoreContract(label: string, open: () => Promise<{ store: EventStore; close(): Promise<void> }>): void {
  describe(`${label}: the event store contract`, () => {
    let store: EventStore;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close());

    it('appends a new stream from revision 0 with hashes chained through the stream, and reads it back', async () => {
      const events = [newEvent(), newEvent({ type: 'CommentWritten', data: { personId: 'p-1', text: '工作扎实' } })];
      const result = await store.appendToStream('appraisal-org1.p1.2025Q1', 'no_stream', events);

      expect(result.nextExpectedRevision).toBe(1);
      expect(result.deduplicated).toBe(false);
      expect(result.events.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
      const stored = await store.readStream('appraisal-org1.p1.2025Q1');
      expect(stored.map((event) => [event.streamRevision, event.type])).toEqual([
        [0, 'ScoreRecorded'],
        [1, 'CommentWritten'],
      ]);
      expect(stored[0].recordedAt).toBe('2025-04-08T02:00:00.123Z');
      expect(stored[0].hash).toBe(eventHash(GENESIS_HASH, stored[0]));
      expect(stored[1].hash).toBe(eventHash(stored[0].hash, stored[1]));
      expect(stored[1].data).toEqual({ personId: 'p-1', text: '工作扎实' });
      expect(result.events).toEqual(stored);
    });

    it('keeps every metadata field and the schema version', async () => {
      const event = newEvent({ schemaVersion: 2 });
      event.metadata = { ...event.metadata, correlationId: 'corr-1', causationId: 'cause-1', effectiveAt: '2025-03-31', ruleSetId: 'national-current' };
      await store.appendToStream('person-meta', 'no_stream', [event]);
      const [stored] = await store.readStream('person-meta');
      expect(stored.metadata).toEqual(event.metadata);
      expect(stored.schemaVersion).toBe(2);
      expect(stored.eventId).toBe(event.eventId);
    });

    it('reads part of a stream from a revision, and a missing stream as empty', async () => {
      await store.appendToStream('cycle-org1.2025Q2', 'no_stream', [newEvent(), newEvent(), newEvent(), newEvent()]);
      expect((await store.readStream('cycle-org1.2025Q2', { fromRevision: 1, maxCount: 2 })).map((event) => event.streamRevision)).toEqual([1, 2]);
      expect(await store.readStream('cycle-never-opened')).toEqual([]);
    });

    it('reads several streams at once, each from its own revision, in the order asked, as readStream reads each', async () => {
      await store.appendToStream('person-many-a', 'no_stream', [newEvent(), newEvent(), newEvent()]);
      await store.appendToStream('person-many-b', 'no_stream', [newEvent(), newEvent()]);
      const [b, missing, a] = await store.readStreams([
        { streamId: 'person-many-b', fromRevision: 0 },
        { streamId: 'person-many-never', fromRevision: 0 },
        { streamId: 'person-many-a', fromRevision: 1 },
      ]);
      expect(b).toEqual(await store.readStream('person-many-b'));
      expect(missing).toEqual([]);
      expect(a).toEqual(await store.readStream('person-many-a', { fromRevision: 1 }));
      expect(a.map((event) => event.streamRevision)).toEqual([1, 2]);
    });

    it('rejects a wrong expected revision with VERSION_CONFLICT naming both revisions', async () => {
      await store.appendToStream('cycle-org1.2025Q1', 'no_stream', [newEvent()]);
      await expect(store.appendToStream('cycle-org1.2025Q1', 'no_stream', [newEvent()])).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.appendToStream('cycle-org1.2025Q1', 5, [newEvent()])).rejects.toMatchObject({
        code: 'VERSION_CONFLICT',
        details: { streamId: 'cycle-org1.2025Q1', expected: '5', actual: '0' },
      });
      expect(await store.readStream('cycle-org1.2025Q1')).toHaveLength(1);
    });

    it('lets exactly one of two writers with the same expected revision win', async () => {
      await store.appendToStream('case-race', 'no_stream', [newEvent()]);
      const outcomes = await Promise.allSettled([store.appendToStream('case-race', 0, [newEvent()]), store.appendToStream('case-race', 0, [newEvent()])]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect((outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      const stored = await store.readStream('case-race');
      expect(stored).toHaveLength(2);
      expect(stored[1].hash).toBe(eventHash(stored[0].hash, stored[1]));
    });

    it('treats a re-append of the same event ids as a no-op returning the original events', async () => {
      const events = [newEvent(), newEvent()];
      const first = await store.appendToStream('person-p9', 'no_stream', events);
      const again = await store.appendToStream('person-p9', 'no_stream', events);

      expect(again.deduplicated).toBe(true);
      expect(again.events.map((event) => [event.eventId, event.globalPosition])).toEqual(first.events.map((event) => [event.eventId, event.globalPosition]));
      expect(await store.readStream('person-p9')).toHaveLength(2);
    });

    it('refuses event ids already in the stream mixed with new ones', async () => {
      const event = newEvent();
      await store.appendToStream('person-p10', 'no_stream', [event]);
      await expect(store.appendToStream('person-p10', 0, [event, newEvent()])).rejects.toBeInstanceOf(ApplicationError);
      expect(await store.readStream('person-p10')).toHaveLength(1);
    });

    it('finds the events of a command on its stream by the command id', async () => {
      const first = newEvent();
      const second = newEvent({ metadata: first.metadata });
      await store.appendToStream('person-p12', 'any', [newEvent()]);
      await store.appendToStream('person-p12', 'any', [first, second]);
      await store.appendToStream('person-p12', 'any', [newEvent()]);
      const found = await store.readByCommandId(first.metadata.commandId, 'person-p12');
      expect(found.map((recorded) => recorded.eventId)).toEqual([first.eventId, second.eventId]);
      expect(await store.readByCommandId('never-seen', 'person-p12')).toEqual([]);
    });

    it('reads the global order in batches from a checkpoint, strictly after it', async () => {
      const all = await store.readAll(START_OF_LOG, 1000);
      expect(all.length).toBeGreaterThan(10);
      const firstTwo = await store.readAll(START_OF_LOG, 2);
      const rest = await store.readAll(firstTwo[1].position, 1000);
      expect([...firstTwo, ...rest].map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));
      const positions = all.map((event) => event.globalPosition);
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(await store.countAfter(firstTwo[1].position)).toBe(rest.length);
      expect(await store.lastGlobalPosition()).toBe(all[all.length - 1].globalPosition);
      expect(await store.readAll(all[all.length - 1].position, 10)).toEqual([]);
    });

    it('takes events recorded elsewhere as they are, and refuses ones that do not chain from the head', async () => {
      const recordedAt = '2024-12-31T16:00:00.000Z';
      let previous = GENESIS_HASH;
      const copied = [newEvent(), newEvent(), newEvent()].map((event, index) => {
        const content = { ...event, streamId: 'person-copied', streamRevision: index, recordedAt };
        previous = eventHash(previous, content);
        return { ...content, hash: previous, globalPosition: 0n, position: START_OF_LOG };
      });
      const tampered = { ...copied[2], data: { ...copied[2].data, points: 99 } };
      await expect(store.appendRecorded('person-copied', [copied[1]])).rejects.toMatchObject({ code: 'INTEGRITY.CHAIN_BROKEN' });

      await store.appendRecorded('person-copied', copied.slice(0, 2));
      await expect(store.appendRecorded('person-copied', [tampered])).rejects.toMatchObject({ code: 'INTEGRITY.CHAIN_BROKEN' });
      await store.appendRecorded('person-copied', [copied[2]]);
      const stored = await store.readStream('person-copied');
      expect(stored.map(({ eventId, streamRevision, recordedAt: at, hash, data, metadata }) => ({ eventId, streamRevision, recordedAt: at, hash, data, metadata }))).toEqual(
        copied.map(({ eventId, streamRevision, recordedAt: at, hash, data, metadata }) => ({ eventId, streamRevision, recordedAt: at, hash, data, metadata })),
      );
      expect((await store.appendRecorded('person-copied', [copied[2]])).deduplicated).toBe(true);
    });

    it('wakes a waiting follower when an event is appended', async () => {
      const waiting = store.waitForAppends(5000);
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.appendToStream('person-wake', 'no_stream', [newEvent()]);
      await waiting;
      expect(Date.now() - started).toBeLessThan(4000);
    });
  });
}
