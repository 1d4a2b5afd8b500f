import type { Command, CommandMetadata, DecidedEvent, Decider } from '../../src/command/decider.js';
import { ApplicationError } from '../../src/shared/errors.js';
import { TEST_ACTOR } from './events.js';

/** Every specification command carries the same fixed clock and actor. */
export const SPEC_METADATA: CommandMetadata = { commandId: 'spec-command', actor: TEST_ACTOR, now: '2025-07-01T02:00:00.000Z' };

/** A builder for one command union: `command('RecordLeave', { … })`, typed by the command's name. */
export function commandsOf<C extends Command>() {
  return <T extends C['type']>(type: T, data: Extract<C, { type: T }>['data']): Extract<C, { type: T }> =>
    ({ type, data, metadata: SPEC_METADATA }) as Extract<C, { type: T }>;
}

/** The state a stream reaches from these events. */
export function stateAfter<C extends Command, E extends DecidedEvent, S, Context>(decider: Decider<C, E, S, Context>, events: E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

export interface ExpectedRejection {
  /** Text or pattern the message must contain. */
  message?: string | RegExp;
  /** Entries the error's details must contain. */
  details?: Record<string, unknown>;
}

/**
 * Specifications in the given / when / then form:
 * `given([past events]).when(command, context).then([new events])` or `.thenThrows(code)`.
 */
export function deciderSpec<C extends Command, E extends DecidedEvent, S, Context>(decider: Decider<C, E, S, Context>) {
  return {
    given(history: E[]) {
      const state = stateAfter(decider, history);
      return {
        when(command: C, context: Context) {
          const decide = () => decider.decide(command, state, context);
          return {
            then(expected: E[]): void {
              expect(decide()).toEqual(expected);
            },
            thenThrows(code: string, expected: ExpectedRejection = {}): void {
              const error = rejectionOf(decide);
              expect(error.code).toBe(code);
              if (expected.message !== undefined) expect(error.message).toMatch(expected.message);
              if (expected.details !== undefined) expect(error.details).toMatchObject(expected.details);
            },
          };
        },
      };
    },
  };
}

function rejectionOf(decide: () => DecidedEvent[]): ApplicationError {
  let events: DecidedEvent[];
  try {
    events = decide();
  } catch (error) {
    if (error instanceof ApplicationError) return error;
    throw error;
  }
  throw new Error(`expected a rejection, but decide returned ${JSON.stringify(events)}`);
}
