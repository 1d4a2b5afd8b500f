/** Injection token of the wired Infrastructure. */
export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

/** Injection token of the clock that stamps every command (`metadata.now`). */
export const CLOCK = Symbol('CLOCK');

/** The time now; tests pass a fixed one. */
export type Clock = () => Date;
