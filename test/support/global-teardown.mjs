import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const server = globalThis.embeddedTestServer;
  if (!server) return;
  await server.stop();
  rmSync(process.env.TEST_EMBEDDED_DATA_DIR, { recursive: true, force: true });
}
