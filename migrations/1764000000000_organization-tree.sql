-- Up Migration

-- One row per registered organization (built by organization_tree), with the chain of its
-- ancestors, root first and itself excluded, so that a subtree (an organization and every unit
-- below it, to any depth) is one indexed predicate:
--   organization_id = $1 OR ancestor_ids @> ARRAY[$1]
-- (`@>` uses the GIN index; `$1 = ANY(ancestor_ids)` means the same but cannot use it).
-- parent_id is null for a root. Organizations are never moved, so ancestor_ids never changes.
CREATE TABLE organization_tree (
  organization_id  text    PRIMARY KEY,
  name             text    NOT NULL,
  kind             text    NOT NULL,
  parent_id        text,
  ancestor_ids     text[]  NOT NULL DEFAULT '{}'
);
CREATE INDEX organization_tree_ancestors ON organization_tree USING gin (ancestor_ids);

-- Subtree scopes match a record by its unit as well as by its organization.
CREATE INDEX grade_view_unit ON grade_view (unit_id);
