import type { AuthConfiguration } from './auth-configuration.js';
import { UnauthenticatedError } from './auth-errors.js';
import { loadOrCreateDevelopmentKey } from './development-key.js';
import type { Principal } from './roles.js';
import { checkTokenRequest, signToken, TokenRequestError, type TokenRequest } from './token-issuer.js';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js';

/** How the service checks who is calling. */
export interface Authentication {
  mode: AuthConfiguration['mode'];
  verifier: TokenVerifier;
  /** What to log at start-up. */
  description: string;
}

/**
 * The verifier the configuration names; in development mode the key under DATA_DIR, made on first
 * start. `log` hears why a JWKS could not be read.
 */
export function openAuthentication(configuration: AuthConfiguration, log?: (message: string) => void): Authentication {
  const checks = {
    issuer: configuration.issuer,
    audience: configuration.audience,
    onKeySetError: (error: unknown) => log?.(`the JWKS could not be read: ${error instanceof Error ? error.message : String(error)}`),
  };
  switch (configuration.mode) {
    case 'jwks':
      return {
        mode: 'jwks',
        verifier: createTokenVerifier({ jwksUrl: configuration.jwksUrl }, checks),
        description: `bearer tokens verified against the key set at ${configuration.jwksUrl} (issuer ${configuration.issuer}, audience ${configuration.audience})`,
      };
    case 'public-key':
      return {
        mode: 'public-key',
        verifier: createTokenVerifier({ publicKey: configuration.publicKeyPem }, checks),
        description: `bearer tokens verified against AUTH_PUBLIC_KEY (issuer ${configuration.issuer}, audience ${configuration.audience})`,
      };
    case 'development': {
      const key = loadOrCreateDevelopmentKey(configuration.keyFile);
      return {
        mode: 'development',
        verifier: createTokenVerifier({ publicKey: key.publicKey }, checks),
        description:
          `DEVELOPMENT MODE: tokens signed with the development key ${key.file}${key.created ? ' (made now)' : ''} are accepted; ` +
          'issue one with "npm run token -- --sub hr-1 --roles HR --org bureau". Set AUTH_JWKS_URL or AUTH_PUBLIC_KEY (with AUTH_ISSUER and AUTH_AUDIENCE) in production.',
      };
    }
  }
}

/** A development token for the configuration's development key; refused when a real key is configured. */
export async function issueDevelopmentToken(configuration: AuthConfiguration, request: TokenRequest, now?: Date): Promise<string> {
  if (configuration.mode !== 'development') {
    throw new TokenRequestError(
      `${configuration.mode === 'jwks' ? 'AUTH_JWKS_URL' : 'AUTH_PUBLIC_KEY'} is set: tokens come from the identity provider, and this command signs only with the development key`,
    );
  }
  checkTokenRequest(request);
  const key = loadOrCreateDevelopmentKey(configuration.keyFile);
  return signToken(key.privateKey, request, { issuer: configuration.issuer, audience: configuration.audience, now });
}

/** The token of an `Authorization: Bearer <token>` value; UNAUTHENTICATED when there is none. */
export function bearerToken(authorization: string | undefined): string {
  const value = authorization?.trim();
  if (!value) throw new UnauthenticatedError('TOKEN_MISSING', 'the request carries no bearer token: send the header Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match) throw new UnauthenticatedError('TOKEN_MALFORMED', 'the Authorization header must read Bearer <token>');
  return match[1];
}

/** Verifies the bearer token of an Authorization header value. */
export function authenticate(authentication: Authentication, authorization: string | undefined): Promise<Principal> {
  let token: string;
  try {
    token = bearerToken(authorization);
  } catch (error) {
    return Promise.reject(error);
  }
  return authentication.verifier.verify(token);
}
