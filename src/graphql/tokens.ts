/** Injection token of the wired Infrastructure. */
export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');
