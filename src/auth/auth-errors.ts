import { ApplicationError } from '../shared/errors.js';

/** Why a request is not authenticated; `extensions.reason` of an UNAUTHENTICATED error. */
export type UnauthenticatedReason =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'SIGNATURE_INVALID'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'ISSUER_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'KEY_UNKNOWN'
  | 'KEY_SET_UNAVAILABLE'
  | 'CLAIMS_INVALID';

/**
 * Errors of the edge carry their code as GraphQL `extensions` too: a refused subscription reaches
 * the client over the WebSocket without passing the HTTP error formatter.
 */
abstract class EdgeError extends ApplicationError {
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.details };
  }
}

/** No valid bearer token: the message says why, never anything about the key. */
export class UnauthenticatedError extends EdgeError {
  constructor(
    readonly reason: UnauthenticatedReason,
    message: string,
  ) {
    super('UNAUTHENTICATED', message, { reason });
  }
}

/** Why an authenticated request may not run an operation; `extensions.reason` of a FORBIDDEN error. */
export type ForbiddenReason = 'ROLE_NOT_HELD' | 'ROLE_NOT_ALLOWED' | 'OUTSIDE_SCOPE' | 'NOT_OWN_RECORD' | 'NO_ACCESS_RULE';

export interface Denial {
  operation: string;
  reason: ForbiddenReason;
  /** What the operation was aimed at, as the request named it (e.g. `record bureau.p1.2025Q2`). */
  target: string | null;
  message: string;
  allowedRoles: string[];
}

/** The operation is not allowed to the actor: names the operation, the role and why. */
export class ForbiddenError extends EdgeError {
  constructor(denial: Denial, role: string | null) {
    super('FORBIDDEN', denial.message, {
      operation: denial.operation,
      role,
      reason: denial.reason,
      ...(denial.target ? { target: denial.target } : {}),
      ...(denial.reason === 'ROLE_NOT_ALLOWED' || denial.reason === 'ROLE_NOT_HELD' ? { allowedRoles: denial.allowedRoles } : {}),
    });
  }
}
