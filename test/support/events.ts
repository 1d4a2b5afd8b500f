import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../../src/event-store/event.js';

export const TEST_ACTOR = { id: 'hr-001', role: 'HR', organizationId: 'org-1' };

/** A well-formed event for store tests; fields can be overridden. */
export function newEvent(overrides: Partial<NewEvent> & { data?: Record<string, unknown> } = {}): NewEvent {
  const commandId = overrides.metadata?.commandId ?? randomUUID();
  return {
    eventId: overrides.eventId ?? randomUUID(),
    type: overrides.type ?? 'ScoreRecorded',
    schemaVersion: overrides.schemaVersion ?? 1,
    data: overrides.data ?? { personId: 'p-1', indicator: 'quality', points: 18 },
    metadata: overrides.metadata ?? {
      commandId,
      actor: TEST_ACTOR,
      correlationId: commandId,
      causationId: commandId,
      effectiveAt: '2025-04-01',
    },
  };
}

/** An event as a read of the log returns it, at `position` (also its revision), for tests of what consumes events. */
export function recordedEvent(streamId: string, position: number, type: string, data: Record<string, unknown>): RecordedEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId,
    streamRevision: position,
    globalPosition: BigInt(position),
    position: { major: 1n, minor: BigInt(position) },
    type,
    schemaVersion: 1,
    data,
    metadata: { commandId: `c-${position}`, actor: TEST_ACTOR, correlationId: `c-${position}`, causationId: `c-${position}`, effectiveAt: '2025-10-10' },
    recordedAt: '2025-10-10T02:00:00.000Z',
    hash: '0'.repeat(64),
  };
}
