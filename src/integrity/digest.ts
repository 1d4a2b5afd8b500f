import { sign, verify } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '../event-store/event-store.port.js';
import { ApplicationError } from '../shared/errors.js';
import { DIGEST_KEY_HOW_TO, type DigestKeyring, type DigestSigningKey } from './digest-keys.js';
import type { SealLink } from './seal-chain.js';
import { sealRepository } from './seal-repository.js';
import { verifyIntegrity } from './verify-integrity.js';

/** The version tag of the digest format; the first line of the signed bytes. */
export const DIGEST_FORMAT = 'appraisal-log-digest/v1';

/**
 * A signed digest of the log: one link of the seal, signed with the service's Ed25519 key. Whoever
 * keeps a digest can later prove that the log up to its position is exactly what it was when the
 * digest was made, even against someone who can rewrite both the log and the seal.
 *
 * As JSON (the CLI's output, the GraphQL type `LogDigest`) every field is a string:
 * - `format`: `appraisal-log-digest/v1`;
 * - `sealPosition`: the link's place in the seal (1 = the first event in global order), decimal;
 * - `globalPosition`: the sealed event's global position in the log, decimal;
 * - `eventId`: the sealed event's id (UUID, lower case);
 * - `chainHash`: the seal's chain hash at that link (64 lower-case hex digits): SHA-256 over the
 *   previous chain hash and the event's hash, from 64 zeros before the first event;
 * - `signedAt`: when the digest was signed (ISO 8601, UTC, e.g. `2025-01-02T01:00:00.000Z`);
 * - `keyId`: the signing key's id: the first 16 hex digits of SHA-256 over its public key (DER SPKI);
 * - `signature`: Ed25519 over {@link digestSigningBytes} of the fields above, base64 (64 bytes).
 */
export interface LogDigest {
  format: string;
  sealPosition: string;
  globalPosition: string;
  eventId: string;
  chainHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

export type SignedDigestFields = Omit<LogDigest, 'signature'>;

/**
 * The bytes the signature covers: UTF-8 lines `name:value` in this fixed order after the format
 * line, each ending in a line feed:
 * ```
 * appraisal-log-digest/v1
 * sealPosition:<decimal>
 * globalPosition:<decimal>
 * eventId:<uuid>
 * chainHash:<hex>
 * signedAt:<ISO 8601>
 * keyId:<hex>
 * ```
 * No field may hold a line feed (every field is checked against its pattern before this is used).
 */
export function digestSigningBytes(fields: SignedDigestFields): Buffer {
  const lines = [
    fields.format,
    `sealPosition:${fields.sealPosition}`,
    `globalPosition:${fields.globalPosition}`,
    `eventId:${fields.eventId}`,
    `chainHash:${fields.chainHash}`,
    `signedAt:${fields.signedAt}`,
    `keyId:${fields.keyId}`,
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** Signs one seal link. */
export function signDigest(
  link: Pick<SealLink, 'sealPosition' | 'globalPosition' | 'eventId' | 'chainHash'>,
  key: DigestSigningKey,
  signedAt: Date,
): LogDigest {
  const fields: SignedDigestFields = {
    format: DIGEST_FORMAT,
    sealPosition: link.sealPosition.toString(),
    globalPosition: link.globalPosition.toString(),
    eventId: link.eventId.toLowerCase(),
    chainHash: link.chainHash,
    signedAt: signedAt.toISOString(),
    keyId: key.keyId,
  };
  return { ...fields, signature: sign(null, digestSigningBytes(fields), key.privateKey).toString('base64') };
}

/** Why a digest does not hold. */
export type DigestProblem = 'MALFORMED_DIGEST' | 'UNKNOWN_KEY_ID' | 'BAD_SIGNATURE' | 'LOG_SHORTER' | 'CHAIN_HASH_DIFFERS' | 'LOG_ALTERED';

export interface DigestVerification {
  /** True when the signature holds and the log up to the digest's position is unchanged. */
  ok: boolean;
  problem: DigestProblem | null;
  reason: string | null;
  /** The key the digest names (null when the digest is malformed). */
  keyId: string | null;
  sealPosition: bigint | null;
  globalPosition: bigint | null;
  /** Events re-verified against their stream chain and the seal, up to the digest's position. */
  checkedEvents: number;
  /** Global position where the log or the seal no longer matches, when that is where it fails. */
  firstBadPosition: bigint | null;
}

const PATTERNS: Record<keyof LogDigest, { pattern: RegExp; expected: string }> = {
  format: { pattern: /^appraisal-log-digest\/v1$/, expected: DIGEST_FORMAT },
  sealPosition: { pattern: /^[1-9][0-9]{0,18}$/, expected: 'a positive whole number as a string' },
  globalPosition: { pattern: /^[1-9][0-9]{0,18}$/, expected: 'a positive whole number as a string' },
  eventId: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, expected: 'a lower-case UUID' },
  chainHash: { pattern: /^[0-9a-f]{64}$/, expected: '64 lower-case hex digits' },
  signedAt: { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, expected: 'an ISO 8601 time in UTC' },
  keyId: { pattern: /^[0-9a-f]{16}$/, expected: '16 lower-case hex digits' },
  signature: { pattern: /^[A-Za-z0-9+/]{86}==$/, expected: 'an Ed25519 signature in base64 (88 characters)' },
};

/** The digest's fields when it has exactly the fields of the format, each well-formed; else what is wrong. */
export function parseDigest(input: unknown): { digest: LogDigest } | { problem: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { problem: 'a digest is a JSON object' };
  const record = input as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof record.format === 'string' && record.format !== DIGEST_FORMAT && /^appraisal-log-digest\//.test(record.format)) {
    return { problem: `format ${record.format} is not supported (this service reads ${DIGEST_FORMAT})` };
  }
  for (const [field, { pattern, expected }] of Object.entries(PATTERNS)) {
    const value = record[field];
    if (value === undefined || value === null) problems.push(`${field} is missing`);
    else if (typeof value !== 'string' || !pattern.test(value)) problems.push(`${field} must be ${expected}`);
  }
  const unexpected = Object.keys(record).filter((field) => !(field in PATTERNS));
  if (unexpected.length > 0) problems.push(`unexpected field(s) ${unexpected.join(', ')}`);
  if (problems.length > 0) return { problem: problems.join('; ') };
  const digest = Object.fromEntries(Object.keys(PATTERNS).map((field) => [field, record[field]])) as unknown as LogDigest;
  return { digest };
}

/** The signature check alone: the digest is well-formed, names a configured key, and that key signed it. */
export function checkDigestSignature(
  input: unknown,
  keys: DigestKeyring | undefined,
): { ok: true; digest: LogDigest } | { ok: false; problem: DigestProblem; reason: string; keyId: string | null } {
  const parsed = parseDigest(input);
  if ('problem' in parsed) return { ok: false, problem: 'MALFORMED_DIGEST', reason: `malformed digest: ${parsed.problem}`, keyId: null };
  const { digest } = parsed;
  const publicKey = keys?.verification.get(digest.keyId);
  if (!publicKey) {
    const known = [...(keys?.verification.keys() ?? [])];
    return {
      ok: false,
      problem: 'UNKNOWN_KEY_ID',
      keyId: digest.keyId,
      reason:
        known.length > 0
          ? `unknown key id ${digest.keyId}: the configured public keys are ${known.join(', ')}; after a key rotation, add the old public key to DIGEST_VERIFY_KEYS`
          : `unknown key id ${digest.keyId}: no digest keys are configured; set DIGEST_VERIFY_KEYS to the public key(s) digests were signed with (or DIGEST_SIGNING_KEY to the current key)`,
    };
  }
  const { signature, ...fields } = digest;
  if (!verify(null, digestSigningBytes(fields), publicKey, Buffer.from(signature, 'base64'))) {
    return {
      ok: false,
      problem: 'BAD_SIGNATURE',
      keyId: digest.keyId,
      reason: `bad signature: the digest was altered after signing, or key ${digest.keyId} did not sign it`,
    };
  }
  return { ok: true, digest };
}

/** No DIGEST_SIGNING_KEY: digests cannot be made (they can still be verified). */
export class DigestSigningKeyMissingError extends ApplicationError {
  constructor() {
    super(
      'DIGEST.SIGNING_KEY_MISSING',
      `no digest signing key: set DIGEST_SIGNING_KEY to an Ed25519 private key in PEM (PKCS#8), inline or as the path of a file holding it; ${DIGEST_KEY_HOW_TO}`,
    );
  }
}

/**
 * Signs the seal's last link, or the link at `sealPosition`. The seal is read as it stands: catch
 * the sealing projection up first for a digest of the whole log.
 */
export async function createLogDigest(
  db: Pick<pg.Pool, 'query'>,
  keys: DigestKeyring | undefined,
  options: { now: Date; sealPosition?: bigint },
): Promise<LogDigest> {
  if (!keys?.signing) throw new DigestSigningKeyMissingError();
  const link = options.sealPosition === undefined ? await sealRepository.last(db) : await sealRepository.at(db, options.sealPosition);
  if (!link) {
    const last = options.sealPosition === undefined ? undefined : await sealRepository.last(db);
    if (options.sealPosition === undefined || !last) {
      throw new ApplicationError('DIGEST.NOTHING_SEALED', 'the seal is empty: there is nothing to sign until the log holds an event');
    }
    throw new ApplicationError('NOT_FOUND', `seal position ${options.sealPosition} does not exist: the seal ends at position ${last.sealPosition}`, {
      what: 'seal position',
      id: options.sealPosition.toString(),
    });
  }
  return signDigest(link, keys.signing, options.now);
}

export interface VerifyDigestOptions {
  /** Called once when the seal does not reach the digest's position yet (e.g. catch the sealing projection up). */
  catchUpSeal?: () => Promise<unknown>;
  batchSize?: number;
  onProgress?: (checked: number) => void;
}

/**
 * Checks a digest: its signature with the key of its key id, then that the log is unchanged up to
 * its position: the seal link there has the signed chain hash (and event), and every event up to
 * there re-verifies against its stream chain and the seal (so the seal's chain up to there is the
 * chain of the log as it is now). Events appended after the digest do not matter.
 */
export async function verifyLogDigest(
  store: EventStore,
  db: pg.Pool,
  keys: DigestKeyring | undefined,
  input: unknown,
  options: VerifyDigestOptions = {},
): Promise<DigestVerification> {
  const signature = checkDigestSignature(input, keys);
  if (!signature.ok) {
    return { ok: false, problem: signature.problem, reason: signature.reason, keyId: signature.keyId, sealPosition: null, globalPosition: null, checkedEvents: 0, firstBadPosition: null };
  }
  const { digest } = signature;
  const sealPosition = BigInt(digest.sealPosition);
  const globalPosition = BigInt(digest.globalPosition);
  const result = (problem: DigestProblem | null, reason: string | null, firstBadPosition: bigint | null = null, checkedEvents = 0): DigestVerification => ({
    ok: problem === null,
    problem,
    reason,
    keyId: digest.keyId,
    sealPosition,
    globalPosition,
    checkedEvents,
    firstBadPosition,
  });

  let link = await sealRepository.at(db, sealPosition);
  if (!link && options.catchUpSeal) {
    await options.catchUpSeal();
    link = await sealRepository.at(db, sealPosition);
  }
  if (!link) {
    const last = await sealRepository.last(db);
    return result(
      'LOG_SHORTER',
      `the log is shorter than the digest: the digest covers seal position ${sealPosition} (global position ${globalPosition}), the seal ends ${last ? `at seal position ${last.sealPosition} (global position ${last.globalPosition})` : 'before its first position (it is empty)'}`,
    );
  }
  if (link.chainHash !== digest.chainHash) {
    return result(
      'CHAIN_HASH_DIFFERS',
      `chain hash differs at seal position ${sealPosition} (global position ${link.globalPosition}): the digest signed ${digest.chainHash}, the seal now has ${link.chainHash}`,
      link.globalPosition,
    );
  }
  if (link.eventId.toLowerCase() !== digest.eventId || link.globalPosition !== globalPosition) {
    return result(
      'CHAIN_HASH_DIFFERS',
      `the seal differs at seal position ${sealPosition}: the digest signed event ${digest.eventId} at global position ${globalPosition}, the seal now has event ${link.eventId} at global position ${link.globalPosition}`,
      link.globalPosition,
    );
  }
  const report = await verifyIntegrity(store, db, { upToSealPosition: sealPosition, batchSize: options.batchSize, onProgress: options.onProgress });
  if (!report.ok) {
    const where = report.firstBadPosition === null ? '' : ` at global position ${report.firstBadPosition}`;
    return result('LOG_ALTERED', `the log changed${where}, within the digest (up to global position ${globalPosition}): ${report.reason}`, report.firstBadPosition, report.checkedEvents);
  }
  return result(null, null, null, report.checkedEvents);
}
