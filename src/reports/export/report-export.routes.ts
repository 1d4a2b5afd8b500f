import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type pg from 'pg';
import { UnauthenticatedError } from '../../auth/auth-errors.js';
import type { EdgeSecurity } from '../../auth/edge-security.js';
import { credentialsOfHeaders } from '../../auth/request-credentials.js';
import { ApplicationError } from '../../shared/errors.js';
import { parseExportFormat, parseRevision, prepareReportExport, ReportExportError } from './report-export.js';
import { OutputClosedError } from './sheet-writers.js';

/** `GET /reports/<reportId>/revisions/<revision>/export.xlsx` or `.csv`; a report id with `/` or non-ASCII is percent-encoded. */
export const REPORT_EXPORT_PATH = '/reports/:reportId/revisions/:revision/export.:format';

const STATUS: Readonly<Record<ReportExportError['code'], { statusCode: number; error: string }>> = {
  NOT_FOUND: { statusCode: 404, error: 'Not Found' },
  VALIDATION_FAILED: { statusCode: 400, error: 'Bad Request' },
};

function refuse(reply: FastifyReply, refusal: ReportExportError): FastifyReply {
  const { statusCode, error } = STATUS[refusal.code];
  return reply
    .code(statusCode)
    .type('application/json; charset=utf-8')
    .send({ statusCode, error, code: refusal.code, message: refusal.message, ...refusal.details });
}

/** 401 without a valid token, 403 when the policy refuses (`exportReport`: HR, regulators and auditors whose scope holds the report). */
function refuseAccess(reply: FastifyReply, error: ApplicationError): FastifyReply {
  const unauthenticated = error instanceof UnauthenticatedError;
  const statusCode = unauthenticated ? 401 : 403;
  if (unauthenticated) reply.header('www-authenticate', 'Bearer');
  return reply
    .code(statusCode)
    .type('application/json; charset=utf-8')
    .send({ statusCode, error: unauthenticated ? 'Unauthorized' : 'Forbidden', code: error.code, message: error.message, ...error.details });
}

/** Registers the export routes on the Fastify instance under Nest (beside /graphql and /graphiql). */
export function registerReportExportRoutes(fastify: FastifyInstance, pool: pg.Pool, security: Pick<EdgeSecurity, 'access' | 'authentication'>): void {
  const logger = new Logger('ReportExport');

  fastify.get<{ Params: { reportId: string; revision: string; format: string } }>(
    REPORT_EXPORT_PATH,
    // HEAD would run the whole export only to throw the body away.
    { exposeHeadRoute: false },
    async (request, reply) => {
      const { reportId } = request.params;
      try {
        await security.access.authorize('exportReport', { reportId }, credentialsOfHeaders(request.headers, security.authentication));
      } catch (error) {
        if (error instanceof ApplicationError) return refuseAccess(reply, error);
        throw error;
      }
      let prepared;
      try {
        const format = parseExportFormat(request.params.format);
        const revision = parseRevision(request.params.revision);
        prepared = await prepareReportExport(pool, { reportId, revision, format });
      } catch (error) {
        if (error instanceof ReportExportError) return refuse(reply, error);
        throw error;
      }
      const body = new PassThrough();
      // Headers are gone by the time a row fails: all that is left is to cut the download short.
      prepared.writeTo(body).catch((error: Error) => {
        if (!body.destroyed) body.destroy(error);
        const clientLeft = error instanceof OutputClosedError || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
        if (!clientLeft) {
          logger.error(`export of ${JSON.stringify(reportId)} revision ${prepared.heading.revision} failed: ${error.stack ?? error.message}`);
        }
      });
      return reply
        .type(prepared.file.contentType)
        .header('content-disposition', prepared.file.contentDisposition)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );
}
