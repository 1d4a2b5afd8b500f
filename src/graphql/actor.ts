import type { IncomingHttpHeaders } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../event-store/event.js';
import { ApplicationError } from '../shared/errors.js';

/** Until authentication exists, the caller names the actor of a mutation in these request headers. */
const ACTOR_HEADERS: Record<keyof Actor, string> = {
  id: 'x-actor-id',
  role: 'x-actor-role',
  organizationId: 'x-actor-organization',
};

class UnauthenticatedError extends ApplicationError {
  constructor(missingHeaders: string[]) {
    super('UNAUTHENTICATED', `the request names no actor: missing header ${missingHeaders.join(', ')}`, { missingHeaders });
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The actor named by the headers; UNAUTHENTICATED naming every header that is missing or blank. */
function actorFromHeaders(headers: IncomingHttpHeaders): Actor {
  const actor: Actor = {
    id: headerValue(headers, ACTOR_HEADERS.id),
    role: headerValue(headers, ACTOR_HEADERS.role),
    organizationId: headerValue(headers, ACTOR_HEADERS.organizationId),
  };
  const missing = (Object.keys(ACTOR_HEADERS) as (keyof Actor)[]).filter((field) => actor[field] === '').map((field) => ACTOR_HEADERS[field]);
  if (missing.length > 0) throw new UnauthenticatedError(missing);
  return actor;
}

/** Resolver parameter: the actor of the request, read from mercurius' context. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const { reply } = GqlExecutionContext.create(context).getContext<{ reply: FastifyReply }>();
  return actorFromHeaders(reply.request.headers);
});
