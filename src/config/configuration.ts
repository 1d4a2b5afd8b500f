import path from 'node:path';

export interface Configuration {
  /** PostgreSQL for the event log and read models; absent → an embedded server under `dataDirectory`. */
  databaseUrl: string | undefined;
  dataDirectory: string;
  /** Port of the embedded server; absent → any free port. */
  embeddedPostgresPort: number | undefined;
  port: number;
  host: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

function parsePort(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    problems.push(`${name} must be a whole number from 1 to 65535, got "${value}"`);
    return undefined;
  }
  return port;
}

/** Reads and checks the environment once at start-up, listing every problem at once. */
export function loadConfiguration(env: NodeJS.ProcessEnv, workingDirectory: string): Configuration {
  const problems: string[] = [];

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl) {
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      problems.push('DATABASE_URL is not a URL; expected postgresql://user:password@host:port/database');
    }
    if (protocol && protocol !== 'postgres:' && protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must start with postgresql:// or postgres://, got "${protocol}//"`);
    }
  }

  if (env.EVENTSTORE_URL?.trim()) {
    problems.push(
      'EVENTSTORE_URL is set, but this version keeps the event log in PostgreSQL only; unset EVENTSTORE_URL',
    );
  }

  const port = parsePort('PORT', env.PORT, problems) ?? 3000;
  const embeddedPostgresPort = parsePort('EMBEDDED_POSTGRES_PORT', env.EMBEDDED_POSTGRES_PORT, problems);
  const host = env.HOST?.trim() || '0.0.0.0';
  const dataDirectory = path.resolve(workingDirectory, env.DATA_DIR?.trim() || 'data');

  if (problems.length > 0) throw new ConfigurationError(problems);
  return { databaseUrl, dataDirectory, embeddedPostgresPort, port, host };
}
