import type { FastifyInstance } from 'fastify';

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a string carrying one would fail deep in a query
 * as an internal error. Requests are refused at the door instead, naming where the character is.
 */
export function pathOfNulCharacter(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfNulCharacter(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = pathOfNulCharacter(key, `${path}.${key}`) ?? pathOfNulCharacter(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses, with HTTP 400 and a GraphQL-shaped VALIDATION_FAILED, any request whose body or query string holds U+0000. */
export function refuseNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request, reply) => {
    const field = pathOfNulCharacter(request.body, '') ?? pathOfNulCharacter(request.query, '');
    if (!field) return;
    await reply.code(400).send({
      errors: [
        {
          message: `${field || 'the request'} contains the NUL character (U+0000), which no field accepts`,
          extensions: { code: 'VALIDATION_FAILED', field, allowed: 'text without the NUL character (U+0000)' },
        },
      ],
    });
  });
}
