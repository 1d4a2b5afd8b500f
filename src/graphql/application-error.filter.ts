import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { ApplicationError } from '../shared/errors.js';

/**
 * Expected errors (validation, conflicts, rule violations) go back to the client as they are,
 * for the error formatter to map; only unexpected ones reach Nest's logging handler.
 */
@Catch(ApplicationError)
export class ApplicationErrorFilter implements GqlExceptionFilter {
  catch(error: ApplicationError): ApplicationError {
    return error;
  }
}
