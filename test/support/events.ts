import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-store/event.js';

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
