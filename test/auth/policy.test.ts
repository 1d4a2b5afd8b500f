import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLTypesLoader } from '@nestjs/graphql';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { POLICY } from '../../src/auth/policy.js';
import { ROLES } from '../../src/auth/roles.js';
import { GraphQLTestApp } from '../support/graphql-app.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function loadSchema(): Promise<GraphQLSchema> {
  return buildSchema(await new GraphQLTypesLoader().mergeTypesByPaths(path.join(projectRoot, 'schema/**/*.graphql')));
}

type RootType = 'Query' | 'Mutation' | 'Subscription';

function rootFields(schema: GraphQLSchema): { type: RootType; field: GraphQLField<unknown, unknown> }[] {
  const roots: [RootType, ReturnType<GraphQLSchema['getQueryType']>][] = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([type, root]) => Object.values(root?.getFields() ?? {}).map((field) => ({ type, field })));
}

/** A value of the input type that GraphQL accepts (what the resolver makes of it does not matter here). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sample(field.type)]),
    );
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'JSON':
      return {};
    default:
      return 'x';
  }
}

/** One operation asking for the field, every required argument given as a variable. */
function documentFor(type: RootType, field: GraphQLField<unknown, unknown>): { document: string; variables: Record<string, unknown> } {
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const declarations = required.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const argumentList = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    document: `${type.toLowerCase()}${declarations ? ` Run(${declarations})` : ''} { ${field.name}${argumentList ? `(${argumentList})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, sample(arg.type)])),
  };
}

describe('the access policy table (src/auth/policy.ts)', () => {
  it('has a rule for every root field of the schema, of the same root type, and none for a field that does not exist', async () => {
    const schema = await loadSchema();
    const fields = rootFields(schema);
    const missing = fields.filter(({ field }) => !POLICY[field.name]).map(({ type, field }) => `${type}.${field.name}`);
    expect(missing).toEqual([]);
    const mistyped = fields.filter(({ type, field }) => POLICY[field.name] && POLICY[field.name].type !== type).map(({ type, field }) => `${type}.${field.name}`);
    expect(mistyped).toEqual([]);
    const names = new Set(fields.map(({ field }) => field.name));
    const stale = Object.entries(POLICY)
      .filter(([name, rule]) => rule.type !== 'http' && !names.has(name))
      .map(([name]) => name);
    expect(stale).toEqual([]);
  });

  it('names only known roles, makes only health public, and lets auditors write nothing', () => {
    for (const [operation, rule] of Object.entries(POLICY)) {
      for (const role of Object.keys(rule.roles)) expect({ operation, role, known: (ROLES as readonly string[]).includes(role) }).toEqual({ operation, role, known: true });
      if (rule.type === 'Mutation') expect({ operation, auditor: rule.roles.AUDITOR }).toEqual({ operation, auditor: undefined });
    }
    expect(Object.keys(POLICY).filter((operation) => POLICY[operation].public)).toEqual(['health']);
  });
});

describe('the edge guards every root field', () => {
  let service: GraphQLTestApp;
  beforeAll(async () => {
    service = await GraphQLTestApp.start();
  });
  afterAll(() => service.close());

  it('answers every query and mutation of the schema without a token with UNAUTHENTICATED, except health', async () => {
    const schema = await loadSchema();
    const answers: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    for (const { type, field } of rootFields(schema).filter(({ type }) => type !== 'Subscription')) {
      const { document, variables } = documentFor(type, field);
      const { status, body } = await service.send(document, variables);
      const name = `${type}.${field.name}`;
      answers[name] = body.errors?.map((error) => error.extensions.code).join(',') ?? `ok ${status}`;
      wanted[name] = field.name === 'health' ? 'ok 200' : 'UNAUTHENTICATED';
    }
    expect(answers).toEqual(wanted);
    expect(Object.keys(answers).length).toBeGreaterThan(60);
  });
});
