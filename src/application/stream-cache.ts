import type { RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { deepFreeze } from '../shared/deep-freeze.js';

/**
 * The events of the streams commands read lately, so that the next command on a stream reads from
 * the store only what was appended since. What is kept can never be out of date: the log is
 * append-only and a stream's revision n is written once, after n − 1 committed, so the events
 * kept are the stream's first revisions as they will always be; every read still asks the store
 * for the events after them (one round trip, for one stream or several), so the stream returned is the whole
 * stream as the store has it at that moment, exactly what a full read would return. Only events
 * read from the store are kept, frozen (every reader shares them). Bounded: when full, the stream
 * kept longest is forgotten first.
 */
export class StreamCache {
  private readonly streams = new Map<string, RecordedEvent[]>();

  constructor(
    private readonly store: EventStore,
    private readonly limit = 1000,
  ) {}

  /** Every event of the stream, oldest first (a new array the caller may keep). */
  async read(streamId: string): Promise<RecordedEvent[]> {
    return (await this.readMany([streamId]))[0];
  }

  /** Every event of each stream (distinct ids), as `read` returns it, in one round trip to the store. */
  async readMany(streamIds: string[]): Promise<RecordedEvent[][]> {
    const kept = streamIds.map((streamId) => this.streams.get(streamId));
    const after = await this.store.readStreams(streamIds.map((streamId, index) => ({ streamId, fromRevision: kept[index]?.length ?? 0 })));
    return Promise.all(streamIds.map((streamId, index) => this.continued(streamId, kept[index], after[index])));
  }

  /** The events kept of a stream, without asking the store (those it has may be more); undefined when none are kept. */
  kept(streamId: string): readonly RecordedEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** The stream: what is kept followed by what the store had after it. */
  private async continued(streamId: string, kept: RecordedEvent[] | undefined, after: RecordedEvent[]): Promise<RecordedEvent[]> {
    if (kept) {
      if (after.length === 0) return [...kept];
      if (after[0].streamRevision === kept.length) {
        const events = [...kept, ...after.map(deepFreeze)];
        this.keep(streamId, events);
        return [...events];
      }
      // Not the continuation of what is kept (the store was replaced under the service): read it all again.
      this.streams.delete(streamId);
      after = await this.store.readStream(streamId);
    }
    const events = after.map(deepFreeze);
    if (events.every((event, index) => event.streamRevision === index)) this.keep(streamId, events);
    return [...events];
  }

  private keep(streamId: string, events: RecordedEvent[]): void {
    // Full: the stream kept longest goes (a Map iterates in insertion order).
    if (!this.streams.has(streamId) && this.streams.size >= this.limit) this.streams.delete(this.streams.keys().next().value!);
    this.streams.set(streamId, events);
  }
}
