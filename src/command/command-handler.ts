import { shanghaiDate } from '../shared/business-date.js';
import { deterministicUuid } from '../shared/deterministic-id.js';
import { VersionConflictError } from '../shared/errors.js';
import type { NewEvent, RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { Command, DecidedEvent, Decider } from './decider.js';

/** A stream's state from its recorded events, as `decide` sees it. */
export function foldEvents<E extends DecidedEvent, S>(
  decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
  history: RecordedEvent[],
): S {
  return history.reduce(
    (state, event) =>
      decider.evolve(state, {
        type: event.type,
        data: event.data,
        effectiveAt: event.metadata.effectiveAt,
        schemaVersion: event.schemaVersion,
        ruleSetId: event.metadata.ruleSetId,
        recorded: { eventId: event.eventId, globalPosition: event.globalPosition.toString(), recordedAt: event.recordedAt },
      } as E),
    decider.initialState(),
  );
}

export interface CommandResult {
  streamId: string;
  events: RecordedEvent[];
  /** True when the command id had been handled before and this call appended nothing. */
  replayed: boolean;
}

export interface CommandHandlerOptions {
  /** Attempts after a version conflict before the conflict is returned to the caller. */
  maxAttempts: number;
}

/**
 * The write path: read the stream, return the command's earlier result if it ran before, fold
 * `evolve`, `decide`, append with the expected revision. A version conflict re-reads and decides
 * again, a bounded number of times.
 */
export class CommandHandler {
  constructor(
    private readonly store: EventStore,
    private readonly options: CommandHandlerOptions = { maxAttempts: 5 },
  ) {}

  /**
   * `loaded` is the stream as the caller just read it to build the context (and, if it folded it,
   * the state it came to): the first attempt decides on it instead of reading the stream again.
   * The append still expects its last revision, so a stream that moved meanwhile is a version
   * conflict and the next attempt reads it afresh.
   */
  async handle<C extends Command, E extends DecidedEvent, S, Context = void>(
    decider: Decider<C, E, S, Context>,
    streamId: string,
    command: C,
    context: Context,
    loaded?: { events: RecordedEvent[]; state?: S },
  ): Promise<CommandResult> {
    const { commandId } = command.metadata;
    for (let attempt = 1; ; attempt += 1) {
      const reuse = attempt === 1 ? loaded : undefined;
      const history = reuse ? reuse.events : await this.store.readStream(streamId);
      // The command's earlier events on this stream (what readByCommandId answers), found in the
      // history read anyway: one read of the stream serves the idempotency check and the decision.
      const earlier = history.filter((event) => event.metadata.commandId === commandId);
      if (earlier.length > 0) return { streamId, events: earlier, replayed: true };

      const state = reuse?.state ?? foldEvents(decider, history);
      const decided = decider.decide(command, state, context);
      if (decided.length === 0) return { streamId, events: [], replayed: false };

      const expected = history.length === 0 ? 'no_stream' : history[history.length - 1].streamRevision;
      try {
        const result = await this.store.appendToStream(streamId, expected, this.toNewEvents(command, decided));
        return { streamId, events: result.events, replayed: result.deduplicated };
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= this.options.maxAttempts) throw error;
        // Writers that lost the same race would collide again at once: spread their retries.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  private toNewEvents(command: Command, decided: DecidedEvent[]): NewEvent[] {
    const { commandId, actor, now } = command.metadata;
    return decided.map((event, index) => ({
      eventId: deterministicUuid('event', commandId, String(index)),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: {
        commandId,
        actor,
        correlationId: command.metadata.correlationId ?? commandId,
        causationId: command.metadata.causationId ?? commandId,
        effectiveAt: event.effectiveAt ?? shanghaiDate(now),
        ...(event.ruleSetId ? { ruleSetId: event.ruleSetId } : {}),
      },
    }));
  }
}
