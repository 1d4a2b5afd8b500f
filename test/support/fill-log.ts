import type { EventStore } from '../../src/event-store/event-store.port.js';
import { newEvent } from './events.js';

/** Appends `count` events spread round-robin over `streams` new streams, one append per event. */
export async function fillLog(store: EventStore, count: number, streams = 5, period = '2025Q1'): Promise<void> {
  const revisions = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const streamId = `appraisal-org1.p${index % streams}.${period}`;
    const revision = revisions.get(streamId);
    await store.appendToStream(streamId, revision ?? 'no_stream', [
      newEvent({ data: { personId: `p${index % streams}`, indicator: `indicator-${index}`, points: index % 20 } }),
    ]);
    revisions.set(streamId, (revision ?? -1) + 1);
  }
}
