import { hash } from 'node:crypto';
import type { RecordedEvent } from './event.js';

/** The previous hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by code unit, no insignificant white space, `undefined`
 * members dropped. Two equal values always give the same bytes, whatever their key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`cannot hash a non-finite number: ${value}`);
    }
    if (typeof value === 'bigint') return value.toString();
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let json = '[';
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      json += (index > 0 ? ',' : '') + canonicalJson(item === undefined ? null : item);
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  return objectJson(record, sortedKeys(Object.keys(record)));
}

/** Canonical JSON of the record's members named by `keys`, which are in canonical (sorted) order. */
function objectJson<T extends object>(record: T, keys: readonly (keyof T & string)[]): string {
  let json = '{';
  for (const key of keys) {
    const item: unknown = record[key];
    if (item === undefined) continue;
    json += (json.length > 1 ? ',' : '') + quotedKey(key) + canonicalJson(item);
  }
  return `${json}}`;
}

/** Objects with more keys than this are sorted by Array.prototype.sort; fewer by insertion. */
const INSERTION_SORT_UP_TO = 16;

/**
 * The keys in code-unit order, as Array.prototype.sort orders strings. An event's objects have a
 * handful of keys, often in order already: an insertion sort of them makes one pass and no call,
 * where the built-in sort costs more to set up than to sort.
 */
function sortedKeys(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_UP_TO) return keys.sort();
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index];
    let before = index - 1;
    while (before >= 0 && keys[before] > key) {
      keys[before + 1] = keys[before];
      before -= 1;
    }
    keys[before + 1] = key;
  }
  return keys;
}

/** Keys with their quotes and colon, made once: the same few hundred field names recur in every event. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (QUOTED_KEYS.size >= MAX_QUOTED_KEYS) QUOTED_KEYS.clear();
    QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** The fields an event's hash covers: everything but its place in the global order. */
export type HashedEventContent = Pick<
  RecordedEvent,
  'streamId' | 'streamRevision' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'recordedAt'
>;

/** The fields an event's hash covers, in the order canonical JSON sorts them (by code unit). */
const HASHED_FIELDS = ['data', 'eventId', 'metadata', 'recordedAt', 'schemaVersion', 'streamId', 'streamRevision', 'type'] as const;

/** SHA-256, in hex, over the previous hash, a line break and the canonical JSON of the hashed fields. */
export function eventHash(previousHash: string, event: HashedEventContent): string {
  return hashEvent(previousHash, event).hash;
}

/** An event's hash, with the canonical JSON of its data and of its metadata that the hash covers. */
export interface HashedEvent {
  hash: string;
  dataJson: string;
  metadataJson: string;
}

/**
 * eventHash, keeping the canonical JSON of the data and the metadata made on the way, so that a
 * store can write the very text it hashed instead of serializing both again.
 */
export function hashEvent(previousHash: string, event: HashedEventContent): HashedEvent {
  const dataJson = canonicalJson(event.data);
  const metadataJson = canonicalJson(event.metadata);
  // The canonical JSON of an object holding just the hashed fields, written without making it.
  let json = '{';
  for (const key of HASHED_FIELDS) {
    const item: unknown = event[key];
    if (item === undefined) continue;
    const itemJson = key === 'data' ? dataJson : key === 'metadata' ? metadataJson : canonicalJson(item);
    json += (json.length > 1 ? ',' : '') + quotedKey(key) + itemJson;
  }
  return { hash: sha256Hex(`${previousHash}\n${json}}`), dataJson, metadataJson };
}

/** One link of the seal: the chain hash over the previous link and the event's own hash. */
export function chainHash(previousChainHash: string, eventHashHex: string): string {
  return sha256Hex(`${previousChainHash}\n${eventHashHex}`);
}

/** SHA-256 of the text's UTF-8 bytes, in hex, in one call (no Hash object per event). */
function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * Why `events` cannot continue a stream whose head is at `headRevision` with `headHash`: a gap or
 * overlap in revisions, another stream, or a hash that does not chain. Undefined when they can.
 */
export function chainProblem(
  streamId: string,
  headRevision: number,
  headHash: string,
  events: Pick<RecordedEvent, 'streamId' | 'streamRevision' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'recordedAt' | 'hash'>[],
): string | undefined {
  let previousHash = headHash;
  for (const [index, event] of events.entries()) {
    if (event.streamId !== streamId) return `event ${event.eventId} belongs to ${event.streamId}, not ${streamId}`;
    if (event.streamRevision !== headRevision + 1 + index) {
      return `event ${event.eventId} has revision ${event.streamRevision} where ${streamId} needs ${headRevision + 1 + index}`;
    }
    if (eventHash(previousHash, event) !== event.hash) return `event ${event.eventId} (${streamId} revision ${event.streamRevision}) does not chain: its hash is not the hash of its content and its predecessor`;
    previousHash = event.hash;
  }
  return undefined;
}
