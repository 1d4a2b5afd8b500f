import { createHash } from 'node:crypto';
import type pg from 'pg';
import { isRecordStreamEvent, recordIdOf } from '../../projections/grade-view.projection.js';
import type { RecordEvent } from '../appraisal/domain/record.events.js';
import { parsePeriod } from '../appraisal/domain/vocabulary.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { OrganizationEvent } from '../organization/domain/organization.decider.js';
import type { PersonRegistered } from '../people/domain/person.decider.js';
import type { ProjectionDefinition } from '../projection/projection.js';
import { shanghaiDate } from '../shared/business-date.js';
import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import type { RuleSetEvent } from '../rule-set/domain/rule-set.decider.js';
import { buildReport } from './domain/build-report.js';
import type { ReportColumn, ReportDocument, ReportKind, ReportRow } from './domain/report-document.js';
import { canonicalContent, diffReports } from './domain/report-diff.js';
import {
  evolvePersonFacts,
  evolveRecordFacts,
  openedRecordFacts,
  registeredPersonFacts,
  type PersonFactEvent,
  type PersonFacts,
  type RecordFacts,
} from './domain/report-facts.js';
import type { ReportFiled } from './domain/report-filing.decider.js';

export const REPORT_REVISIONS_PROJECTION = 'report_revisions';

const PERSON_STREAM_PREFIX = 'person-';
const RULE_SET_STREAM_PREFIX = 'ruleset-';
const ORGANIZATION_STREAM_PREFIX = 'organization-';
const REPORT_STREAM_PREFIX = 'report-';

type RecordOpenedData = Extract<RecordEvent, { type: 'RecordOpened' }>['data'];

/**
 * report_revisions: the regulator's reports (DOMAIN.md §7). ReportFiled computes revision 1; from
 * then on, every event that changes what a filed report says (a backfill, a revision, a
 * correction, a late penalty) computes the report again and, if its rows differ, stores the next
 * revision with the diff and that event as its cause. The facts are the projection's own, kept in
 * step with the log, so a rebuild yields the same revisions row for row.
 */
export const reportRevisionsProjection: ProjectionDefinition = {
  name: REPORT_REVISIONS_PROJECTION,
  version: 1,
  tables: [
    'report_rule_set_fact',
    'report_organization_fact',
    'report_person_fact',
    'report_record_fact',
    'report_filing',
    'report_revision',
    'report_revision_row',
  ],
  async apply(transaction, events) {
    const batch = new ReportBatch(transaction);
    await batch.prefetch(events);
    for (const event of events) await batch.apply(event);
    await batch.flush();
  },
};

/** One batch's facts in memory: read once, evolved event by event, written back once (and before any report is computed). */
class ReportBatch {
  private readonly records = new Map<string, RecordFacts>();
  private readonly people = new Map<string, PersonFacts>();
  private readonly dirtyRecords = new Set<string>();
  private readonly dirtyPeople = new Set<string>();
  /** `<organization>:<year>` of every filed report: only their facts can cause a reissue. */
  private filedScopes = new Set<string>();

  constructor(private readonly transaction: pg.PoolClient) {}

  async prefetch(events: RecordedEvent[]): Promise<void> {
    const recordIds = [...new Set(events.filter(isRecordStreamEvent).map(recordIdOf))];
    const personIds = [...new Set(events.filter((event) => event.streamId.startsWith(PERSON_STREAM_PREFIX)).map(personIdOf))];
    // One connection serves the transaction: its statements run one after the other.
    const records = await this.transaction.query<{ facts: RecordFacts }>('SELECT facts FROM report_record_fact WHERE record_id = ANY($1::text[])', [recordIds]);
    const people = await this.transaction.query<PersonFactRow>(`${SELECT_PERSON_FACTS} WHERE person_id = ANY($1::text[])`, [personIds]);
    const scopes = await this.transaction.query<{ scope: string }>(`SELECT DISTINCT organization_id || ':' || year AS scope FROM report_filing`);
    for (const { facts } of records.rows) this.records.set(facts.recordId, facts);
    for (const row of people.rows) this.people.set(row.person_id, personFactsOf(row));
    this.filedScopes = new Set(scopes.rows.map((row) => row.scope));
  }

  async apply(event: RecordedEvent): Promise<void> {
    if (isRecordStreamEvent(event)) return this.applyRecordEvent(event);
    if (event.streamId.startsWith(PERSON_STREAM_PREFIX)) return this.applyPersonEvent(event);
    if (event.streamId.startsWith(RULE_SET_STREAM_PREFIX) && event.type === 'RuleSetPublished') {
      const { document } = event.data as Extract<RuleSetEvent, { type: 'RuleSetPublished' }>['data'];
      await this.transaction.query(
        `INSERT INTO report_rule_set_fact (rule_set_id, rule_set_version, document) VALUES ($1, $2, $3)
         ON CONFLICT (rule_set_id, rule_set_version) DO UPDATE SET document = excluded.document`,
        [document.id, document.version, JSON.stringify(document)],
      );
      return;
    }
    if (event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX) && (event.type === 'OrganizationRegistered' || event.type === 'OrganizationRenamed')) {
      // A filing keeps the names of its day: a later rename reissues nothing.
      const { organizationId, name } = event.data as Extract<OrganizationEvent, { type: 'OrganizationRegistered' | 'OrganizationRenamed' }>['data'];
      await this.transaction.query(
        `INSERT INTO report_organization_fact (organization_id, name) VALUES ($1, $2)
         ON CONFLICT (organization_id) DO UPDATE SET name = excluded.name`,
        [organizationId, name],
      );
      return;
    }
    if (event.streamId.startsWith(REPORT_STREAM_PREFIX) && event.type === 'ReportFiled') return this.file(event);
  }

  private async applyRecordEvent(event: RecordedEvent): Promise<void> {
    const recordId = recordIdOf(event);
    let facts: RecordFacts | undefined;
    if (event.type === 'RecordOpened') {
      facts = openedRecordFacts(event.data as RecordOpenedData);
    } else {
      const current = this.records.get(recordId);
      facts = current && evolveRecordFacts(current, event as unknown as RecordEvent);
    }
    if (!facts) return;
    this.records.set(recordId, facts);
    this.dirtyRecords.add(recordId);
    await this.reissueReportsOf(facts.organizationId, yearOf(facts.period), event);
  }

  private async applyPersonEvent(event: RecordedEvent): Promise<void> {
    const personId = personIdOf(event);
    let facts: PersonFacts | undefined;
    if (event.type === 'PersonRegistered') {
      facts = registeredPersonFacts(event.data as PersonRegistered['data']);
    } else {
      const current = this.people.get(personId);
      facts = current && evolvePersonFacts(current, event as unknown as PersonFactEvent);
    }
    if (!facts) return;
    this.people.set(personId, facts);
    this.dirtyPeople.add(personId);
    if (this.filedScopes.size === 0) return;
    await this.flush();
    const scopes = await this.transaction.query<{ organization_id: string; year: number }>(
      'SELECT DISTINCT organization_id, year FROM report_record_fact WHERE person_id = $1',
      [personId],
    );
    for (const scope of scopes.rows) await this.reissueReportsOf(scope.organization_id, scope.year, event);
  }

  /** Recomputes the organization's filed reports of the year; each whose rows changed gets a new revision. */
  private async reissueReportsOf(organizationId: string, year: number, cause: RecordedEvent): Promise<void> {
    if (!this.filedScopes.has(`${organizationId}:${year}`)) return;
    await this.flush();
    const filings = await this.transaction.query<FilingRow>(
      `SELECT report_id, kind, organization_id, period, organization_names, latest_revision
         FROM report_filing WHERE organization_id = $1 AND year = $2 ORDER BY report_id`,
      [organizationId, year],
    );
    // A reissue is dated the day the change was recorded: the day the service learned of it.
    for (const filing of filings.rows) await this.storeRevisionIfChanged(filing, cause, shanghaiDate(cause.recordedAt));
  }

  private async file(event: RecordedEvent): Promise<void> {
    const filed = event.data as ReportFiled['data'];
    await this.flush();
    const year = yearOf(filed.period);
    // The names of the organization and of every unit its records of the year name, as they stand today.
    const names = await this.transaction.query<{ names: Record<string, string> | null }>(
      `SELECT jsonb_object_agg(organization_id, name) AS names FROM report_organization_fact
        WHERE organization_id = $1
           OR organization_id IN (SELECT unit_id FROM (SELECT facts->>'unitId' AS unit_id FROM report_record_fact WHERE organization_id = $1 AND year = $2) AS units)`,
      [filed.organizationId, year],
    );
    const filing: FilingRow = {
      report_id: filed.reportId,
      kind: filed.kind,
      organization_id: filed.organizationId,
      period: filed.period,
      organization_names: names.rows[0]?.names ?? {},
      latest_revision: 0,
    };
    await this.transaction.query(
      `INSERT INTO report_filing (report_id, kind, organization_id, period, year, filed_on, filed_by, filing_event_id, organization_names, latest_revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)`,
      [filed.reportId, filed.kind, filed.organizationId, filed.period, year, filed.filedOn, filed.filedBy, event.eventId, JSON.stringify(filing.organization_names)],
    );
    this.filedScopes.add(`${filed.organizationId}:${year}`);
    await this.storeRevisionIfChanged(filing, event, filed.filedOn);
  }

  private async storeRevisionIfChanged(filing: FilingRow, cause: RecordedEvent, issuedOn: string): Promise<void> {
    const report = await this.compute(filing);
    const checksum = createHash('sha256').update(canonicalContent(report)).digest('hex');
    const previous = filing.latest_revision > 0 ? await this.revisionContent(filing.report_id, filing.latest_revision) : undefined;
    if (previous?.checksum === checksum) return;
    const revision = filing.latest_revision + 1;
    await this.transaction.query(
      `INSERT INTO report_revision (report_id, revision, kind, title, organization_id, period, columns, summary, row_count, checksum,
                                    issued_on, caused_by, diff, global_position, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        filing.report_id,
        revision,
        report.kind,
        report.title,
        report.organizationId,
        report.period,
        JSON.stringify(report.columns),
        JSON.stringify(report.summary),
        report.rows.length,
        checksum,
        issuedOn,
        JSON.stringify({ eventId: cause.eventId, type: cause.type, streamId: cause.streamId, globalPosition: cause.globalPosition.toString(), recordedAt: cause.recordedAt }),
        previous ? JSON.stringify(diffReports(previous, report)) : null,
        cause.globalPosition.toString(),
        cause.recordedAt,
      ],
    );
    await this.transaction.query(
      `INSERT INTO report_revision_row (report_id, revision, ordinal, row_key, cells)
       SELECT $1, $2, ordinal, row_key, cells
         FROM jsonb_to_recordset($3::jsonb) AS row(ordinal integer, row_key text, cells jsonb)`,
      [filing.report_id, revision, JSON.stringify(report.rows.map((row, index) => ({ ordinal: index + 1, row_key: row.key, cells: row.cells })))],
    );
    await this.transaction.query('UPDATE report_filing SET latest_revision = $2 WHERE report_id = $1', [filing.report_id, revision]);
    filing.latest_revision = revision;
  }

  private async compute(filing: FilingRow): Promise<ReportDocument> {
    const year = yearOf(filing.period);
    const records = await this.transaction.query<{ facts: RecordFacts }>(
      'SELECT facts FROM report_record_fact WHERE organization_id = $1 AND year = $2',
      [filing.organization_id, year],
    );
    const facts = records.rows.map((row) => row.facts);
    const people = await this.transaction.query<PersonFactRow>(`${SELECT_PERSON_FACTS} WHERE person_id = ANY($1::text[])`, [[...new Set(facts.map((record) => record.personId))]]);
    const ruleSets = await this.transaction.query<{ document: RuleSetDocument }>(
      `SELECT document FROM report_rule_set_fact
        WHERE (rule_set_id, rule_set_version) IN (SELECT * FROM unnest($1::text[], $2::integer[]))`,
      [facts.map((record) => record.ruleSetId), facts.map((record) => record.ruleSetVersion)],
    );
    const documents = new Map(ruleSets.rows.map(({ document }) => [`${document.id}@${document.version}`, document]));
    return buildReport({
      kind: filing.kind,
      organizationId: filing.organization_id,
      period: filing.period,
      organizationNames: filing.organization_names,
      records: facts,
      people: Object.fromEntries(people.rows.map((row) => [row.person_id, personFactsOf(row)])),
      ruleSet: (id, version) => documents.get(`${id}@${version}`),
    });
  }

  private async revisionContent(reportId: string, revision: number): Promise<{ checksum: string; columns: ReportColumn[]; rows: ReportRow[] }> {
    const head = await this.transaction.query<{ checksum: string; columns: ReportColumn[] }>('SELECT checksum, columns FROM report_revision WHERE report_id = $1 AND revision = $2', [reportId, revision]);
    const rows = await this.transaction.query<{ row_key: string; cells: ReportRow['cells'] }>(
      'SELECT row_key, cells FROM report_revision_row WHERE report_id = $1 AND revision = $2 ORDER BY ordinal',
      [reportId, revision],
    );
    return { checksum: head.rows[0].checksum, columns: head.rows[0].columns, rows: rows.rows.map((row) => ({ key: row.row_key, cells: row.cells })) };
  }

  /** Writes the facts changed since the last flush. */
  async flush(): Promise<void> {
    if (this.dirtyRecords.size > 0) {
      const rows = [...this.dirtyRecords].map((id) => this.records.get(id)!);
      await this.transaction.query(
        `INSERT INTO report_record_fact (record_id, organization_id, person_id, period, year, facts)
         SELECT facts->>'recordId', facts->>'organizationId', facts->>'personId', facts->>'period', substr(facts->>'period', 1, 4)::integer, facts
           FROM jsonb_array_elements($1::jsonb) AS facts
         ON CONFLICT (record_id) DO UPDATE SET facts = excluded.facts`,
        [JSON.stringify(rows)],
      );
      this.dirtyRecords.clear();
    }
    if (this.dirtyPeople.size > 0) {
      const rows = [...this.dirtyPeople].map((id) => this.people.get(id)!);
      await this.transaction.query(
        `INSERT INTO report_person_fact (person_id, name, category, posts, measures)
         SELECT "personId", name, category, posts, measures
           FROM jsonb_to_recordset($1::jsonb) AS person("personId" text, name text, category text, posts jsonb, measures jsonb)
         ON CONFLICT (person_id) DO UPDATE SET name = excluded.name, category = excluded.category, posts = excluded.posts, measures = excluded.measures`,
        [JSON.stringify(rows)],
      );
      this.dirtyPeople.clear();
    }
  }
}

const SELECT_PERSON_FACTS = 'SELECT person_id, name, category, posts, measures FROM report_person_fact';

interface PersonFactRow {
  person_id: string;
  name: string;
  category: PersonFacts['category'];
  posts: PersonFacts['posts'];
  measures: PersonFacts['measures'];
}

function personFactsOf(row: PersonFactRow): PersonFacts {
  return { personId: row.person_id, name: row.name, category: row.category, posts: row.posts, measures: row.measures };
}

interface FilingRow {
  report_id: string;
  kind: ReportKind;
  organization_id: string;
  period: string;
  organization_names: Record<string, string>;
  latest_revision: number;
}

function yearOf(period: string): number {
  const parsed = parsePeriod(period);
  if (!parsed) throw new Error(`not a period: ${period}`);
  return parsed.year;
}

function personIdOf(event: RecordedEvent): string {
  return event.streamId.slice(PERSON_STREAM_PREFIX.length);
}
