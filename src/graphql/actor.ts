import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { UnauthenticatedError } from '../auth/auth-errors.js';
import { authorizedActor } from '../auth/request-credentials.js';
import type { Actor } from '../event-store/event.js';

/**
 * Resolver parameter: the actor of the request as the edge authorized it (src/auth/access.guard.ts):
 * the token's subject and organization, in the role the request acts in.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = authorizedActor(GqlExecutionContext.create(context).getContext<object>());
  if (!actor) throw new UnauthenticatedError('TOKEN_MISSING', 'the request carries no verified bearer token');
  return actor;
});
