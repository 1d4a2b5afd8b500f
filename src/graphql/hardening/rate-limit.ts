import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_EXPORT_PATH } from '../../reports/export/report-export.routes.js';
import { sendHttpError } from './http-errors.js';

/** The routes counted: GraphQL (queries, mutations, the subscription handshake) and the report exports. */
const LIMITED_ROUTES: ReadonlySet<string> = new Set(['/graphql', REPORT_EXPORT_PATH]);

const WINDOW_MS = 60_000;

/**
 * Whose bucket a request counts against: with `Authorization: Bearer <token>`, a SHA-256 of the
 * token; otherwise the client's IP address. The token is not decoded or trusted here — keying by an
 * unverified `sub` would let anyone drain another person's bucket by forging a token with their id.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return `bearer:${createHash('sha256').update(bearer[1]).digest('base64url')}`;
  return `ip:${request.ip}`;
}

/**
 * Counts requests per actor and minute on /graphql and the report exports (`@fastify/rate-limit`'s
 * in-memory store, fixed one-minute windows); past `perMinute` the answer is HTTP 429 with
 * `RATE_LIMITED`, `retryAfter` seconds and a `Retry-After` header. `perMinute` 0 registers nothing.
 * Call before the routes are registered (so the hook reaches them).
 */
export function registerRateLimit(fastify: FastifyInstance, perMinute: number): void {
  if (perMinute <= 0) return;
  void fastify.register(fastifyRateLimit, { global: false, max: perMinute, timeWindow: WINDOW_MS, keyGenerator: rateLimitKey });

  let check: ReturnType<FastifyInstance['createRateLimit']> | undefined;
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !LIMITED_ROUTES.has(route)) return;
    check ??= fastify.createRateLimit();
    const result = await check(request);
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    const retryAfter = Math.max(1, result.ttlInSeconds);
    reply.header('retry-after', retryAfter);
    return sendHttpError(
      request,
      reply,
      429,
      'RATE_LIMITED',
      `more than ${result.max} requests in a minute: retry in ${retryAfter} s`,
      { retryAfter, limit: result.max },
    );
  });
}
