import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { openAuthentication } from './auth/authentication.js';
import { createApp } from './bootstrap.js';
import { ConfigurationError, loadConfiguration } from './config/configuration.js';
import { openInfrastructure } from './infrastructure.js';

const logger = new Logger('Service');

async function main(): Promise<void> {
  const configuration = loadConfiguration(process.env, process.cwd());
  const authentication = openAuthentication(configuration.authentication, (message) => logger.warn(message));
  if (authentication.mode === 'development') logger.warn(authentication.description);
  else logger.log(authentication.description);
  const infrastructure = await openInfrastructure(configuration, { log: (message) => logger.log(message) });
  const app = await createApp(infrastructure, { hardening: configuration.hardening, authentication });
  await app.listen(configuration.port, configuration.host);
  logger.log(`GraphQL on http://localhost:${configuration.port}/graphql (event store: ${infrastructure.store.kind})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    console.error('the service could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
