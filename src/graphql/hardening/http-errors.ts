import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Statuses of the requests Fastify itself refuses (body too large, malformed JSON, wrong content type, …) and the codes clients see. */
const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  411: 'Length Required',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** The GraphQL endpoint answers in GraphQL's shape (`errors[].extensions.code`); other routes in the export routes' shape. */
export function isGraphqlRequest(request: FastifyRequest): boolean {
  return (request.routeOptions.url ?? request.url.split('?')[0]) === '/graphql';
}

/**
 * Sends an error that happened outside GraphQL execution: `{ data: null, errors: [...] }` on
 * /graphql, `{ statusCode, error, code, message, ...details }` elsewhere.
 */
export function sendHttpError(
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): FastifyReply {
  reply.code(statusCode).type('application/json; charset=utf-8');
  if (isGraphqlRequest(request)) {
    return reply.send({ data: null, errors: [{ message, extensions: { code, ...details } }] });
  }
  return reply.send({ statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', code, message, ...details });
}

/**
 * Errors Fastify raises before a handler runs (its codes start with FST_) and, outside /graphql,
 * any error that declares a 4xx status: the request is at fault and the message says how.
 * On /graphql the other 4xx errors are mercurius' (validation) and go to the GraphQL formatter.
 */
function isClientError(error: FastifyError, request: FastifyRequest): boolean {
  const status = error.statusCode ?? 0;
  if (status < 400 || status >= 500) return false;
  return (typeof error.code === 'string' && error.code.startsWith('FST_')) || !isGraphqlRequest(request);
}

function clientMessage(error: FastifyError, bodyLimitBytes: number): { code: string; message: string; details: Record<string, unknown> } {
  const status = error.statusCode!;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: `the request body is larger than ${bodyLimitBytes} bytes`, details: { limitBytes: bodyLimitBytes } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'unsupported content type: send application/json (or application/graphql to /graphql)',
        details: {},
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'BAD_REQUEST', message: 'the request body is not valid JSON', details: {} };
    default:
      return { code: CLIENT_ERROR_CODES[status] ?? 'BAD_REQUEST', message: error.message, details: {} };
  }
}

export interface HttpErrorHandlerOptions {
  bodyLimitBytes: number;
  /** Formats everything else on /graphql, as mercurius' own handler would (validation errors, errors of the context). */
  formatGraphqlErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void;
  log(reference: string, error: unknown): void;
}

/**
 * The Fastify error handler of every route (see http-hardening.ts). Client errors keep their
 * status (413, 415, 400 …) with a stable code; everything else on /graphql goes to the GraphQL
 * error formatter; an unexpected error elsewhere becomes `INTERNAL_ERROR` with a reference to the
 * server log, never its message, stack or SQL.
 */
export function createHttpErrorHandler(options: HttpErrorHandlerOptions) {
  // Returns nothing: the reply is sent here (an async Fastify error handler resolving to undefined sends nothing more).
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isClientError(error, request)) {
      const { code, message, details } = clientMessage(error, options.bodyLimitBytes);
      // A malformed body on /graphql is a malformed GraphQL request (README: HTTP 400).
      const graphqlCode = code === 'BAD_REQUEST' && isGraphqlRequest(request) ? 'GRAPHQL_VALIDATION_FAILED' : code;
      sendHttpError(request, reply, error.statusCode!, graphqlCode, message, details);
      return;
    }
    if (isGraphqlRequest(request)) {
      options.formatGraphqlErrors(error, request, reply);
      return;
    }
    const reference = randomUUID();
    options.log(reference, error);
    sendHttpError(request, reply, 500, 'INTERNAL_ERROR', `internal error (reference ${reference})`, { reference });
  };
}
