import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ValidationFailedError, type FieldViolation } from '../shared/errors.js';
import { keepValidationMetadataLookups } from './validation-metadata-cache.js';

/** What the field accepts, as its decorators state it with `context: { allowed }`. */
function allowedValues(error: ValidationError): string | undefined {
  const stated = Object.values(error.contexts ?? {})
    .map((context: { allowed?: string }) => context?.allowed)
    .filter((allowed): allowed is string => Boolean(allowed));
  return stated.length > 0 ? [...new Set(stated)].join('; ') : undefined;
}

function toViolations(errors: ValidationError[], prefix = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const allowed = allowedValues(error);
    const own: FieldViolation[] = error.constraints
      ? [
          {
            field,
            constraints: Object.entries(error.constraints).map(([name, message]) => ({ name, message })),
            ...(allowed ? { allowed } : {}),
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
  keepValidationMetadataLookups();
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toViolations(errors)),
  });
}
