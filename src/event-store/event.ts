/** Who issued a command: carried into the metadata of every event it produced. */
export interface Actor {
  id: string;
  role: string;
  organizationId: string;
}

/** Metadata stored with every event (ARCHITECTURE.md, non-negotiable 3). */
export interface EventMetadata {
  commandId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** Business date the fact refers to, YYYY-MM-DD in Asia/Shanghai. */
  effectiveAt: string;
  ruleSetId?: string;
}

/** An event as handed to the store; the store adds position, revision, recorded time and hash. */
export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * A place in the global order. PostgreSQL: (transaction id, global position);
 * KurrentDB: (commit, prepare) of `$all`. Compared as a pair, major first.
 */
export interface LogPosition {
  major: bigint;
  minor: bigint;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  streamRevision: number;
  /** Monotonic number shown to people and used in seals and reports. */
  globalPosition: bigint;
  position: LogPosition;
  /** System time of the append, ISO 8601 with milliseconds. */
  recordedAt: string;
  /** SHA-256 (hex) over the previous event's hash in the stream and this event's canonical bytes. */
  hash: string;
}

export const START_OF_LOG: LogPosition = { major: 0n, minor: 0n };

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  return 0;
}

/** Positions travel through GraphQL and the CLI as `major.minor` cursors. */
export function formatPosition(position: LogPosition): string {
  return `${position.major}.${position.minor}`;
}

export function parsePosition(text: string): LogPosition | undefined {
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(text);
  if (!match) return undefined;
  return { major: BigInt(match[1]), minor: BigInt(match[2]) };
}
