-- Up Migration

-- Who and which period each appraisal record is about, from RecordOpened: the record's later
-- events name neither, and the consequences are per person and year.
CREATE TABLE appraisal_record_subject (
  record_id    text PRIMARY KEY,
  person_id    text NOT NULL,
  period       text NOT NULL,
  period_kind  text NOT NULL
);

-- The current outcome of each annual record: finalised, revised or backfilled.
CREATE TABLE annual_outcome (
  record_id             text    PRIMARY KEY,
  person_id             text    NOT NULL,
  year                  integer NOT NULL,
  outcome_kind          text    NOT NULL,
  grade                 text,
  last_global_position  bigint  NOT NULL,
  CONSTRAINT annual_outcome_grade_iff_graded CHECK ((outcome_kind = 'GRADE') = (grade IS NOT NULL))
);
CREATE INDEX annual_outcome_person ON annual_outcome (person_id, year);

-- The consequences of each person's annual grades (考核结果运用, DOMAIN.md §4.5), recomputed in
-- full whenever one of the person's years changes. basis_years: the years a consequence rests on.
CREATE TABLE grade_consequence (
  person_id    text      NOT NULL,
  year         integer   NOT NULL,
  kind         text      NOT NULL,
  label        text      NOT NULL,
  detail       text      NOT NULL,
  basis_years  integer[] NOT NULL,
  PRIMARY KEY (person_id, year, kind)
);
