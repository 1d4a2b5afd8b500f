import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ApplicationError } from '../../shared/errors.js';

/** Codes of the requests these rules refuse before execution (answered with HTTP 400). */
export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';
export const INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED';
export const QUERY_REFUSAL_CODES: readonly string[] = [QUERY_TOO_DEEP, QUERY_TOO_COMPLEX, INTROSPECTION_DISABLED];

/** Multiplier of a paginated field whose `first` has no value and no schema default. */
const FALLBACK_PAGE_SIZE = 50;

export interface QueryCost {
  /** Deepest nesting of fields: `{ health { store } }` is 2. Fragments add no level of their own. */
  depth: number;
  /**
   * Each field costs 1; a field with a `first` argument (a paginated list) adds its subtree
   * `first` times, the schema's default page size when the argument is absent. Fragments are
   * expanded where they are spread.
   */
  complexity: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  variableDefaults: Map<string, unknown>;
  /** Each fragment's cost, measured once per operation (a fragment's cost does not depend on where it is spread). */
  fragmentCosts: Map<string, QueryCost>;
  visiting: Set<string>;
}

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLCompositeType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent && parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
  return undefined;
}

/** How many items a paginated field returns at most, from `first` as written, as a variable, or the schema default. */
function pageSize(walk: Walk, field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number {
  const argumentDefinition = definition?.args.find((argument) => argument.name === 'first');
  const argument = field.arguments?.find((node) => node.name.value === 'first');
  if (!argumentDefinition && !argument) return 1;
  let value: unknown;
  if (argument?.value.kind === Kind.VARIABLE) {
    const name = argument.value.name.value;
    value = walk.variables[name] !== undefined ? walk.variables[name] : walk.variableDefaults.get(name);
  } else if (argument) {
    value = valueFromASTUntyped(argument.value);
  }
  if (value === undefined || value === null) value = argumentDefinition?.defaultValue;
  const size = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : FALLBACK_PAGE_SIZE;
  return Math.max(1, size);
}

function measureSelections(walk: Walk, selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType | undefined): QueryCost {
  let depth = 0;
  let complexity = 0;
  for (const selection of selectionSet?.selections ?? []) {
    let cost: QueryCost;
    if (selection.kind === Kind.FIELD) {
      const definition = fieldDefinition(walk.schema, parent, selection.name.value);
      const type = definition ? getNamedType(definition.type) : undefined;
      const children = measureSelections(walk, selection.selectionSet, type && isCompositeType(type) ? type : undefined);
      cost = { depth: 1 + children.depth, complexity: 1 + pageSize(walk, selection, definition) * children.complexity };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      cost = measureSelections(walk, selection.selectionSet, condition && isCompositeType(condition) ? condition : undefined);
    } else {
      cost = measureFragment(walk, selection.name.value);
    }
    depth = Math.max(depth, cost.depth);
    complexity += cost.complexity;
  }
  return { depth, complexity };
}

function measureFragment(walk: Walk, name: string): QueryCost {
  const known = walk.fragmentCosts.get(name);
  if (known) return known;
  const fragment = walk.fragments.get(name);
  // An unknown or cyclic fragment is refused by graphql's own rules; it costs nothing here.
  if (!fragment || walk.visiting.has(name)) return { depth: 0, complexity: 0 };
  walk.visiting.add(name);
  const type = walk.schema.getType(fragment.typeCondition.name.value);
  const cost = measureSelections(walk, fragment.selectionSet, type && isCompositeType(type) ? type : undefined);
  walk.visiting.delete(name);
  walk.fragmentCosts.set(name, cost);
  return cost;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | undefined {
  if (operation.operation === 'mutation') return schema.getMutationType() ?? undefined;
  if (operation.operation === 'subscription') return schema.getSubscriptionType() ?? undefined;
  return schema.getQueryType() ?? undefined;
}

/** Depth and complexity of one operation of `document`, with the request's variables. */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const walk: Walk = { schema, fragments, variables, variableDefaults, fragmentCosts: new Map(), visiting: new Set() };
  return measureSelections(walk, operation.selectionSet, rootType(schema, operation));
}

/** The operations a request runs: the one it names, or (without a name) every one in the document. */
function selectedOperations(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode[] {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operationName) return operations;
  const named = operations.filter((operation) => operation.name?.value === operationName);
  return named.length > 0 ? named : operations;
}

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

function refusal(code: string, message: string, details: Record<string, unknown>, nodes: OperationDefinitionNode): GraphQLError {
  // The error formatter maps an ApplicationError to `extensions.code` and its details.
  return new GraphQLError(message, { nodes, originalError: new ApplicationError(code, message, details) });
}

/** What a request asks beyond its document: its variables and the operation it names. */
export interface LimitedRequest {
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The refusals of the operations the request runs that are deeper or costlier than the limits (none: within them). */
export function queryLimitErrors(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits, request: LimitedRequest = {}): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const operation of selectedOperations(document, request.operationName)) {
    const { depth, complexity } = measureOperation(schema, document, operation, request.variables ?? {});
    const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
    if (depth > limits.maxDepth) {
      errors.push(refusal(QUERY_TOO_DEEP, `${name} nests fields ${depth} deep; at most ${limits.maxDepth} levels are allowed`, { depth, maxDepth: limits.maxDepth }, operation));
    }
    if (complexity > limits.maxComplexity) {
      errors.push(
        refusal(
          QUERY_TOO_COMPLEX,
          `${name} has complexity ${complexity}; at most ${limits.maxComplexity} is allowed (each field counts 1, a paginated list its subtree times first): ask for smaller pages or fewer fields`,
          { complexity, maxComplexity: limits.maxComplexity },
          operation,
        ),
      );
    }
  }
  return errors;
}

/** A validation rule refusing an operation deeper or costlier than the limits, before anything executes. */
export function queryLimitsRule(limits: QueryLimits, request: LimitedRequest = {}): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      leave(document) {
        for (const error of queryLimitErrors(context.getSchema(), document, limits, request)) context.reportError(error);
      },
    },
  });
}

/** A validation rule refusing `__schema` and `__type` (`__typename` stays allowed). */
export const noIntrospectionRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Field(node) {
    const name = node.name.value;
    if (name !== SchemaMetaFieldDef.name && name !== TypeMetaFieldDef.name) return;
    const message = `introspection is disabled on this server (GRAPHQL_INTROSPECTION=false): ${name} cannot be queried`;
    context.reportError(new GraphQLError(message, { nodes: node, originalError: new ApplicationError(INTROSPECTION_DISABLED, message, { field: name }) }));
  },
});
