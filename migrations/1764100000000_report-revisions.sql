-- Up Migration

-- The regulator's reports (备案, DOMAIN.md §7) as revisions. The report projection keeps its own
-- copy of the facts it needs (report_*_fact), so each revision is computed from the log as it
-- stood at the event that caused it: a rebuild from zero yields the same revisions, row for row.

-- Rule-set documents, for grade scales, labels and quota rules.
CREATE TABLE report_rule_set_fact (
  rule_set_id       text     NOT NULL,
  rule_set_version  integer  NOT NULL,
  document          jsonb    NOT NULL,
  PRIMARY KEY (rule_set_id, rule_set_version)
);

-- Organization names, as registered and renamed; a filing keeps the names of its day.
CREATE TABLE report_organization_fact (
  organization_id  text  PRIMARY KEY,
  name             text  NOT NULL
);

-- People: name, category and every post they held, with its effective date.
CREATE TABLE report_person_fact (
  person_id  text   PRIMARY KEY,
  name       text   NOT NULL,
  category   text   NOT NULL,
  posts      jsonb  NOT NULL,
  measures   jsonb  NOT NULL
);

-- One row per appraisal record: what the reports read of it (outcome, proposal, evaluation,
-- backfill, objection), evolved by a pure function of the record's events.
CREATE TABLE report_record_fact (
  record_id        text     PRIMARY KEY,
  organization_id  text     NOT NULL,
  person_id        text     NOT NULL,
  period           text     NOT NULL,
  year             integer  NOT NULL,
  facts            jsonb    NOT NULL
);
CREATE INDEX report_record_fact_organization ON report_record_fact (organization_id, year);
CREATE INDEX report_record_fact_person ON report_record_fact (person_id);

-- One row per filed report (report id = <organization>.<period>.<kind>).
CREATE TABLE report_filing (
  report_id           text         PRIMARY KEY,
  kind                text         NOT NULL,
  organization_id     text         NOT NULL,
  period              text         NOT NULL,
  year                integer      NOT NULL,
  filed_on            date         NOT NULL,
  filed_by            text         NOT NULL,
  filing_event_id     uuid         NOT NULL,
  organization_names  jsonb        NOT NULL,
  latest_revision     integer      NOT NULL
);
CREATE INDEX report_filing_organization ON report_filing (organization_id, year);

-- Every revision: 1 is what was filed; each later one is a reissue (重新报送) caused by one event,
-- with the diff from the revision before it. checksum: SHA-256 of the canonical rows.
CREATE TABLE report_revision (
  report_id        text         NOT NULL,
  revision         integer      NOT NULL,
  kind             text         NOT NULL,
  title            text         NOT NULL,
  organization_id  text         NOT NULL,
  period           text         NOT NULL,
  columns          jsonb        NOT NULL,
  summary          jsonb        NOT NULL,
  row_count        integer      NOT NULL,
  checksum         text         NOT NULL,
  issued_on        date         NOT NULL,
  caused_by        jsonb        NOT NULL,
  diff             jsonb,
  global_position  bigint       NOT NULL,
  recorded_at      timestamptz  NOT NULL,
  PRIMARY KEY (report_id, revision)
);
CREATE INDEX report_revision_organization ON report_revision (organization_id, period);

-- The rows of every revision, in the form's order; cells are keyed by column key.
CREATE TABLE report_revision_row (
  report_id  text     NOT NULL,
  revision   integer  NOT NULL,
  ordinal    integer  NOT NULL,
  row_key    text     NOT NULL,
  cells      jsonb    NOT NULL,
  PRIMARY KEY (report_id, revision, ordinal)
);
