import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { AccessControl } from './access-control.js';
import type { Authentication } from './authentication.js';
import { credentialsOf, rememberActor, type GraphQLRequestContext } from './request-credentials.js';

/** Injection token of the service's Authentication. */
export const AUTHENTICATION = Symbol('AUTHENTICATION');

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * The edge's one check, registered as a global guard: every root field of every query, mutation
 * and subscription passes the policy table before its resolver runs (and before input validation),
 * so no resolver can be left out. Fields of other types belong to a root field already checked.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly access: AccessControl,
    @Inject(AUTHENTICATION) private readonly authentication: Authentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const graphql = GqlExecutionContext.create(context);
    const info = graphql.getInfo<GraphQLResolveInfo>();
    if (!ROOT_TYPES.has(info.parentType.name)) return true;
    const requestContext = graphql.getContext<GraphQLRequestContext & object>();
    const actor = await this.access.authorize(info.fieldName, graphql.getArgs<Record<string, unknown>>() ?? {}, credentialsOf(requestContext, this.authentication));
    if (actor) rememberActor(requestContext, actor);
    return true;
  }
}
