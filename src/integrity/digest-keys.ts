import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The Ed25519 key new digests are signed with, and its key id. */
export interface DigestSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The keys of the signed digests: the current signing key (`DIGEST_SIGNING_KEY`), and every public
 * key a digest may name by its key id (`DIGEST_VERIFY_KEYS`, plus the signing key's own), so that
 * digests signed before a key rotation still verify.
 */
export interface DigestKeyring {
  /** Absent: digests can be verified here but not made. */
  signing: DigestSigningKey | undefined;
  /** Public keys by key id. */
  verification: ReadonlyMap<string, KeyObject>;
}

/** How to make a key, for error messages and the README. */
export const DIGEST_KEY_HOW_TO =
  'make one with "npm run -s digest-key > digest-signing-key.pem" (node dist/src/cli/main.js digest-key) or "openssl genpkey -algorithm ed25519 -out digest-signing-key.pem"';

const PRIVATE_KEY_FORMS = 'an Ed25519 private key in PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----"), inline or as the path of a file holding it';

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (DER SubjectPublicKeyInfo). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** A new Ed25519 key pair in PEM: the private key PKCS#8, the public key SPKI. */
export function generateDigestKeyPair(): { keyId: string; privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A signing key from its PEM text (tests and tools; configuration goes through loadDigestKeys). */
export function signingKeyFromPem(pem: string): DigestSigningKey {
  const privateKey = createPrivateKey({ key: pem, format: 'pem' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key: ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** A keyring from PEM texts: the signing key (optional) and further public keys. */
export function digestKeyring(signingKeyPem: string | undefined, verifyKeyPems: string[] = []): DigestKeyring {
  const signing = signingKeyPem ? signingKeyFromPem(signingKeyPem) : undefined;
  const verification = new Map<string, KeyObject>();
  for (const pem of verifyKeyPems) {
    const publicKey = createPublicKey({ key: pem, format: 'pem' });
    verification.set(keyIdOf(publicKey), publicKey);
  }
  if (signing) verification.set(signing.keyId, signing.publicKey);
  return { signing, verification };
}

interface PemBlock {
  label: string;
  pem: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)].map((match) => ({ label: match[1], pem: `${match[0]}\n` }));
}

/** A PEM value may come inline, with its line breaks written as `\n` (as .env files often do). */
function isInlinePem(value: string): boolean {
  return value.includes('-----BEGIN');
}

function inlineText(value: string): string {
  return value.replace(/\\n/g, '\n');
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
}

function loadSigningKey(value: string, workingDirectory: string, problems: string[]): DigestSigningKey | undefined {
  let text: string;
  let where = 'DIGEST_SIGNING_KEY';
  if (isInlinePem(value)) {
    text = inlineText(value);
  } else {
    const file = path.resolve(workingDirectory, value);
    where = `DIGEST_SIGNING_KEY (the file ${file})`;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`DIGEST_SIGNING_KEY names the file ${file}, which cannot be read (${errorCode(error)}); it takes ${PRIVATE_KEY_FORMS}`);
      return undefined;
    }
  }
  const blocks = pemBlocks(text);
  const keys = blocks.filter((block) => block.label === 'PRIVATE KEY');
  if (keys.length === 0) {
    const encrypted = blocks.some((block) => block.label === 'ENCRYPTED PRIVATE KEY');
    const other = blocks.find((block) => block.label.endsWith('PRIVATE KEY'));
    problems.push(
      encrypted
        ? `${where} is an encrypted private key; give it unencrypted (PKCS#8 PEM) and protect the file instead`
        : other
          ? `${where} is a "${other.label}" block, not PKCS#8; it takes ${PRIVATE_KEY_FORMS}`
          : `${where} holds no PEM private key; it takes ${PRIVATE_KEY_FORMS}; ${DIGEST_KEY_HOW_TO}`,
    );
    return undefined;
  }
  if (keys.length > 1) {
    problems.push(`${where} holds ${keys.length} private keys; give exactly one (older keys' public halves go in DIGEST_VERIFY_KEYS)`);
    return undefined;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keys[0].pem, format: 'pem' });
  } catch {
    problems.push(`${where} is not a readable PKCS#8 private key; it takes ${PRIVATE_KEY_FORMS}`);
    return undefined;
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    problems.push(`${where} must be an Ed25519 key, got a ${privateKey.asymmetricKeyType} key; ${DIGEST_KEY_HOW_TO}`);
    return undefined;
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** The texts DIGEST_VERIFY_KEYS names: itself when inline, else each file and each directory's *.pem files. */
function verifyKeySources(value: string, workingDirectory: string, problems: string[]): { where: string; text: string }[] {
  if (isInlinePem(value)) return [{ where: 'DIGEST_VERIFY_KEYS', text: inlineText(value) }];
  const sources: { where: string; text: string }[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const target = path.resolve(workingDirectory, entry);
    try {
      if (fs.statSync(target).isDirectory()) {
        const files = fs
          .readdirSync(target)
          .filter((name) => name.endsWith('.pem'))
          .sort();
        if (files.length === 0) problems.push(`DIGEST_VERIFY_KEYS names the directory ${target}, which holds no .pem file`);
        for (const name of files) {
          const file = path.join(target, name);
          sources.push({ where: `DIGEST_VERIFY_KEYS (the file ${file})`, text: fs.readFileSync(file, 'utf8') });
        }
      } else {
        sources.push({ where: `DIGEST_VERIFY_KEYS (the file ${target})`, text: fs.readFileSync(target, 'utf8') });
      }
    } catch (error) {
      problems.push(
        `DIGEST_VERIFY_KEYS names ${target}, which cannot be read (${errorCode(error)}); it takes PEM public keys inline, or a comma-separated list of files and directories of *.pem files holding them`,
      );
    }
  }
  return sources;
}

function loadVerifyKeys(value: string, workingDirectory: string, problems: string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const { where, text } of verifyKeySources(value, workingDirectory, problems)) {
    const blocks = pemBlocks(text).filter((block) => block.label === 'PUBLIC KEY');
    if (blocks.length === 0) {
      problems.push(`${where} holds no PEM public key ("-----BEGIN PUBLIC KEY-----"); print one with "openssl pkey -in <private key file> -pubout"`);
      continue;
    }
    for (const [index, block] of blocks.entries()) {
      const which = blocks.length > 1 ? `${where}, public key ${index + 1},` : where;
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey({ key: block.pem, format: 'pem' });
      } catch {
        problems.push(`${which} is not a readable public key (PEM SubjectPublicKeyInfo)`);
        continue;
      }
      if (publicKey.asymmetricKeyType !== 'ed25519') {
        problems.push(`${which} must be an Ed25519 key, got a ${publicKey.asymmetricKeyType} key`);
        continue;
      }
      keys.set(keyIdOf(publicKey), publicKey);
    }
  }
  return keys;
}

/**
 * Reads `DIGEST_SIGNING_KEY` and `DIGEST_VERIFY_KEYS`, adding one line per problem to `problems`;
 * undefined when neither is set.
 */
export function loadDigestKeys(
  env: { DIGEST_SIGNING_KEY?: string; DIGEST_VERIFY_KEYS?: string },
  workingDirectory: string,
  problems: string[],
): DigestKeyring | undefined {
  const signingValue = env.DIGEST_SIGNING_KEY?.trim() || undefined;
  const verifyValue = env.DIGEST_VERIFY_KEYS?.trim() || undefined;
  if (!signingValue && !verifyValue) return undefined;
  const signing = signingValue ? loadSigningKey(signingValue, workingDirectory, problems) : undefined;
  const verification = verifyValue ? loadVerifyKeys(verifyValue, workingDirectory, problems) : new Map<string, KeyObject>();
  if (signing) verification.set(signing.keyId, signing.publicKey);
  return { signing, verification };
}
