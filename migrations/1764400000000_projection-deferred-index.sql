-- Up Migration

-- The secondary indexes of the views a rebuild of several projections dropped while it loads them,
-- with their definitions, so that they are created again when it ends and, if it never ends (the
-- process died), by the next rebuild or the next start of the projection runner.
CREATE TABLE projection_deferred_index (
  index_name  text PRIMARY KEY,
  table_name  text NOT NULL,
  projection  text NOT NULL,
  definition  text NOT NULL,
  deferred_at timestamptz NOT NULL DEFAULT now()
);
