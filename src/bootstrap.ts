import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { registerOfflineGraphiql } from './graphql/offline-graphiql.js';
import type { Clock } from './graphql/tokens.js';
import { createValidationPipe } from './graphql/validation.js';
import type { Infrastructure } from './infrastructure.js';
import { registerReportExportRoutes } from './reports/export/report-export.routes.js';

export interface AppOptions {
  logger?: false;
  /** Gives every command its `metadata.now`; real time unless a test fixes it. */
  clock?: Clock;
}

/** Builds the Nest application on Fastify around already-opened infrastructure. */
export async function createApp(infrastructure: Infrastructure, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(infrastructure, options.clock ?? (() => new Date())),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: options.logger ?? ['error', 'warn', 'log'] },
  );
  app.useGlobalPipes(createValidationPipe());
  registerOfflineGraphiql(app.getHttpAdapter().getInstance());
  registerReportExportRoutes(app.getHttpAdapter().getInstance(), infrastructure.pool);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
