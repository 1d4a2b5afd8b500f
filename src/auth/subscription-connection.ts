import { authenticate, type Authentication } from './authentication.js';
import { headerOf } from './request-credentials.js';

/**
 * mercurius' `onConnect`: a graphql-transport-ws socket is accepted only when its connection_init
 * payload carries a valid bearer token (`{ Authorization: 'Bearer …' }`, or under `headers`); the
 * edge then checks each subscription against the policy as it does every query.
 */
export async function acceptSubscriptionConnection(authentication: Authentication, payload: unknown): Promise<boolean> {
  const init = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const authorization = headerOf(init, 'authorization') ?? headerOf(init.headers as Record<string, unknown> | undefined, 'authorization');
  try {
    await authenticate(authentication, authorization);
    return true;
  } catch {
    return false;
  }
}
