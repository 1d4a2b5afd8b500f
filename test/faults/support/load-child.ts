/**
 * The service's write path under load in a process of its own, for the kill test: opens the
 * infrastructure on DATABASE_URL, runs the projections in the background, and runs the command
 * load until it is killed, writing one line per acknowledged command to stdout as soon as its
 * promise resolves: `ACK <json of the acknowledgement>`. Run with register-typescript.mjs.
 */
import { openInfrastructure } from '../../../src/infrastructure.js';
import { prepareLoad, runLoad } from '../../../scripts/load-driver.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const clients = Number(process.env.LOAD_CLIENTS ?? 4);
const runId = process.env.LOAD_RUN_ID ?? 'kill';

const infrastructure = await openInfrastructure(
  { databaseUrl, dataDirectory: 'unused', embeddedPostgresPort: undefined },
  { log: (message) => process.stderr.write(`${message}\n`), poolSize: clients + 8 },
);
infrastructure.projections.start();
await prepareLoad(infrastructure.appraisal, runId);
process.stdout.write('READY\n');
// Writes to a pipe are synchronous on Linux: a line is out before the next command is issued.
const result = await runLoad(infrastructure.appraisal, {
  clients,
  runId,
  onAcknowledged: (ack) => process.stdout.write(`ACK ${JSON.stringify(ack)}\n`),
  onFailed: (failure) => process.stderr.write(`command ${failure.commandId} failed: ${failure.message}\n`),
});
process.stderr.write(`load ended by itself after ${result.seconds} s\n`);
await infrastructure.close();
