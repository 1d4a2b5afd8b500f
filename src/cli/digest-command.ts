import fs from 'node:fs';
import path from 'node:path';
import type { Infrastructure } from '../infrastructure.js';
import { generateDigestKeyPair } from '../integrity/digest-keys.js';
import { createLogDigest, verifyLogDigest, type DigestVerification } from '../integrity/digest.js';
import { SEALING_PROJECTION } from '../integrity/sealing.projection.js';

/** Where a command writes: `out` is its result (stdout), `err` its messages (stderr). */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export interface DigestCommandContext {
  infrastructure: Pick<Infrastructure, 'store' | 'pool' | 'projections' | 'digestKeys'>;
  io: CommandOutput;
  /** The signing time; real time unless a test fixes it. */
  now?: () => Date;
  workingDirectory?: string;
}

export const DIGEST_USAGE = `usage:
  npm run digest [-- --out FILE --seal-position N]         sign a digest of the log (the seal's last link, or link N) and print it as JSON
  npm run verify -- --digest FILE                          check a digest's signature and that the log is unchanged up to it
  npm run -s digest-key                                    print a new Ed25519 key pair in PEM (private key, then public key)`;

/** `digest [--out FILE] [--seal-position N]`; exit 0 with the digest, 1 when none can be made. */
export async function runDigestCommand(args: string[], context: DigestCommandContext): Promise<number> {
  const { io, infrastructure } = context;
  let out: string | undefined;
  let sealPosition: bigint | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const [flag, value] = [args[index], args[index + 1]];
    if (flag === '--out' && value) {
      out = value;
      index += 1;
    } else if (flag === '--seal-position' && value && /^[1-9][0-9]{0,18}$/.test(value)) {
      sealPosition = BigInt(value);
      index += 1;
    } else {
      io.err(`digest: unexpected argument ${flag}${value === undefined ? '' : ` ${value}`}\n${DIGEST_USAGE}`);
      return 1;
    }
  }
  // Seal what is not sealed yet, so that the digest covers the log as it is now.
  await infrastructure.projections.catchUp(SEALING_PROJECTION);
  const digest = await createLogDigest(infrastructure.pool, infrastructure.digestKeys, { now: (context.now ?? (() => new Date()))(), sealPosition });
  const json = `${JSON.stringify(digest, null, 2)}\n`;
  if (out) {
    const file = path.resolve(context.workingDirectory ?? process.cwd(), out);
    try {
      // A digest is evidence: never overwrite one.
      fs.writeFileSync(file, json, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      io.err(code === 'EEXIST' ? `digest: ${file} exists; a digest is never overwritten, choose another file` : `digest: cannot write ${file} (${code ?? error})`);
      return 1;
    }
    io.err(`signed seal position ${digest.sealPosition} (global position ${digest.globalPosition}) with key ${digest.keyId}: ${file}`);
  }
  io.out(json);
  return 0;
}

/** The verification as JSON, positions as strings. */
export function digestVerificationJson(verification: DigestVerification): string {
  return JSON.stringify(
    {
      ...verification,
      sealPosition: verification.sealPosition?.toString() ?? null,
      globalPosition: verification.globalPosition?.toString() ?? null,
      firstBadPosition: verification.firstBadPosition?.toString() ?? null,
    },
    null,
    2,
  );
}

/**
 * `verify --digest FILE`: exit 0 when the signature holds and the log is unchanged up to the
 * digest, 2 when not (the JSON report names why), 1 when the file cannot be read.
 */
export async function runVerifyDigestCommand(file: string, context: DigestCommandContext & { onProgress?: (checked: number) => void }): Promise<number> {
  const { io, infrastructure } = context;
  const target = path.resolve(context.workingDirectory ?? process.cwd(), file);
  let text: string;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (error) {
    io.err(`verify: cannot read the digest ${target} (${(error as NodeJS.ErrnoException).code ?? error})`);
    return 1;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    input = undefined;
    io.err(`verify: ${target} is not JSON (${error instanceof Error ? error.message : error})`);
  }
  let verification: DigestVerification;
  if (input === undefined) {
    verification = { ok: false, problem: 'MALFORMED_DIGEST', reason: 'malformed digest: the file is not JSON', keyId: null, sealPosition: null, globalPosition: null, checkedEvents: 0, firstBadPosition: null };
  } else {
    // Seal what is not sealed yet: a digest made moments ago may be ahead of this process's seal.
    await infrastructure.projections.catchUp(SEALING_PROJECTION);
    verification = await verifyLogDigest(infrastructure.store, infrastructure.pool, infrastructure.digestKeys, input, {
      onProgress: context.onProgress,
    });
  }
  io.out(`${digestVerificationJson(verification)}\n`);
  if (!verification.ok) io.err(`the digest does not hold: ${verification.reason}`);
  return verification.ok ? 0 : 2;
}

/** `digest-key`: a new Ed25519 key pair in PEM on stdout (private, then public), its key id on stderr. */
export function runDigestKeyCommand(io: CommandOutput): number {
  const pair = generateDigestKeyPair();
  io.out(`${pair.privateKeyPem}${pair.publicKeyPem}`);
  io.err(
    [
      `key id ${pair.keyId}`,
      'DIGEST_SIGNING_KEY takes this output (or the path of a file holding it); after a rotation, keep the old public key',
      '(the "PUBLIC KEY" block, or "openssl pkey -in old.pem -pubout") in DIGEST_VERIFY_KEYS so that old digests still verify.',
    ].join('\n'),
  );
  return 0;
}
