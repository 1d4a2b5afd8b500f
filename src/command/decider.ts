import type { Actor } from '../event-store/event.js';

/** What the edge supplies with every command: the domain never reads a clock or makes ids. */
export interface CommandMetadata {
  /** Idempotency key: the same id twice appends once and returns the first result. */
  commandId: string;
  actor: Actor;
  /** The edge's clock when the command arrived, ISO 8601 instant. */
  now: string;
  correlationId?: string;
  causationId?: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

/** An event as `decide` returns it; the command path adds ids, metadata and the store's fields. */
export interface DecidedEvent<Type extends string = string, Data extends Record<string, unknown> = Record<string, unknown>> {
  type: Type;
  data: Data;
  /** Business date of the fact (YYYY-MM-DD, Asia/Shanghai); defaults to the command's date. */
  effectiveAt?: string;
  schemaVersion?: number;
  ruleSetId?: string;
  /** Set on events read back from the log, so state can cite them (traces name ids and positions). */
  recorded?: RecordedRef;
}

/** Where a fact stands in the log: what a trace step cites as its input. */
export interface RecordedRef {
  eventId: string;
  globalPosition: string;
  recordedAt: string;
}

/**
 * A stream's behaviour as three pure functions (decide, evolve, initialState). `context` carries
 * what a decision needs from outside the stream (rule set, calendar, other streams' state), loaded
 * by the caller before deciding; deciders that need nothing ignore it.
 */
export interface Decider<C extends Command, E extends DecidedEvent, S, Context = void> {
  decide(command: C, state: S, context: Context): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}
