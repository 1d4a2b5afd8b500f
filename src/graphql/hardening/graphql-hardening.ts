import type { ValidationRule } from 'graphql';
import type { HardeningConfiguration } from './hardening.config.js';
import { noIntrospectionRule, queryLimitsRule } from './query-limits.js';

/**
 * The mercurius options that enforce the query limits: depth, complexity and (when configured
 * off) introspection as validation rules, run with graphql's own rules before anything executes.
 *
 * The rules read the request's variables (`grades(first: $first)` costs what `$first` asks for),
 * which mercurius allows only with its parsed-query cache off (`cache: false`): each request is
 * parsed and validated, well under a millisecond for this schema's queries.
 */
export function graphqlHardeningOptions(hardening: HardeningConfiguration): {
  cache: false;
  validationRules: (request: { source: string; variables?: Record<string, unknown>; operationName?: string }) => ValidationRule[];
} {
  const limits = { maxDepth: hardening.maxDepth, maxComplexity: hardening.maxComplexity };
  return {
    cache: false,
    validationRules: ({ variables, operationName }) => {
      const rules = [queryLimitsRule(limits, { variables, operationName })];
      if (!hardening.introspection) rules.unshift(noIntrospectionRule);
      return rules;
    },
  };
}
