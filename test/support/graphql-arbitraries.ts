import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** Strings an attacker or a careless client sends: injections, markup, control characters, look-alikes. */
const HOSTILE_STRINGS = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '"; SELECT pg_sleep(5); --',
  '$1; DELETE FROM event_seal',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://127.0.0.1/a}',
  '../../../../etc/passwd',
  '\u0000',
  '\u202e\u200b',
  '𠀋𠀌'.repeat(50),
  '__proto__',
  'constructor',
  '-1',
  'NaN',
  '2025-02-30',
  '9999-99-99',
  '2025Q5',
];

/** Values that pass the shape checks and reach the domain, so the fuzz goes past the first gate. */
const PLAUSIBLE_STRINGS = ['bureau', 'office', 'p1', 'bureau.p1.2025Q2', 'bureau.p1.2025', '2025Q2', '2025', '2025-04-01', 'national-current', 'case-1', 'GOOD', 'EXCELLENT'];

const boundedString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);
/** Also huge strings (up to 200,000 characters), where a list does not multiply them. */
const anyString = fc.oneof({ weight: 11, arbitrary: boundedString }, { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((length) => 'x'.repeat(length)) });

/** Numbers and non-numbers where a number is expected. */
const anyInt = fc.oneof(
  fc.integer({ min: -10, max: 400 }),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 0, -1),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('12', true, null),
);
const anyFloat = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 0.1 + 0.2, 100.001, -0.0),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom('1.5', false),
);

/**
 * Arbitrary JSON values for a GraphQL input type: mostly well-typed with hostile contents, sometimes
 * missing required fields, wrong types, unknown enum values, unknown fields and huge lists.
 */
export function inputValue(type: GraphQLInputType, depth = 0, inHugeList = false): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof({ weight: 12, arbitrary: inputValue(type.ofType, depth, inHugeList) }, { weight: 1, arbitrary: fc.constant(null) });
  }
  const value = nullableValue(type, depth, inHugeList);
  return fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
}

function nullableValue(type: GraphQLInputType, depth: number, inHugeList: boolean): fc.Arbitrary<unknown> {
  if (isListType(type)) {
    const item = inputValue(type.ofType, depth + 1, inHugeList);
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
      // Over the 1,000-item limits, with items that stay small.
      { weight: 1, arbitrary: fc.array(inputValue(type.ofType, depth + 1, true), { minLength: 1_001, maxLength: 1_200 }) },
      { weight: 1, arbitrary: item },
    );
  }
  if (isEnumType(type)) {
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((value) => value.name)) }, { weight: 1, arbitrary: boundedString });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return anyInt;
      case 'Float':
        return anyFloat;
      case 'Boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 0));
      case 'JSON':
        return fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom({ id: "'; DROP TABLE events; --" }, { __proto__: { polluted: true } }));
      default:
        return fc.oneof({ weight: 9, arbitrary: inHugeList ? boundedString : anyString }, { weight: 1, arbitrary: anyInt });
    }
  }
  if (isInputObjectType(type)) {
    if (depth > 4) return fc.constant({});
    const fields = type.getFields();
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, field] of Object.entries(fields)) shape[name] = inputValue(field.type, depth + 1, inHugeList);
    const record = fc.record(shape, { requiredKeys: [] });
    return fc.oneof(
      { weight: 8, arbitrary: record },
      { weight: 1, arbitrary: record.map((value) => ({ ...value, unexpectedField: 'x' })) },
      { weight: 1, arbitrary: inHugeList ? boundedString : anyString },
    );
  }
  return fc.constant(null);
}

/** Every mutation of the schema with the type of its single `input` argument (mutations here take one). */
export function mutationInputs(schema: GraphQLSchema): { name: string; inputType: GraphQLInputType; typeName: string }[] {
  const mutation = schema.getMutationType();
  if (!mutation) return [];
  return Object.values(mutation.getFields()).map((field) => {
    const input = field.args.find((argument) => argument.name === 'input');
    if (!input) throw new Error(`mutation ${field.name} takes no input argument: the fuzz expects one`);
    return { name: field.name, inputType: input.type, typeName: String(input.type) };
  });
}
