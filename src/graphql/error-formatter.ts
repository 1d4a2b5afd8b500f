import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { ApplicationError } from '../shared/errors.js';
import { QUERY_REFUSAL_CODES } from './hardening/query-limits.js';

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

/** Pre-execution failures: syntax, unknown fields, variables that do not fit their types. */
const REQUEST_INVALID = 'GRAPHQL_VALIDATION_FAILED';
/** Requests refused before execution, answered with HTTP 400: malformed, too deep, too complex, introspection off. */
const REFUSED_BEFORE_EXECUTION: ReadonlySet<string> = new Set([REQUEST_INVALID, ...QUERY_REFUSAL_CODES]);

function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const nested = (error.originalError as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(nested)) {
      return nested.map((inner) => (inner instanceof GraphQLError ? inner : new GraphQLError(String(inner?.message ?? inner))));
    }
    return [error];
  });
}

/**
 * One GraphQL error as clients see it: a stable `extensions.code`, and never a stack trace, SQL
 * or the text of an unexpected error (that is logged under a reference the client receives).
 */
export function formatError(error: GraphQLError, log: (reference: string, error: unknown) => void): FormattedError {
  const where = { locations: error.locations, path: error.path };
  const original = error.originalError;
  if (original instanceof ApplicationError) {
    return { message: original.message, ...where, extensions: { code: original.code, ...original.details } };
  }
  // A variable that does not fit its type (a value outside an enum) fails before execution, so
  // without a path, and carries the type's own parse error as its original error.
  if (!original || (!error.path && original instanceof GraphQLError)) {
    return { message: error.message, ...where, extensions: { code: REQUEST_INVALID } };
  }
  const reference = randomUUID();
  log(reference, original);
  return { message: `internal error (reference ${reference})`, ...where, extensions: { code: 'INTERNAL_ERROR', reference } };
}

/** mercurius' `errorFormatter`: formats every error and picks the HTTP status. */
export function createErrorFormatter(log: (reference: string, error: unknown) => void) {
  return (execution: ExecutionResult & { errors: readonly GraphQLError[] }) => {
    const errors = flatten(execution.errors).map((error) => formatError(error, log));
    const requestInvalid = !execution.data && errors.every((error) => REFUSED_BEFORE_EXECUTION.has(error.extensions.code));
    return {
      statusCode: requestInvalid ? 400 : 200,
      response: { data: execution.data ?? null, errors },
    };
  };
}
