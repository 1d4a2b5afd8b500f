import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { POLICY } from '../../src/auth/policy.js';
import type { Role } from '../../src/auth/roles.js';
import { HR, registerUnit } from '../support/appraisal-unit.js';
import { GraphQLTestApp } from '../support/graphql-app.js';
import { inputValue, mutationInputs } from '../support/graphql-arbitraries.js';
import type { TokenSubject } from '../support/test-tokens.js';

/**
 * Every mutation of the schema, fed fast-check inputs: invalid numbers, huge strings and lists,
 * wrong enums, injection strings, missing and unknown fields. Each must end in a typed refusal
 * (never INTERNAL_ERROR, never HTTP 500, no stack trace or SQL in the answer) and a refused
 * mutation must append nothing. The caller holds a role the policy allows, so the inputs reach
 * validation and the domain instead of stopping at authorization.
 */
const RUNS_PER_MUTATION = 100;
const SEED = 20261121;

let service: GraphQLTestApp;
let schema: GraphQLSchema;
let casesRun = 0;
const outcomes = new Map<string, number>();

beforeAll(async () => {
  service = await GraphQLTestApp.start();
  await registerUnit(service);
  service.today('2025-07-01');
  await service.mutate('openCycle', { organizationId: 'bureau', period: '2025Q2', personIds: ['p1', 'p2'] }, HR);
  await service.settle();
  schema = service.schema();
}, 60_000);

afterAll(() => service.close());

/** An actor the policy allows to run the mutation: an appraised person acts on their own records. */
function allowedActor(mutation: string): TokenSubject {
  const rule = POLICY[mutation];
  const [role, access] = Object.entries(rule.roles)[0] as [Role, string];
  return access === 'OWN' ? { id: 'p1', role, organizationId: 'bureau' } : { id: 'fuzzer', role, organizationId: '*' };
}

/** Every string inside the input, longest first. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [key, ...stringsOf(item)]);
  return [];
}

/** The response text with the input's own strings cut out, however deeply they were escaped. */
function withoutQuoted(text: string, input: unknown): string {
  let remaining = text;
  for (const quoted of stringsOf(input).filter((candidate) => candidate.length > 2).sort((a, b) => b.length - a.length)) {
    let form = quoted;
    for (let level = 0; level < 4; level += 1) {
      remaining = remaining.split(form).join('');
      form = JSON.stringify(form).slice(1, -1);
    }
  }
  return remaining;
}

const LEAKS = [/\n\s+at /, /\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\brelation "/i, /node_modules|\/src\//];

describe('fuzzing every mutation', () => {
  it(`refuses bad input with typed errors, never a 500, and appends nothing when it refuses (${RUNS_PER_MUTATION} cases per mutation)`, async () => {
    const mutations = mutationInputs(schema);
    expect(mutations.length).toBeGreaterThan(40);
    for (const { name, inputType, typeName } of mutations) {
      const actor = allowedActor(name);
      await fc.assert(
        fc.asyncProperty(inputValue(inputType), async (input) => {
          const before = await service.lastGlobalPosition();
          const { status, body, text } = await service.sendMutation(name, typeName, input, actor);
          casesRun += 1;
          expect([200, 400, 413]).toContain(status);
          // The answer may quote the caller's own strings back; nothing else may look like SQL, a stack or a path.
          if (LEAKS.some((leak) => leak.test(text))) for (const leak of LEAKS) expect(withoutQuoted(text, input)).not.toMatch(leak);
          if (!body.errors) return;
          for (const error of body.errors) {
            const code = error.extensions?.code;
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
            expect(typeof code).toBe('string');
            expect(code).not.toBe('INTERNAL_ERROR');
            expect(error.extensions).not.toHaveProperty('stack');
          }
          expect(await service.lastGlobalPosition()).toBe(before);
        }),
        { numRuns: RUNS_PER_MUTATION, seed: SEED, endOnFailure: true },
      );
    }
    expect(casesRun).toBe(mutations.length * RUNS_PER_MUTATION);
    // The fuzz reached past the first gate: the GraphQL layer, the DTO checks and the domain each refused some.
    expect(outcomes.get('GRAPHQL_VALIDATION_FAILED')).toBeGreaterThan(0);
    expect(outcomes.get('VALIDATION_FAILED')).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((code) => code.includes('.') || code === 'NOT_FOUND')).toBe(true);
  }, 300_000);
});
