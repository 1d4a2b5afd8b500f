-- Up Migration

-- Every lookup of a command's events names its stream (EventStore.readByCommandId), so the
-- (stream_id, stream_revision) key finds them; an index on command_id alone only cost every append
-- one more index entry.
DROP INDEX events_command_id;
