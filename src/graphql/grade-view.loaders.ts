import type { MercuriusLoaders } from 'mercurius';
import { TRACE_STEP_LABELS, type AppraisalQueries, type LabelledOutcome } from '../application/appraisal-queries.js';
import type { GradeHistoryRow, GradeViewQueries, GradeViewRow } from '../application/grade-view-queries.js';
import type { Outcome } from '../appraisal/domain/vocabulary.js';
import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import type { GradeFlag, GradeHistoryEntry, RuleSetReference } from './schema.types.js';

export interface GradeViewLoaderDependencies {
  grades: GradeViewQueries;
  /** Labels outcomes by the rule set's grade scale. */
  queries: Pick<AppraisalQueries, 'labelOutcome'>;
  /** One published rule set version (one read of its stream). */
  ruleSet: (id: string, version: number) => Promise<RuleSetDocument>;
}

type Query = { obj: GradeViewRow };

/**
 * The rule set versions read during one GraphQL request, by `id@version`: the loaders of `ruleSet`,
 * `outcome` and `history` share them, so a page reads each distinct rule set once.
 */
const ruleSetsOfRequest = new WeakMap<object, Map<string, Promise<RuleSetDocument>>>();

const keyOf = (row: GradeViewRow) => `${row.ruleSetId}@${row.ruleSetVersion}`;

function outcomeOf(kind: NonNullable<GradeViewRow['outcomeKind']>, grade: string | null, reason: string | null): Outcome {
  return kind === 'GRADE' ? { kind, grade: grade ?? '' } : { kind, reason: reason ?? '' };
}

/**
 * mercurius loaders for the per-record fields of GradeView: mercurius collects every call of a
 * field made while one request resolves a list, then calls the loader once with all of them, so
 * `flags` and `history` cost one SQL statement per page and `ruleSet` / `outcome` one read per
 * distinct rule set, however many records the page holds.
 */
export function gradeViewLoaders({ grades, queries, ruleSet }: GradeViewLoaderDependencies): MercuriusLoaders {
  async function ruleSets(rows: readonly GradeViewRow[], context: object): Promise<Map<string, RuleSetDocument>> {
    let cache = ruleSetsOfRequest.get(context);
    if (!cache) ruleSetsOfRequest.set(context, (cache = new Map()));
    const wanted = new Map<string, Promise<RuleSetDocument>>();
    for (const row of rows) {
      const key = keyOf(row);
      if (!cache.has(key)) cache.set(key, ruleSet(row.ruleSetId, row.ruleSetVersion));
      wanted.set(key, cache.get(key)!);
    }
    const documents = await Promise.all(wanted.values());
    return new Map([...wanted.keys()].map((key, index) => [key, documents[index]]));
  }
  const ruleSetOf = (documents: Map<string, RuleSetDocument>, row: GradeViewRow) => documents.get(keyOf(row))!;
  const label = (document: RuleSetDocument, row: GradeViewRow, outcome: Outcome): LabelledOutcome =>
    queries.labelOutcome(document, row.periodKind, row.category, outcome);

  const loaders = {
    GradeView: {
      async ruleSet(batch: Query[], context: object): Promise<RuleSetReference[]> {
        const documents = await ruleSets(batch.map(({ obj }) => obj), context);
        return batch.map(({ obj }) => {
          const document = ruleSetOf(documents, obj);
          return { id: document.id, version: document.version, name: document.name };
        });
      },

      async outcome(batch: Query[], context: object): Promise<(LabelledOutcome | null)[]> {
        const documents = await ruleSets(batch.map(({ obj }) => obj), context);
        return batch.map(({ obj }) => (obj.outcomeKind ? label(ruleSetOf(documents, obj), obj, outcomeOf(obj.outcomeKind, obj.grade, obj.reason)) : null));
      },

      async flags(batch: Query[]): Promise<GradeFlag[][]> {
        const flags = await grades.flagsOf(batch.map(({ obj }) => obj.recordId));
        return batch.map(({ obj }) => flags.get(obj.recordId) ?? []);
      },

      async history(batch: Query[], context: object): Promise<GradeHistoryEntry[][]> {
        const rows = batch.map(({ obj }) => obj);
        const [history, documents] = await Promise.all([grades.historyOf(rows.map((row) => row.recordId)), ruleSets(rows, context)]);
        return rows.map((row) =>
          (history.get(row.recordId) ?? []).map((entry: GradeHistoryRow) => ({
            eventId: entry.eventId,
            globalPosition: entry.globalPosition,
            recordedAt: entry.recordedAt,
            kind: entry.kind,
            actorId: entry.actorId,
            outcome: label(ruleSetOf(documents, row), row, outcomeOf(entry.outcomeKind, entry.grade, entry.reason)),
            score: entry.score,
            steps: entry.trace.map((step) => ({ ...step, kindLabel: TRACE_STEP_LABELS[step.kind] })),
          })),
        );
      },
    },
  };
  // No per-request result cache keyed by the serialized parent (mercurius' loader cache): every
  // call is batched as it comes. (mercurius turns it on with its query cache, which the hardening enables.)
  return Object.fromEntries(
    Object.entries(loaders).map(([type, fields]) => [
      type,
      Object.fromEntries(Object.entries(fields).map(([field, loader]) => [field, { loader, opts: { cache: false } }])),
    ]),
  ) as MercuriusLoaders;
}
