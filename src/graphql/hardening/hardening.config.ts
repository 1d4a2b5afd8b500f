/**
 * Limits that protect the GraphQL endpoint and the report exports from expensive or abusive
 * requests. Read from the environment once at start-up (src/config/configuration.ts).
 */
export interface HardeningConfiguration {
  /** `GRAPHQL_MAX_DEPTH`: deepest nesting of fields in one operation (fragments expanded). */
  maxDepth: number;
  /** `GRAPHQL_MAX_COMPLEXITY`: cost of one operation, each field 1, a paginated field's subtree times its `first`. */
  maxComplexity: number;
  /** `GRAPHQL_BODY_LIMIT_BYTES`: largest request body Fastify reads; larger → HTTP 413. */
  bodyLimitBytes: number;
  /** `GRAPHQL_INTROSPECTION`: whether `__schema` and `__type` may be queried. */
  introspection: boolean;
  /** `RATE_LIMIT_PER_MINUTE`: requests per actor (bearer token, else IP) and minute on /graphql and the exports; 0 turns the limit off. */
  rateLimitPerMinute: number;
}

/**
 * Defaults, measured over the test suite's queries: GraphQL's standard schema query (what
 * GraphiQL sends to load the schema) is 15 deep and the deepest query of the service 8, so 20
 * leaves room for other tools' schema queries. The costliest queries of the suite cost 12,526
 * (a page of 501 people under discipline) and 7,501 (500 events with their metadata); a page of
 * 500 grade views with every field and trace step costs 27,001 and fits under 30,000, while a page
 * of 100 reports with their revisions' rows at the default page (200) costs 60,401 and does not.
 */
export const HARDENING_DEFAULTS: Readonly<HardeningConfiguration> = {
  maxDepth: 20,
  maxComplexity: 30_000,
  bodyLimitBytes: 1024 * 1024,
  introspection: true,
  rateLimitPerMinute: 600,
};

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/**
 * Reads the hardening variables, adding one line per bad value to `problems`. Introspection is on
 * unless `NODE_ENV=production`, where it is off unless `GRAPHQL_INTROSPECTION=true`.
 */
export function loadHardeningConfiguration(env: NodeJS.ProcessEnv, problems: string[]): HardeningConfiguration {
  const maxDepth = wholeNumber(env, 'GRAPHQL_MAX_DEPTH', 1, 1000, HARDENING_DEFAULTS.maxDepth, problems);
  const maxComplexity = wholeNumber(env, 'GRAPHQL_MAX_COMPLEXITY', 1, 1_000_000_000, HARDENING_DEFAULTS.maxComplexity, problems);
  const bodyLimitBytes = wholeNumber(env, 'GRAPHQL_BODY_LIMIT_BYTES', 1024, 1024 * 1024 * 1024, HARDENING_DEFAULTS.bodyLimitBytes, problems);
  const rateLimitPerMinute = wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 0, 1_000_000, HARDENING_DEFAULTS.rateLimitPerMinute, problems);

  let introspection = env.NODE_ENV?.trim() !== 'production';
  const rawIntrospection = env.GRAPHQL_INTROSPECTION?.trim();
  if (rawIntrospection === 'true') introspection = true;
  else if (rawIntrospection === 'false') introspection = false;
  else if (rawIntrospection) problems.push(`GRAPHQL_INTROSPECTION must be true or false, got "${rawIntrospection}"`);

  return { maxDepth, maxComplexity, bodyLimitBytes, introspection, rateLimitPerMinute };
}
