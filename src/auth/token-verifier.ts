import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { algorithmsFor } from './auth-configuration.js';
import { UnauthenticatedError } from './auth-errors.js';
import { EVERY_ORGANIZATION, isRole, type Principal } from './roles.js';

/** Checks a bearer token and maps its claims to the principal; UNAUTHENTICATED with the reason otherwise. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Every algorithm a JWKS key may use; which one a token may use follows from the key it names. */
const JWKS_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export type VerificationKey = { publicKey: KeyObject | string } | { jwksUrl: string };

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  clockToleranceSeconds?: number;
  /** Told why the JWKS could not be read (for the server log; the caller only learns that it could not). */
  onKeySetError?: (error: unknown) => void;
  /**
   * How long a token that verified is remembered, in milliseconds, so that a client's next requests
   * with it skip the signature check (never past the token's `exp`). 0 verifies every request.
   * Default 30 s: no longer than a key removed from a JWKS stays usable anyway (jose keeps the
   * set for minutes).
   */
  verifiedTokenTtlMs?: number;
}

/** Verified tokens kept at most; beyond it the expired ones go, then the oldest. */
const VERIFIED_TOKENS_LIMIT = 10_000;

const ID_PATTERN = /^[^\s]{1,100}$/;

/** The principal the claims name: `sub` the actor id, `roles` (the known ones, in order), `org` the scope. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const invalid = (message: string) => new UnauthenticatedError('CLAIMS_INVALID', message);
  const { sub, roles, org } = payload as JWTPayload & { roles?: unknown; org?: unknown };
  if (typeof sub !== 'string' || !ID_PATTERN.test(sub) || sub === EVERY_ORGANIZATION) throw invalid('the token names no actor: sub must be an id of 1 to 100 characters');
  if (typeof org !== 'string' || !ID_PATTERN.test(org)) throw invalid('the token names no organization: org must be an organization id, or * for every organization');
  const named = typeof roles === 'string' ? [roles] : Array.isArray(roles) ? roles : undefined;
  if (!named) throw invalid('the token names no roles: roles must be a list of role names');
  const known = [...new Set(named.filter(isRole))];
  if (known.length === 0) throw invalid('the token names no role this service knows');
  return { id: sub, roles: known, organizationId: org };
}

/** The UNAUTHENTICATED error for what jose refused; the message never shows the key. */
function refusal(error: unknown): UnauthenticatedError {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('TOKEN_EXPIRED', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new UnauthenticatedError('ISSUER_MISMATCH', 'the token was not issued by the issuer this service trusts');
    if (error.claim === 'aud') return new UnauthenticatedError('AUDIENCE_MISMATCH', 'the token is not meant for this service (audience)');
    if (error.claim === 'nbf' || error.claim === 'iat') return new UnauthenticatedError('TOKEN_NOT_YET_VALID', 'the token is not valid yet');
    return new UnauthenticatedError('CLAIMS_INVALID', `the token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new UnauthenticatedError('SIGNATURE_INVALID', 'the token signature does not verify');
  if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthenticatedError('ALGORITHM_NOT_ALLOWED', 'the token is signed with an algorithm this service does not accept');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new UnauthenticatedError('KEY_UNKNOWN', 'no key of the identity provider matches the token');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof errors.JOSENotSupported) {
    return new UnauthenticatedError('KEY_SET_UNAVAILABLE', 'the keys of the identity provider could not be read: try again later');
  }
  if (error instanceof errors.JOSEError) return new UnauthenticatedError('TOKEN_MALFORMED', 'the bearer token is not a well-formed signed JWT');
  // A JWKS fetch that failed at the network level.
  return new UnauthenticatedError('KEY_SET_UNAVAILABLE', 'the keys of the identity provider could not be read: try again later');
}

/** A verifier for one public key (its algorithms fixed by the key) or for a remote JWKS (fetched and cached by jose). */
export function createTokenVerifier(key: VerificationKey, options: VerifierOptions): TokenVerifier {
  let getKey: KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if ('jwksUrl' in key) {
    const keySet = createRemoteJWKSet(new URL(key.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    // Whatever keeps the set from being read (network, status, content) is the provider's problem, not the token's.
    getKey = async (header, token) => {
      try {
        return await keySet(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        options.onKeySetError?.(error);
        throw new UnauthenticatedError('KEY_SET_UNAVAILABLE', 'the keys of the identity provider could not be read: try again later');
      }
    };
    algorithms = JWKS_ALGORITHMS;
  } else {
    const publicKey = typeof key.publicKey === 'string' ? createPublicKey({ key: key.publicKey, format: 'pem' }) : key.publicKey;
    getKey = publicKey;
    algorithms = algorithmsFor(publicKey) ?? [];
  }
  const ttlMs = options.verifiedTokenTtlMs ?? 30_000;
  // The exact token string → its principal, until when it may be trusted without verifying it again.
  const verified = new Map<string, { principal: Principal; until: number }>();
  const remember = (token: string, principal: Principal, expiresAtSeconds: number | undefined) => {
    const now = Date.now();
    const until = Math.min(now + ttlMs, (expiresAtSeconds ?? 0) * 1000);
    if (ttlMs <= 0 || until <= now) return principal;
    if (verified.size >= VERIFIED_TOKENS_LIMIT) {
      for (const [key, entry] of verified) if (entry.until <= now) verified.delete(key);
      for (const key of verified.keys()) {
        if (verified.size < VERIFIED_TOKENS_LIMIT) break;
        verified.delete(key);
      }
    }
    // Shared by every request that presents the token: nobody may change it.
    const shared = Object.freeze({ ...principal, roles: Object.freeze([...principal.roles]) as Principal['roles'] });
    verified.set(token, { principal: shared, until });
    return shared;
  };
  return {
    async verify(token: string): Promise<Principal> {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.until) return known.principal;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, getKey as never, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: options.clockToleranceSeconds ?? 30,
        });
        return remember(token, principalFromClaims(payload), payload.exp);
      } catch (error) {
        throw refusal(error);
      }
    },
  };
}
