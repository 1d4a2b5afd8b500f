import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ValidationFailedError, type FieldViolation } from '../shared/errors.js';

/** Constraint names whose arguments describe what the field accepts. */
function allowedValues(error: ValidationError): string | undefined {
  const parts: string[] = [];
  const metadata = (error as ValidationError & { contexts?: Record<string, { allowed?: string }> }).contexts ?? {};
  for (const context of Object.values(metadata)) {
    if (context?.allowed) parts.push(context.allowed);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function toViolations(errors: ValidationError[], prefix = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldViolation[] = error.constraints
      ? [
          {
            field,
            constraints: Object.entries(error.constraints).map(([name, message]) => ({ name, message })),
            ...(allowedValues(error) ? { allowed: allowedValues(error) } : {}),
          },
        ]
      : [];
    return [...own, ...toViolations(error.children ?? [], field)];
  });
}

/**
 * The global pipe: DTOs are checked with class-validator and a failure becomes VALIDATION_FAILED
 * with one entry per field. Decorators may state what is allowed with `context: { allowed }`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toViolations(errors)),
  });
}
