-- Up Migration

-- Every request the edge refused for want of a role or outside the caller's scope (FORBIDDEN), for
-- the auditors. Written by the edge before the refusal is returned, never inside a command's
-- transaction; append-only like the log.
CREATE TABLE access_denial (
  position                 bigserial    PRIMARY KEY,
  denied_at                timestamptz  NOT NULL DEFAULT clock_timestamp(),
  actor_id                 text         NOT NULL,
  -- The role the request acted in (or asked to act in, for ROLE_NOT_HELD).
  actor_role               text         NOT NULL,
  actor_organization_id    text         NOT NULL,
  -- The GraphQL root field (e.g. appraisalRecord) or the HTTP route (exportReport).
  operation                text         NOT NULL,
  -- What the request named, e.g. "record bureau.p1.2025Q2"; null when it names nothing.
  target                   text,
  -- The organizations the target lies in, where they could be found.
  target_organization_ids  text[]       NOT NULL DEFAULT '{}',
  reason_code              text         NOT NULL,
  reason                   text         NOT NULL
);
CREATE INDEX access_denial_actor_organization ON access_denial (actor_organization_id);
CREATE INDEX access_denial_target_organizations ON access_denial USING gin (target_organization_ids);

CREATE TRIGGER access_denial_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_denial
  FOR EACH STATEMENT EXECUTE FUNCTION reject_log_change();
REVOKE UPDATE, DELETE, TRUNCATE ON access_denial FROM PUBLIC;
