import type { LogPosition, NewEvent, RecordedEvent } from './event.js';

/**
 * What the appender expects the stream to be: a stream revision (the last event's revision),
 * `no_stream` for a new stream, or `any` to skip the check.
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendResult {
  streamId: string;
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: number;
  events: RecordedEvent[];
  /** True when every event id was already in the log: nothing was appended. */
  deduplicated: boolean;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface EventStore {
  readonly kind: 'postgresql' | 'kurrentdb';
  appendToStream(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult>;
  /**
   * Appends events recorded in another log as they are (ids, revisions, recorded times, hashes),
   * to move a log between stores; refused unless they continue the stream's head and chain from it.
   */
  appendRecorded(streamId: string, events: RecordedEvent[]): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several streams at once, each from its own revision to its end, in the order asked (a store
   * may answer them in one round trip): what `readStream` would return for each.
   */
  readStreams(reads: { streamId: string; fromRevision: number }[]): Promise<RecordedEvent[][]>;
  /**
   * Events appended by a command to the stream it ran on, in append order; empty when the command
   * id is unknown there. (A store may find them by the command id alone; the stream lets one
   * without such an index look in the one place they can be.)
   */
  readByCommandId(commandId: string, streamId: string): Promise<RecordedEvent[]>;
  /** Up to `maxCount` events strictly after `after`, in global order, never skipping one. */
  readAll(after: LogPosition, maxCount: number): Promise<RecordedEvent[]>;
  /** Resolves when new events may be readable, or after `timeoutMs`; never rejects. */
  waitForAppends(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Number of readable events after `after` (projection lag). */
  countAfter(after: LogPosition): Promise<number>;
  /** Age of the oldest open transaction that holds readers back (PostgreSQL); null where no such wait exists. */
  oldestOpenTransactionSeconds(): Promise<number | null>;
  /** The last readable event's global position, or null for an empty log. */
  lastGlobalPosition(): Promise<bigint | null>;
  close(): Promise<void>;
}
