import type { ProjectionDefinition } from '../projection/projection.js';
import { extendSeal } from './seal-chain.js';
import { sealRepository } from './seal-repository.js';

export const SEALING_PROJECTION = 'event_seal';

/**
 * Chains every event, in global order, into the append-only seal table. Run by the projection
 * runner like a view, but it is evidence: it has no tables to empty and cannot be rebuilt.
 */
export const sealingProjection: ProjectionDefinition = {
  name: SEALING_PROJECTION,
  version: 1,
  tables: [],
  async apply(transaction, events) {
    const previous = await sealRepository.last(transaction);
    await sealRepository.append(transaction, extendSeal(previous, events));
  },
};
