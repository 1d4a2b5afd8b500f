-- Up Migration

-- audit_trail's rows are one per event by its primary key (global_position), and event ids are
-- unique in the log itself (events_event_id_unique); no query finds a row by event id. The unique
-- key on event_id only made every row written (a random key, the view's costliest index to keep
-- up, most of all in a rebuild) pay for a check the log already makes.
ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_event_id_key;

-- Down Migration

ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_event_id_key UNIQUE (event_id);
