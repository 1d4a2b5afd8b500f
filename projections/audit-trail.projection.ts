import type { RecordedEvent } from '../src/event-store/event.js';
import type { PureProjection, SqlStatement } from '../src/projection/projection.js';

function textField(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

/** audit_trail: one row per event, by stream, person, actor and time, for inspection queries. */
export const auditTrailProjection: PureProjection = {
  name: 'audit_trail',
  version: 1,
  tables: ['audit_trail'],
  handle(event: RecordedEvent): SqlStatement[] {
    const { actor } = event.metadata;
    return [
      {
        text: `INSERT INTO audit_trail (global_position, event_id, stream_id, stream_revision, event_type, person_id,
                 organization_id, actor_id, actor_role, actor_organization_id, command_id, correlation_id,
                 recorded_at, effective_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        values: [
          event.globalPosition.toString(),
          event.eventId,
          event.streamId,
          event.streamRevision,
          event.type,
          textField(event.data, 'personId'),
          textField(event.data, 'organizationId'),
          actor.id,
          actor.role,
          actor.organizationId,
          event.metadata.commandId,
          event.metadata.correlationId,
          event.recordedAt,
          event.metadata.effectiveAt,
        ],
      },
    ];
  },
};
