import type { RecordEvent } from '../../src/appraisal/domain/record.events.js';
import { parsePeriod, type Outcome } from '../../src/appraisal/domain/vocabulary.js';
import { buildReport } from '../../src/reports/domain/build-report.js';
import type { ReportDocument, ReportKind } from '../../src/reports/domain/report-document.js';
import { openedRecordFacts, type PersonFacts, type RecordFacts } from '../../src/reports/domain/report-facts.js';
import type { RuleSetDocument } from '../../src/rule-set/domain/rule-set.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';

/** The organization, people and records the report tests build their reports from. */

const PRESETS = loadPresetRuleSets();
export const NATIONAL = PRESETS.find((document) => document.id === 'national-current')!;
export const HEBEI = PRESETS.find((document) => document.id === 'hebei-graded-points')!;

const NAMES: Record<string, string> = { bureau: '某市人力资源和社会保障局', 'unit-a': '办公室', 'unit-b': '综合科' };
const PERSON_NAMES: Record<string, string> = {
  p00: '钱零',
  p01: '张一',
  p02: '李二',
  p03: '王三',
  p04: '赵四',
  p05: '孙五',
  p06: '周六',
  p07: '吴七',
  p08: '郑八',
  p09: '冯九',
  p10: '陈十',
  p11: '褚十一',
};

export const graded = (grade: string): Outcome => ({ kind: 'GRADE', grade });

type RecordOpenedData = Extract<RecordEvent, { type: 'RecordOpened' }>['data'];

/** The data of a RecordOpened event: by default a graded civil servant of the bureau's unit-a under national-current v1. */
export function recordOpened(spec: Partial<RecordOpenedData> & { personId: string; period: string }): RecordOpenedData {
  return {
    recordId: `${spec.personId}.${spec.period}`,
    cycleId: `bureau.${spec.period}`,
    organizationId: 'bureau',
    unitId: 'unit-a',
    periodKind: parsePeriod(spec.period)!.kind,
    category: 'CIVIL_SERVANT',
    subjectRole: 'STAFF',
    participation: { outcome: 'GRADED', reason: '' },
    ruleSetId: 'national-current',
    ruleSetVersion: 1,
    ...spec,
  };
}

/** A record's facts as opened (see `recordOpened`), with the given facts in place. */
export function record(spec: Partial<RecordFacts> & { personId: string; period: string }): RecordFacts {
  return { ...openedRecordFacts(recordOpened(spec)), ...spec };
}

/** A person of the bureau named in PERSON_NAMES: a 科员 since 2019 without measures, unless overridden. */
export function person(personId: string, overrides: Partial<PersonFacts> = {}): PersonFacts {
  return {
    personId,
    name: PERSON_NAMES[personId],
    category: 'CIVIL_SERVANT',
    posts: [{ effectiveDate: '2019-07-01', organizationId: 'bureau', position: '科员', rank: '一级科员' }],
    measures: [],
    ...overrides,
  };
}

/** Everyone named in PERSON_NAMES who has a record, with the given people's facts in place of the defaults. */
export function peopleOf(records: RecordFacts[], given: PersonFacts[] = []): Record<string, PersonFacts> {
  const people: Record<string, PersonFacts> = {};
  for (const { personId } of records) if (PERSON_NAMES[personId]) people[personId] = person(personId);
  for (const facts of given) people[facts.personId] = facts;
  return people;
}

/** The bureau's report of a kind and period; the rule sets default to national-current and Hebei's. */
export function build(kind: ReportKind, period: string, records: RecordFacts[], options: { people?: PersonFacts[]; ruleSets?: RuleSetDocument[] } = {}): ReportDocument {
  const ruleSets = options.ruleSets ?? [NATIONAL, HEBEI];
  return buildReport({
    kind,
    organizationId: 'bureau',
    period,
    organizationNames: NAMES,
    records,
    people: peopleOf(records, options.people),
    ruleSet: (id, version) => ruleSets.find((document) => document.id === id && document.version === version),
  });
}

export const headersOf = (document: ReportDocument) => document.columns.map((column) => column.header);
export const cellsOf = (document: ReportDocument, key: string) => {
  const row = document.rows.find((candidate) => candidate.key === key);
  if (!row) throw new Error(`no row ${key} in ${document.rows.map((candidate) => candidate.key).join(', ')}`);
  return row.cells;
};
