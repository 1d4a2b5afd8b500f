import { createRequire } from 'node:module';
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import type { HardeningConfiguration } from './hardening.config.js';
import { noIntrospectionRule, queryLimitErrors } from './query-limits.js';

/** mercurius' own validation error (HTTP 400, the GraphQL errors in `errors`), as its validation step throws it. */
const { MER_ERR_GQL_VALIDATION } = createRequire(import.meta.url)('mercurius/lib/errors.js') as {
  MER_ERR_GQL_VALIDATION: new () => Error & { errors?: GraphQLError[] };
};

/** The operation the request names (POST body or GET query string); none over a WebSocket, where every operation is measured. */
function operationNameOf(context: Partial<Pick<MercuriusContext, 'reply'>>): string | undefined {
  const request = context.reply?.request;
  const sent: unknown = request?.method === 'GET' ? request.query : request?.body;
  const name = sent && typeof sent === 'object' ? (sent as { operationName?: unknown }).operationName : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The mercurius options that enforce the query limits: depth, complexity and (when configured
 * off) introspection, checked on every request before anything executes.
 *
 * mercurius parses and validates each distinct query text once and keeps the result (its LRU,
 * `cache`): graphql's own rules and the introspection rule depend on the text alone. Depth and
 * complexity depend on the request's variables too (`grades(first: $first)` costs what `$first`
 * asks for), so they are measured on every request, with its variables, in a `preExecution` hook
 * (after validation, before execution), and a request beyond them is refused with the same
 * validation error (HTTP 400) as before.
 */
export function graphqlHardeningOptions(hardening: HardeningConfiguration): {
  cache: true;
  validationRules: ValidationRule[];
  hooks: { preExecution: (schema: GraphQLSchema, document: DocumentNode, context: MercuriusContext, variables: Record<string, unknown>) => Promise<void> };
} {
  const limits = { maxDepth: hardening.maxDepth, maxComplexity: hardening.maxComplexity };
  return {
    cache: true,
    validationRules: hardening.introspection ? [] : [noIntrospectionRule],
    hooks: {
      async preExecution(schema, document, context, variables) {
        const errors = queryLimitErrors(schema, document, limits, { variables, operationName: operationNameOf(context) });
        if (errors.length === 0) return;
        const refused = new MER_ERR_GQL_VALIDATION();
        refused.errors = errors;
        throw refused;
      },
    },
  };
}
