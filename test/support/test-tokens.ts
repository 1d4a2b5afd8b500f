import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Authentication } from '../../src/auth/authentication.js';
import { signToken } from '../../src/auth/token-issuer.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import type { Actor } from '../../src/event-store/event.js';

export const TEST_ISSUER = 'appraisal-records-test';
export const TEST_AUDIENCE = 'appraisal-records';

/** Whom a test token names: an actor (one role) or several roles. */
export type TokenSubject = Actor | { id: string; roles: string[]; organizationId: string };

/**
 * A reader that sees everything: an auditor scoped to every organization. GraphQLTestApp sends
 * queries as this actor unless a test names another.
 */
export const EVERYTHING_READER: Actor = { id: 'test-auditor', role: 'AUDITOR', organizationId: '*' };

/** A test key pair: the service verifies with its public key (AUTH_PUBLIC_KEY mode), tests sign with its private key. */
export class TestTokens {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly authentication: Authentication;
  private readonly cache = new Map<string, Promise<string>>();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.authentication = {
      mode: 'public-key',
      verifier: createTokenVerifier({ publicKey }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE }),
      description: 'test key',
    };
  }

  /** A token valid for a day for the subject (cached per subject). */
  token(subject: TokenSubject): Promise<string> {
    const roles = 'roles' in subject ? subject.roles : [subject.role];
    const key = JSON.stringify([subject.id, roles, subject.organizationId]);
    let token = this.cache.get(key);
    if (!token) {
      token = signToken(this.privateKey, { sub: subject.id, roles, org: subject.organizationId }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
      this.cache.set(key, token);
    }
    return token;
  }

  /** `{ authorization: 'Bearer …' }` for the subject. */
  async headers(subject: TokenSubject): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.token(subject)}` };
  }
}
