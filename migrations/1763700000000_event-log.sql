-- Up Migration

-- The event log. Rows are only ever inserted: corrections are new events.
-- Readers order by (transaction_id, global_position) and read only below the transaction-id horizon,
-- so a row whose transaction commits late is never skipped (see ARCHITECTURE.md).
CREATE TABLE events (
  global_position  bigserial   PRIMARY KEY,
  transaction_id   xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id        text        NOT NULL,
  stream_revision  bigint      NOT NULL CHECK (stream_revision >= 0),
  event_id         uuid        NOT NULL,
  command_id       text        NOT NULL,
  type             text        NOT NULL,
  schema_version   integer     NOT NULL CHECK (schema_version >= 1),
  data             jsonb       NOT NULL,
  metadata         jsonb       NOT NULL,
  recorded_at      timestamptz NOT NULL,
  effective_at     date        NOT NULL,
  hash             text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision),
  CONSTRAINT events_event_id_unique UNIQUE (event_id)
);

CREATE INDEX events_global_order ON events (transaction_id, global_position);
CREATE INDEX events_command_id ON events (command_id);

CREATE FUNCTION reject_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Statement-level, so that even a change matching no row is refused.
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION reject_log_change();
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;

-- Wakes followers; they still poll, because a notified row may sit above the horizon for a while.
CREATE FUNCTION notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('events_appended', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended();

-- The seal: every event chained in global order, written by the sealing process.
CREATE TABLE event_seal (
  seal_position    bigint      PRIMARY KEY CHECK (seal_position >= 1),
  global_position  bigint      NOT NULL UNIQUE,
  event_id         uuid        NOT NULL UNIQUE,
  event_hash       text        NOT NULL,
  chain_hash       text        NOT NULL,
  sealed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER event_seal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event_seal
  FOR EACH STATEMENT EXECUTE FUNCTION reject_log_change();
REVOKE UPDATE, DELETE, TRUNCATE ON event_seal FROM PUBLIC;

-- Where each projection stands in the global order; written in the same transaction as its rows.
-- The position is the store's ordering pair: (transaction id, global position) in PostgreSQL,
-- (commit, prepare) in KurrentDB.
CREATE TABLE projection_checkpoint (
  name             text        PRIMARY KEY,
  position_major   bigint      NOT NULL,
  position_minor   bigint      NOT NULL,
  version          integer     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Every event by stream, person, actor and time, for inspection queries.
CREATE TABLE audit_trail (
  global_position  bigint      PRIMARY KEY,
  event_id         uuid        NOT NULL UNIQUE,
  stream_id        text        NOT NULL,
  stream_revision  bigint      NOT NULL,
  event_type       text        NOT NULL,
  person_id        text,
  organization_id  text,
  actor_id         text        NOT NULL,
  actor_role       text        NOT NULL,
  actor_organization_id text   NOT NULL,
  command_id       text        NOT NULL,
  correlation_id   text        NOT NULL,
  recorded_at      timestamptz NOT NULL,
  effective_at     date        NOT NULL
);
CREATE INDEX audit_trail_person ON audit_trail (person_id, recorded_at);
CREATE INDEX audit_trail_actor ON audit_trail (actor_id, recorded_at);
CREATE INDEX audit_trail_stream ON audit_trail (stream_id, stream_revision);
