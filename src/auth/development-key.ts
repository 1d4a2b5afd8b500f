import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The development signing key under DATA_DIR: what `npm run token` signs with and the service accepts. */
export interface DevelopmentKey {
  file: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** True when this call made the key. */
  created: boolean;
}

function read(file: string): DevelopmentKey {
  const privateKey = createPrivateKey({ key: fs.readFileSync(file, 'utf8'), format: 'pem' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key, not the Ed25519 development key`);
  return { file, privateKey, publicKey: createPublicKey(privateKey), created: false };
}

/**
 * Reads the development key, or makes an Ed25519 key pair and stores its private key there
 * (PKCS#8 PEM, readable by the owner only). The file is created exclusively, so a service and a
 * CLI starting together end up with the same key.
 */
export function loadOrCreateDevelopmentKey(file: string): DevelopmentKey {
  if (fs.existsSync(file)) return read(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read(file);
    throw error;
  }
  return { file, privateKey, publicKey, created: true };
}
