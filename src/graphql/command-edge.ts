import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CommandResult } from '../command/command-handler.js';
import type { CommandMetadata } from '../command/decider.js';
import type { Actor } from '../event-store/event.js';
import { toGraphQLEvent } from './graphql-event.js';
import type { CommandOutcome } from './schema.types.js';
import { CLOCK, type Clock } from './tokens.js';

type Present<T> = { [K in keyof T]: Exclude<T[K], null> };

/** The fields that have a value: GraphQL sends an omitted optional field as null, commands leave it out. */
export function present<T extends object>(fields: T): Present<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined)) as Present<T>;
}

/** What every mutation shares: the command's metadata in, the CommandOutcome out. */
@Injectable()
export class CommandEdge {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Runs one command as the actor, at the clock's time, under the input's commandId or a new UUID. */
  async run(actor: Actor, commandId: string | null | undefined, command: (metadata: CommandMetadata) => Promise<CommandResult>): Promise<CommandOutcome> {
    const metadata: CommandMetadata = { commandId: commandId ?? randomUUID(), actor, now: this.clock().toISOString() };
    const result = await command(metadata);
    return { commandId: metadata.commandId, streamId: result.streamId, replayed: result.replayed, events: result.events.map(toGraphQLEvent) };
  }
}
