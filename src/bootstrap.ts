import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createValidationPipe } from './graphql/validation.js';
import type { Infrastructure } from './infrastructure.js';

/** Builds the Nest application on Fastify around already-opened infrastructure. */
export async function createApp(infrastructure: Infrastructure, options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(infrastructure),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: options.logger ?? ['error', 'warn', 'log'] },
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
