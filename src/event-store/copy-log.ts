import { chainHash, GENESIS_HASH } from './event-hash.js';
import { START_OF_LOG, type RecordedEvent } from './event.js';
import type { EventStore } from './event-store.port.js';

export interface CopyReport {
  /** Events appended to the target by this run. */
  copied: number;
  /** Events the target held already (an earlier, interrupted run). */
  alreadyThere: number;
}

export interface CopyVerification {
  equal: boolean;
  /** Events compared, in global order. */
  compared: number;
  /** SHA-256 chain over every event hash in each log's global order: equal when the order and the events are. */
  sourceChain: string;
  targetChain: string;
  /** The first difference, if any: where and what. */
  difference: string | null;
}

/** The fields a copy must keep, compared one by one. */
const KEPT: (keyof RecordedEvent)[] = ['eventId', 'streamId', 'streamRevision', 'type', 'schemaVersion', 'data', 'metadata', 'recordedAt', 'hash'];

/** Equal JSON values, whatever the key order. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * Copies the whole log from `source` to `target` in global order, one run of same-stream events
 * per append, keeping event ids, stream revisions, recorded times and hashes (the target refuses
 * events that do not chain). A run interrupted part-way can be started again: events the target
 * already holds at the same revision with the same id are skipped.
 */
export async function copyLog(
  source: EventStore,
  target: EventStore,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<CopyReport> {
  const batchSize = options.batchSize ?? 1000;
  let copied = 0;
  let alreadyThere = 0;
  let after = START_OF_LOG;
  for (;;) {
    const batch = await source.readAll(after, batchSize);
    if (batch.length === 0) return { copied, alreadyThere };
    for (let start = 0; start < batch.length; ) {
      let end = start + 1;
      while (end < batch.length && batch[end].streamId === batch[start].streamId) end += 1;
      const run = batch.slice(start, end);
      const present = await target.readStream(run[0].streamId, { fromRevision: run[0].streamRevision, maxCount: run.length });
      for (const [index, event] of present.entries()) {
        if (event.eventId !== run[index].eventId) {
          throw new Error(`the target's ${event.streamId} holds event ${event.eventId} at revision ${event.streamRevision}, where the source has ${run[index].eventId}: it is not a copy of this log`);
        }
      }
      alreadyThere += present.length;
      const missing = run.slice(present.length);
      if (missing.length > 0) await target.appendRecorded(missing[0].streamId, missing);
      copied += missing.length;
      start = end;
    }
    after = batch[batch.length - 1].position;
    options.onProgress?.(copied + alreadyThere);
  }
}

/** Reads both logs side by side in global order and compares every kept field of every event. */
export async function verifyCopy(source: EventStore, target: EventStore, options: { batchSize?: number } = {}): Promise<CopyVerification> {
  const batchSize = options.batchSize ?? 1000;
  let sourceAfter = START_OF_LOG;
  let targetAfter = START_OF_LOG;
  let sourceChain = GENESIS_HASH;
  let targetChain = GENESIS_HASH;
  let compared = 0;
  let difference: string | null = null;
  for (;;) {
    const [left, right] = await Promise.all([source.readAll(sourceAfter, batchSize), target.readAll(targetAfter, batchSize)]);
    const shared = Math.min(left.length, right.length);
    for (let index = 0; index < shared; index += 1) {
      sourceChain = chainHash(sourceChain, left[index].hash);
      targetChain = chainHash(targetChain, right[index].hash);
      if (!difference) {
        const field = KEPT.find((name) => !deepEqual(left[index][name], right[index][name]));
        if (field) difference = `event ${compared + 1} in global order (source ${left[index].eventId}, target ${right[index].eventId}) differs in ${field}`;
      }
      compared += 1;
    }
    if (left.length !== right.length) {
      difference ??= `the ${left.length > right.length ? 'source' : 'target'} has more events after ${compared} in global order`;
      return { equal: false, compared, sourceChain, targetChain, difference };
    }
    if (left.length === 0) return { equal: difference === null, compared, sourceChain, targetChain, difference };
    sourceAfter = left[left.length - 1].position;
    targetAfter = right[right.length - 1].position;
  }
}
