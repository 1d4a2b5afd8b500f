import type { RecordedRef } from '../../command/decider.js';

/** The rule a step applied: the rule set (id and version) and the clause of it. */
export interface RuleCitation {
  ruleSetId: string;
  ruleSetVersion: number;
  /** Where in the rule set, e.g. `scoringSchemes.five-element`, `quotas.QUARTERLY`. */
  clause: string;
}

export type TraceStepKind =
  | 'PARTICIPATION'
  | 'DISCIPLINE'
  | 'DIRECT_DETERMINATION'
  | 'SCORE'
  | 'BAND'
  | 'ANNUAL_LINKAGE'
  | 'EXCELLENT_RATE'
  | 'QUOTA'
  | 'DETERMINATION';

/** One step of a grade's derivation: which rule, on which recorded facts, concluded what. */
export interface TraceStep {
  kind: TraceStepKind;
  rule: RuleCitation;
  /** The events the step read, by id and global position. */
  inputs: { eventId: string; globalPosition: string }[];
  /** Machine-readable conclusion, e.g. `BAND FAIRLY_GOOD`, `TOP_GRADE_BARRED`. */
  conclusion: string;
  /** The same in Chinese, for reviewers: e.g. `量化得分 82.5 分，对应等次：较好`. */
  explanation: string;
  /** Numbers the step used or produced. */
  values: Record<string, string | number | boolean | null>;
}

export function cite(refs: (RecordedRef | undefined)[]): TraceStep['inputs'] {
  const seen = new Set<string>();
  const inputs: TraceStep['inputs'] = [];
  for (const ref of refs) {
    if (!ref || seen.has(ref.eventId)) continue;
    seen.add(ref.eventId);
    inputs.push({ eventId: ref.eventId, globalPosition: ref.globalPosition });
  }
  return inputs;
}
