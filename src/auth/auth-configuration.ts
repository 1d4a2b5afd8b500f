import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Issuer and audience of the development tokens when AUTH_ISSUER and AUTH_AUDIENCE are not set. */
export const DEVELOPMENT_ISSUER = 'appraisal-records-dev';
export const DEFAULT_AUDIENCE = 'appraisal-records';
/** File under DATA_DIR holding the development signing key (Ed25519, PKCS#8 PEM). */
export const DEVELOPMENT_KEY_FILE = 'dev-auth-key.pem';

interface TokenChecks {
  /** `iss` every token must carry. */
  issuer: string;
  /** `aud` every token must carry (one of its values). */
  audience: string;
}

/**
 * How bearer tokens are verified: against the identity provider's JWKS (`AUTH_JWKS_URL`), against
 * one configured public key (`AUTH_PUBLIC_KEY`), or, with neither, against a development key the
 * service keeps under DATA_DIR and `npm run token` signs with.
 */
export type AuthConfiguration =
  | ({ mode: 'jwks'; jwksUrl: string } & TokenChecks)
  | ({ mode: 'public-key'; publicKeyPem: string } & TokenChecks)
  | ({ mode: 'development'; keyFile: string } & TokenChecks);

const PUBLIC_KEY_FORMS =
  'a public key in PEM ("-----BEGIN PUBLIC KEY-----": Ed25519, EC P-256/P-384/P-521 or RSA), inline or as the path of a file holding it';

/** The JWS algorithms a public key may verify: fixed by the key, so a token cannot pick another. */
export function algorithmsFor(key: KeyObject): string[] | undefined {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      return undefined;
    }
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    default:
      return undefined;
  }
}

/** The PEM text of AUTH_PUBLIC_KEY, inline (line breaks may be written `\n`) or read from the file it names. */
function publicKeyPem(value: string, workingDirectory: string, problems: string[]): string | undefined {
  let text = value;
  if (!value.includes('-----BEGIN')) {
    const file = path.resolve(workingDirectory, value);
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      problems.push(`AUTH_PUBLIC_KEY must be ${PUBLIC_KEY_FORMS}; no readable file at ${file}`);
      return undefined;
    }
  }
  text = text.replace(/\\n/g, '\n');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    problems.push('AUTH_PUBLIC_KEY holds a private key: give the public key only (the private key stays with the identity provider)');
    return undefined;
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    problems.push(`AUTH_PUBLIC_KEY must be ${PUBLIC_KEY_FORMS}; it does not parse as one`);
    return undefined;
  }
  if (!algorithmsFor(key)) {
    problems.push(`AUTH_PUBLIC_KEY must be ${PUBLIC_KEY_FORMS}; got a ${key.asymmetricKeyType} key`);
    return undefined;
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

function jwksUrl(value: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`AUTH_JWKS_URL must be the https:// URL of the identity provider's JSON Web Key Set, got "${value}"`);
    return undefined;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`AUTH_JWKS_URL must be an https:// URL (http:// only on localhost), got "${url.protocol}//${url.host}"`);
    return undefined;
  }
  return url.toString();
}

/**
 * Reads the AUTH_* variables, adding one line per problem to `problems`. A configured key
 * (AUTH_JWKS_URL or AUTH_PUBLIC_KEY) needs AUTH_ISSUER and AUTH_AUDIENCE; without one the service
 * runs in development mode with its own key under `dataDirectory`.
 */
export function loadAuthConfiguration(env: NodeJS.ProcessEnv, workingDirectory: string, dataDirectory: string, problems: string[]): AuthConfiguration | undefined {
  const jwks = env.AUTH_JWKS_URL?.trim() || undefined;
  const publicKey = env.AUTH_PUBLIC_KEY?.trim() || undefined;
  const issuer = env.AUTH_ISSUER?.trim() || undefined;
  const audience = env.AUTH_AUDIENCE?.trim() || undefined;
  const before = problems.length;

  if (jwks && publicKey) {
    problems.push('AUTH_JWKS_URL and AUTH_PUBLIC_KEY are both set: set one, the JWKS URL of the identity provider or its public key');
  }
  if (!jwks && !publicKey) {
    return { mode: 'development', keyFile: path.join(dataDirectory, DEVELOPMENT_KEY_FILE), issuer: issuer ?? DEVELOPMENT_ISSUER, audience: audience ?? DEFAULT_AUDIENCE };
  }
  const url = jwks ? jwksUrl(jwks, problems) : undefined;
  const pem = publicKey ? publicKeyPem(publicKey, workingDirectory, problems) : undefined;
  const keyVariable = jwks ? 'AUTH_JWKS_URL' : 'AUTH_PUBLIC_KEY';
  if (!issuer) problems.push(`AUTH_ISSUER is required with ${keyVariable}: the issuer (iss) every token must name`);
  if (!audience) problems.push(`AUTH_AUDIENCE is required with ${keyVariable}: the audience (aud) every token must name, e.g. ${DEFAULT_AUDIENCE}`);
  if (problems.length > before || !issuer || !audience) return undefined;
  if (url) return { mode: 'jwks', jwksUrl: url, issuer, audience };
  return { mode: 'public-key', publicKeyPem: pem!, issuer, audience };
}
