/**
 * Errors with stable codes. The GraphQL edge maps `code` to `extensions.code`; anything that is
 * not an ApplicationError is reported as INTERNAL_ERROR without its message.
 */
export class ApplicationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class VersionConflictError extends ApplicationError {
  constructor(streamId: string, expected: string, actual: string) {
    super('VERSION_CONFLICT', `stream ${streamId} is at revision ${actual}, the command expected ${expected}`, {
      streamId,
      expected,
      actual,
    });
  }
}

export class NotFoundError extends ApplicationError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} does not exist`, { what, id });
  }
}

export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `input.scores.0.points`. */
  field: string;
  /** Constraint name and the message for each rule the value broke. */
  constraints: { name: string; message: string }[];
  /** The values or range the field accepts, where there is a closed list or a bound. */
  allowed?: string;
}

export class ValidationFailedError extends ApplicationError {
  constructor(readonly violations: FieldViolation[]) {
    super(
      'VALIDATION_FAILED',
      `invalid input: ${violations.map((v) => `${v.field} (${v.constraints.map((c) => c.message).join('; ')})`).join(', ')}`,
      { fields: violations },
    );
  }
}
