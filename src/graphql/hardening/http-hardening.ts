import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { createErrorFormatter } from '../error-formatter.js';
import type { HardeningConfiguration } from './hardening.config.js';
import { createHttpErrorHandler } from './http-errors.js';
import { refuseNulCharacters } from './nul-characters.js';
import { registerRateLimit } from './rate-limit.js';

const logger = new Logger('HTTP');

function logInternalError(reference: string, error: unknown): void {
  logger.error(`internal error ${reference}`, error instanceof Error ? error.stack : String(error));
}

/**
 * The HTTP side of the hardening, on the Fastify instance under Nest: the per-actor rate limit and
 * an error handler for every route registered afterwards (/graphql, GraphiQL, the exports).
 *
 * The error handler is set on each route (an `onRoute` hook) rather than with `setErrorHandler`:
 * Nest and mercurius each set one at the root while the app initialises, after the export routes
 * are already registered — those would otherwise keep Fastify's default handler, which sends an
 * unexpected error's message (a PostgreSQL error's text, say) to the client.
 */
export function registerHttpHardening(fastify: FastifyInstance, hardening: HardeningConfiguration): void {
  const formatGraphqlErrors = createErrorFormatter(logInternalError);
  const errorHandler = createHttpErrorHandler({
    bodyLimitBytes: hardening.bodyLimitBytes,
    log: logInternalError,
    // As mercurius' own handler does: the error (a validation failure carries the GraphQL errors
    // in `errors`) through the service's formatter, which picks the status.
    formatGraphqlErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
      const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
      const { statusCode, response } = formatGraphqlErrors({ errors: [graphqlError] });
      reply.code(statusCode).send(response);
    },
  });
  fastify.addHook('onRoute', (route) => {
    route.errorHandler ??= errorHandler;
  });
  registerRateLimit(fastify, hardening.rateLimitPerMinute);
  refuseNulCharacters(fastify);
}
