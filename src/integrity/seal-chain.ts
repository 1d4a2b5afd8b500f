import { chainHash, GENESIS_HASH } from '../event-store/event-hash.js';
import type { RecordedEvent } from '../event-store/event.js';

export interface SealLink {
  sealPosition: bigint;
  globalPosition: bigint;
  eventId: string;
  eventHash: string;
  chainHash: string;
}

/** The seal links that follow `previous` (or start the chain) for events in global order. */
export function extendSeal(previous: Pick<SealLink, 'sealPosition' | 'chainHash'> | undefined, events: RecordedEvent[]): SealLink[] {
  let sealPosition = previous?.sealPosition ?? 0n;
  let chain = previous?.chainHash ?? GENESIS_HASH;
  return events.map((event) => {
    sealPosition += 1n;
    chain = chainHash(chain, event.hash);
    return { sealPosition, globalPosition: event.globalPosition, eventId: event.eventId, eventHash: event.hash, chainHash: chain };
  });
}
