import { foldEvents } from '../command/command-handler.js';
import type { DecidedEvent, Decider } from '../command/decider.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';

/** A stream's current state and the events it came from. */
export async function loadStream<E extends DecidedEvent, S>(
  store: EventStore,
  decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
  streamId: string,
): Promise<{ state: S; events: RecordedEvent[] }> {
  const events = await store.readStream(streamId);
  return { state: foldEvents(decider, events), events };
}
