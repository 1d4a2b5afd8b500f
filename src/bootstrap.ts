import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { Authentication } from './auth/authentication.js';
import { createEdgeSecurity } from './auth/edge-security.js';
import { HARDENING_DEFAULTS, type HardeningConfiguration } from './graphql/hardening/hardening.config.js';
import { registerHttpHardening } from './graphql/hardening/http-hardening.js';
import { registerOfflineGraphiql } from './graphql/offline-graphiql.js';
import type { Clock } from './graphql/tokens.js';
import { createValidationPipe } from './graphql/validation.js';
import type { Infrastructure } from './infrastructure.js';
import { registerReportExportRoutes } from './reports/export/report-export.routes.js';

export interface AppOptions {
  logger?: false;
  /** Gives every command its `metadata.now`; real time unless a test fixes it. */
  clock?: Clock;
  /**
   * Depth, complexity, body size, introspection and rate limits (`configuration.hardening`).
   * Without it (tests) the defaults apply with no rate limit.
   */
  hardening?: HardeningConfiguration;
  /** How bearer tokens are verified (`openAuthentication(configuration.authentication)`; tests pass a test key's). */
  authentication: Authentication;
}

/** Builds the Nest application on Fastify around already-opened infrastructure. */
export async function createApp(infrastructure: Infrastructure, options: AppOptions): Promise<NestFastifyApplication> {
  const hardening = options.hardening ?? { ...HARDENING_DEFAULTS, rateLimitPerMinute: 0 };
  const security = createEdgeSecurity(infrastructure, options.authentication, (message) => Logger.warn(message, 'Access'));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(infrastructure, options.clock ?? (() => new Date()), hardening, security),
    new FastifyAdapter({ bodyLimit: hardening.bodyLimitBytes }),
    { logger: options.logger ?? ['error', 'warn', 'log'] },
  );
  app.useGlobalPipes(createValidationPipe());
  // Before any route: the error handler and the rate limit reach only the routes registered after them.
  registerHttpHardening(app.getHttpAdapter().getInstance(), hardening);
  registerOfflineGraphiql(app.getHttpAdapter().getInstance());
  registerReportExportRoutes(app.getHttpAdapter().getInstance(), infrastructure.pool, security);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
