import type pg from 'pg';
import { chainHash, eventHash, GENESIS_HASH } from '../event-store/event-hash.js';
import { START_OF_LOG, type RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SealLink } from './seal-chain.js';
import { sealRepository } from './seal-repository.js';

export interface IntegrityReport {
  ok: boolean;
  /** Events read from the log and checked against their stream chain. */
  checkedEvents: number;
  /** Of those, how many were also checked against the seal. */
  sealedEvents: number;
  /** Global position of the first problem found, in global order. */
  firstBadPosition: bigint | null;
  reason: string | null;
}

interface StreamHead {
  revision: number;
  hash: string;
}

/** Reads the seal one batch at a time, in seal order. */
class SealCursor {
  private buffer: SealLink[] = [];
  private after = 0n;
  private exhausted = false;

  constructor(
    private readonly db: pg.Pool,
    private readonly batchSize: number,
  ) {}

  async next(): Promise<SealLink | undefined> {
    if (this.buffer.length === 0 && !this.exhausted) {
      this.buffer = await sealRepository.readAfter(this.db, this.after, this.batchSize);
      if (this.buffer.length < this.batchSize) this.exhausted = true;
      if (this.buffer.length > 0) this.after = this.buffer[this.buffer.length - 1].sealPosition;
    }
    return this.buffer.shift();
  }
}

export interface VerifyIntegrityOptions {
  batchSize?: number;
  onProgress?: (checked: number) => void;
  /**
   * Stop once the event sealed at this seal position has been checked (a digest's position): the
   * log is then proven unchanged up to there, whatever follows. The seal must reach it.
   */
  upToSealPosition?: bigint;
}

/**
 * Checks both chains: every event against its stream predecessor (hash and revision), and the log
 * in global order against the seal (same events, same order, same hashes, intact chain). Stops at
 * the first problem and names its position and why.
 */
export async function verifyIntegrity(store: EventStore, db: pg.Pool, options: VerifyIntegrityOptions = {}): Promise<IntegrityReport> {
  const batchSize = options.batchSize ?? 2000;
  const seal = new SealCursor(db, batchSize);
  const streams = new Map<string, StreamHead>();
  let checkedEvents = 0;
  let sealedEvents = 0;
  let previousChain = GENESIS_HASH;
  let expectedSealPosition = 1n;
  const fail = (position: bigint, reason: string): IntegrityReport => ({
    ok: false,
    checkedEvents,
    sealedEvents,
    firstBadPosition: position,
    reason,
  });

  let after = START_OF_LOG;
  let sealEnded = false;
  for (;;) {
    const events = await store.readAll(after, batchSize);
    if (events.length === 0) break;
    for (const event of events) {
      const link = sealEnded ? undefined : await seal.next();
      if (!link) sealEnded = true;
      if (link) {
        const sealProblem = await checkAgainstSeal(store, link, event, previousChain, expectedSealPosition);
        if (sealProblem) return fail(sealProblem.position, sealProblem.reason);
        previousChain = link.chainHash;
        expectedSealPosition += 1n;
        sealedEvents += 1;
      }
      const streamProblem = checkStreamLink(streams.get(event.streamId), event);
      if (streamProblem) return fail(event.globalPosition, streamProblem);
      streams.set(event.streamId, { revision: event.streamRevision, hash: event.hash });
      checkedEvents += 1;
      if (link && link.sealPosition === options.upToSealPosition) {
        options.onProgress?.(checkedEvents);
        return { ok: true, checkedEvents, sealedEvents, firstBadPosition: null, reason: null };
      }
    }
    after = events[events.length - 1].position;
    options.onProgress?.(checkedEvents);
  }
  const unmatched = sealEnded ? undefined : await seal.next();
  if (unmatched) {
    return fail(
      unmatched.globalPosition,
      `event ${unmatched.eventId} was sealed at position ${unmatched.globalPosition} but is missing from the log`,
    );
  }
  if (options.upToSealPosition !== undefined) {
    return {
      ok: false,
      checkedEvents,
      sealedEvents,
      firstBadPosition: null,
      reason: `the seal ends at seal position ${expectedSealPosition - 1n}, before seal position ${options.upToSealPosition}`,
    };
  }
  return { ok: true, checkedEvents, sealedEvents, firstBadPosition: null, reason: null };
}

async function checkAgainstSeal(
  store: EventStore,
  link: SealLink,
  event: RecordedEvent,
  previousChain: string,
  expectedSealPosition: bigint,
): Promise<{ position: bigint; reason: string } | undefined> {
  if (link.sealPosition !== expectedSealPosition) {
    return {
      position: link.globalPosition,
      reason: `seal entry ${expectedSealPosition} is missing (the next entry is ${link.sealPosition})`,
    };
  }
  if (chainHash(previousChain, link.eventHash) !== link.chainHash) {
    return { position: link.globalPosition, reason: `the seal chain is broken at seal entry ${link.sealPosition}` };
  }
  if (link.eventId !== event.eventId) {
    return {
      position: link.globalPosition,
      reason: (await isInLog(store, link.eventId))
        ? `events are out of sealed order: the seal has event ${link.eventId} at position ${link.globalPosition}, the log has event ${event.eventId} (position ${event.globalPosition}) there`
        : `event ${link.eventId} was sealed at position ${link.globalPosition} but is missing from the log`,
    };
  }
  if (link.globalPosition !== event.globalPosition) {
    return {
      position: link.globalPosition,
      reason: `event ${event.eventId} was sealed at position ${link.globalPosition} but is stored at position ${event.globalPosition}`,
    };
  }
  if (link.eventHash !== event.hash) {
    return { position: event.globalPosition, reason: `the stored hash of event ${event.eventId} differs from its sealed hash` };
  }
  return undefined;
}

async function isInLog(store: EventStore, eventId: string): Promise<boolean> {
  for (let after = START_OF_LOG; ; ) {
    const events = await store.readAll(after, 5000);
    if (events.length === 0) return false;
    if (events.some((event) => event.eventId === eventId)) return true;
    after = events[events.length - 1].position;
  }
}

function checkStreamLink(previous: StreamHead | undefined, event: RecordedEvent): string | undefined {
  const expectedRevision = previous ? previous.revision + 1 : 0;
  if (event.streamRevision !== expectedRevision) {
    return `stream ${event.streamId} goes from revision ${previous ? previous.revision : 'none'} to ${event.streamRevision}: an event is missing`;
  }
  if (eventHash(previous?.hash ?? GENESIS_HASH, event) !== event.hash) {
    return `the content of event ${event.eventId} (stream ${event.streamId}, revision ${event.streamRevision}) does not match its hash`;
  }
  return undefined;
}
