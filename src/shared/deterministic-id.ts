import { createHash } from 'node:crypto';

/** Namespace for the project's name-based ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('4b1f6c0e9a7d4e2b8f3c5a6d7e8f9012', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5) from the given parts: the same parts always give the
 * same id, so a retried command or a replayed process manager produces the same event ids.
 */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000'), 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
