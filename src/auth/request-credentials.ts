import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '../event-store/event.js';
import type { Credentials } from './access-control.js';
import { authenticate, type Authentication } from './authentication.js';
import type { Principal } from './roles.js';

/** The header a request names the role it acts in with, when its token grants several. */
export const ACTING_ROLE_HEADER = 'x-acting-role';

/** A header by name, whatever its case (a WebSocket's connection_init payload keeps the client's case). */
export function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/** The context mercurius gives a resolver: `reply.request` over HTTP, `_connectionInit` on a subscription's socket. */
export interface GraphQLRequestContext {
  reply?: { request?: { headers?: IncomingHttpHeaders } };
  _connectionInit?: Record<string, unknown> | null;
}

const principals = new WeakMap<object, Promise<Principal>>();
const actors = new WeakMap<object, Actor>();

/** A value of the request's headers or, on a WebSocket, of its connection_init payload (`{ Authorization: 'Bearer …' }`). */
function requestValue(context: GraphQLRequestContext, name: string): string | undefined {
  const init = context._connectionInit ?? undefined;
  return (
    headerOf(context.reply?.request?.headers as Record<string, unknown> | undefined, name) ??
    headerOf(init, name) ??
    headerOf(init?.headers as Record<string, unknown> | undefined, name)
  );
}

/** The request's credentials: its token verified once per request, however many fields it asks. */
export function credentialsOf(context: GraphQLRequestContext, authentication: Authentication): Credentials {
  return {
    principal() {
      let principal = principals.get(context);
      if (!principal) {
        principal = authenticate(authentication, requestValue(context, 'authorization'));
        principals.set(context, principal);
      }
      return principal;
    },
    actingRole: requestValue(context, ACTING_ROLE_HEADER),
  };
}

/** Credentials of a plain HTTP request (the exports). */
export function credentialsOfHeaders(headers: IncomingHttpHeaders, authentication: Authentication): Credentials {
  return {
    principal: () => authenticate(authentication, headerOf(headers as Record<string, unknown>, 'authorization')),
    actingRole: headerOf(headers as Record<string, unknown>, ACTING_ROLE_HEADER),
  };
}

/** Remembers the actor the edge authorized for the request, for the resolvers' CurrentActor. */
export function rememberActor(context: object, actor: Actor): void {
  actors.set(context, actor);
}

export function authorizedActor(context: object): Actor | undefined {
  return actors.get(context);
}
