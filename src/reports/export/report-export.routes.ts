import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type pg from 'pg';
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

/** Registers the export routes on the Fastify instance under Nest (beside /graphql and /graphiql). */
export function registerReportExportRoutes(fastify: FastifyInstance, pool: pg.Pool): void {
  const logger = new Logger('ReportExport');

  fastify.get<{ Params: { reportId: string; revision: string; format: string } }>(
    REPORT_EXPORT_PATH,
    // HEAD would run the whole export only to throw the body away.
    { exposeHeadRoute: false },
    async (request, reply) => {
      const { reportId } = request.params;
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
