import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { EVERY_ORGANIZATION, isRole, ROLES } from './roles.js';

/** What a development token says: the actor, the roles it may act in, the organization subtree it acts on. */
export interface TokenRequest {
  sub: string;
  roles: string[];
  org: string;
  /** Lifetime in days (fractions allowed); default 1. */
  days?: number;
}

export interface SigningOptions {
  issuer: string;
  audience: string;
  /** Time of issue; default now. */
  now?: Date;
}

export class TokenRequestError extends Error {}

/** Checks a token request, naming every problem at once. */
export function checkTokenRequest(request: TokenRequest): void {
  const problems: string[] = [];
  if (!/^[^\s]{1,100}$/.test(request.sub) || request.sub === EVERY_ORGANIZATION) problems.push('--sub must be an actor id of 1 to 100 characters (the person id for APPRAISED)');
  if (request.roles.length === 0) problems.push(`--roles must name at least one role: ${ROLES.join(', ')}`);
  const unknown = request.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) problems.push(`--roles names unknown roles ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  if (!/^[^\s]{1,100}$/.test(request.org)) problems.push(`--org must be an organization id, or ${EVERY_ORGANIZATION} for every organization`);
  const days = request.days ?? 1;
  if (!Number.isFinite(days) || days <= 0 || days > 366) problems.push('--days must be a number of days above 0 and at most 366');
  if (problems.length > 0) throw new TokenRequestError(problems.join('\n'));
}

/** A signed JWT (EdDSA) with `sub`, `roles`, `org`, `iss`, `aud`, `iat` and `exp`. */
export async function signToken(privateKey: KeyObject, request: TokenRequest, options: SigningOptions): Promise<string> {
  checkTokenRequest(request);
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ roles: request.roles, org: request.org })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round((request.days ?? 1) * 86_400))
    .sign(privateKey);
}
