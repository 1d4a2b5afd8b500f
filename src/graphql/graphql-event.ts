import type { RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { Event, EventConnection } from './schema.types.js';

/** A recorded event as the `Event` type shows it. */
export function toGraphQLEvent(event: RecordedEvent): Event {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    globalPosition: event.globalPosition.toString(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { ...event.metadata, ruleSetId: event.metadata.ruleSetId ?? null },
    recordedAt: event.recordedAt,
    hash: event.hash,
  };
}

/** One page of a stream, oldest first; the cursor is the stream revision of the page's last event. */
export async function streamPage(store: EventStore, streamId: string, after: string | null | undefined, first: number): Promise<EventConnection> {
  const fromRevision = after === undefined || after === null ? 0 : Number(after) + 1;
  const events = await store.readStream(streamId, { fromRevision, maxCount: first + 1 });
  const page = events.slice(0, first);
  return {
    edges: page.map((event) => ({ cursor: String(event.streamRevision), node: toGraphQLEvent(event) })),
    pageInfo: {
      endCursor: page.length ? String(page[page.length - 1].streamRevision) : (after ?? null),
      hasNextPage: events.length > first,
    },
  };
}
