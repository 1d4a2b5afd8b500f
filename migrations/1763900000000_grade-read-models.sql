-- Up Migration

-- One row per appraisal record: where it stands and its current outcome (built by grade_view).
-- status mirrors the record's own: OPEN, AWAITING_NOTICE, FINAL, PUBLISHED.
CREATE TABLE grade_view (
  record_id             text     PRIMARY KEY,
  organization_id       text     NOT NULL,
  unit_id               text     NOT NULL,
  person_id             text     NOT NULL,
  period                text     NOT NULL,
  period_kind           text     NOT NULL,
  category              text     NOT NULL,
  status                text     NOT NULL,
  outcome_kind          text,
  grade                 text,
  reason                text,
  score                 numeric,
  rule_set_id           text     NOT NULL,
  rule_set_version      integer  NOT NULL,
  flagged               boolean  NOT NULL DEFAULT false,
  last_global_position  bigint   NOT NULL
);
CREATE INDEX grade_view_person ON grade_view (person_id, period);
CREATE INDEX grade_view_organization_period ON grade_view (organization_id, period);

-- The correction flags behind grade_view.flagged: open until a GradeFlagResolved names the fact.
CREATE TABLE grade_flag (
  record_id             text    NOT NULL,
  fact_event_id         text    NOT NULL,
  fact_type             text    NOT NULL,
  code                  text    NOT NULL,
  reason                text    NOT NULL,
  flagged_at_position   bigint  NOT NULL,
  resolved_at_position  bigint,
  PRIMARY KEY (record_id, fact_event_id)
);

-- Every determination, revision, backfill and record left ungraded, with its trace.
CREATE TABLE grade_history (
  event_id         uuid        PRIMARY KEY,
  record_id        text        NOT NULL,
  global_position  bigint      NOT NULL UNIQUE,
  kind             text        NOT NULL CHECK (kind IN ('DETERMINED', 'REVISED', 'BACKFILLED', 'LEFT_UNGRADED')),
  outcome_kind     text        NOT NULL,
  grade            text,
  reason           text,
  score            numeric,
  actor_id         text        NOT NULL,
  recorded_at      timestamptz NOT NULL,
  trace            jsonb       NOT NULL
);
CREATE INDEX grade_history_record ON grade_history (record_id, global_position);

-- One row per disciplinary measure on a person's record.
CREATE TABLE discipline_view (
  person_id        text     NOT NULL,
  measure_id       text     NOT NULL,
  measure          text     NOT NULL,
  family           text     NOT NULL,
  decision_date    date     NOT NULL,
  effective_date   date     NOT NULL,
  period_months    integer,
  term_years       integer,
  lifted_on        date,
  revoked          boolean  NOT NULL DEFAULT false,
  case_id          text,
  authority        text     NOT NULL,
  document_number  text     NOT NULL,
  PRIMARY KEY (person_id, measure_id)
);
CREATE INDEX discipline_view_case ON discipline_view (case_id) WHERE case_id IS NOT NULL;

-- One row per investigation noted on a person's record.
CREATE TABLE investigation_view (
  case_id    text  PRIMARY KEY,
  person_id  text  NOT NULL,
  opened_on  date  NOT NULL,
  closed_on  date,
  outcome    text
);
CREATE INDEX investigation_view_person ON investigation_view (person_id, opened_on);
