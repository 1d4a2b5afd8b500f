/**
 * The command path's transport floor: the requests the bench's clients send, served by Fastify and
 * mercurius alone. The service's schema, the same mutation documents and variables, graphql's
 * variable checks and graphql-jit as the service runs them; each mutation is answered at once
 * with an outcome made from its input. No NestJS, no token check, no input validation, no domain,
 * no store, no database. What the service's thread spends per command above this is its own work.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { projectPath } from '../../src/config/project-root.js';

export interface TransportFloor {
  /** Where the clients post, e.g. http://127.0.0.1:41234/graphql. */
  url: string;
  /** Mutations answered so far. */
  answered(): number;
  close(): Promise<void>;
}

/** The service's schema: every file under schema/, as the service loads them. */
function serviceSchema(): string {
  const directory = projectPath('schema');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(directory, file), 'utf8'))
    .join('\n');
}

/** Starts the floor server on a free port of 127.0.0.1, answering the named mutations. */
export async function startTransportFloor(mutations: readonly string[]): Promise<TransportFloor> {
  let answered = 0;
  const answer = (_root: unknown, { input }: { input: { recordId?: string; personId?: string; commandId?: string } }) => {
    answered += 1;
    const streamId = input.recordId ?? `person-${input.personId}`;
    return {
      commandId: input.commandId ?? `floor-${answered}`,
      streamId,
      replayed: false,
      events: [
        { eventId: `floor-event-${answered}`, streamId, streamRevision: answered, globalPosition: String(answered), type: 'FloorAnswered', recordedAt: new Date().toISOString() },
      ],
    };
  };
  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema: serviceSchema(),
    resolvers: { Mutation: Object.fromEntries(mutations.map((name) => [name, answer])) },
    // As the service configures it (src/app.module.ts).
    jit: { minCount: 1, eluThreshold: 1 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`,
    answered: () => answered,
    close: () => app.close(),
  };
}
