import type { RecordedEvent } from '../event-store/event.js';
import type { Event } from './schema.types.js';

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
