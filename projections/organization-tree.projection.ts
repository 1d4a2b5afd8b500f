import type { RecordedEvent } from '../src/event-store/event.js';
import type { OrganizationEvent } from '../src/organization/domain/organization.decider.js';
import type { PureProjection, SqlStatement } from '../src/projection/projection.js';

/** An organization's stream is `organization-<organizationId>`. */
export const ORGANIZATION_STREAM_PREFIX = 'organization-';

type OrganizationEventData<Type extends OrganizationEvent['type']> = Extract<OrganizationEvent, { type: Type }>['data'];

/**
 * A child's ancestors are its parent's ancestors and the parent, read from the parent's row: the
 * decider registers a child only under a registered parent, so the parent's row is already there.
 * Should it be missing all the same, the child still records its parent as its one ancestor.
 */
function registered(data: OrganizationEventData<'OrganizationRegistered'>): SqlStatement {
  return {
    text: `INSERT INTO organization_tree (organization_id, name, kind, parent_id, ancestor_ids)
           SELECT $1, $2, $3, $4::text,
                  CASE WHEN $4::text IS NULL THEN '{}'::text[]
                       ELSE COALESCE((SELECT parent.ancestor_ids FROM organization_tree parent WHERE parent.organization_id = $4::text), '{}'::text[])
                            || $4::text
                  END
           ON CONFLICT (organization_id) DO UPDATE
             SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id, ancestor_ids = excluded.ancestor_ids`,
    values: [data.organizationId, data.name, data.kind, data.parentId ?? null],
  };
}

/**
 * organization_tree: one row per registered organization with its current name, its kind, its
 * parent and its ancestors (root first), so that inspection queries select a subtree with one
 * indexed predicate. Organizations are never moved, so a registration fixes a row's ancestors.
 */
export const organizationTreeProjection: PureProjection = {
  name: 'organization_tree',
  version: 1,
  tables: ['organization_tree'],
  handle(event: RecordedEvent): SqlStatement[] {
    if (!event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX)) return [];
    switch (event.type as OrganizationEvent['type']) {
      case 'OrganizationRegistered':
        return [registered(event.data as OrganizationEventData<'OrganizationRegistered'>)];
      case 'OrganizationRenamed': {
        const data = event.data as OrganizationEventData<'OrganizationRenamed'>;
        return [{ text: 'UPDATE organization_tree SET name = $2 WHERE organization_id = $1', values: [data.organizationId, data.name] }];
      }
      default:
        return [];
    }
  },
};
