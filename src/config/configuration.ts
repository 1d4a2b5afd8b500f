import path from 'node:path';
import { loadAuthConfiguration, type AuthConfiguration } from '../auth/auth-configuration.js';
import { loadDigestKeys, type DigestKeyring } from '../integrity/digest-keys.js';
import { loadHardeningConfiguration, type HardeningConfiguration } from '../graphql/hardening/hardening.config.js';

export interface Configuration {
  /** PostgreSQL for the event log and read models; absent → an embedded server under `dataDirectory`. */
  databaseUrl: string | undefined;
  dataDirectory: string;
  /** Port of the embedded server; absent → any free port. */
  embeddedPostgresPort: number | undefined;
  /** KurrentDB for the event log (read models stay in PostgreSQL); absent → the PostgreSQL event store. */
  eventStoreUrl: string | undefined;
  port: number;
  host: string;
  /**
   * Keys of the signed log digests: `DIGEST_SIGNING_KEY` (the Ed25519 private key new digests are
   * signed with) and `DIGEST_VERIFY_KEYS` (older public keys, kept after a rotation); absent when
   * neither is set.
   */
  digestKeys: DigestKeyring | undefined;
  /** GraphQL depth and complexity limits, body limit, introspection, rate limit (`GRAPHQL_*`, `RATE_LIMIT_PER_MINUTE`). */
  hardening: HardeningConfiguration;
  /** How bearer tokens are verified (`AUTH_JWKS_URL` or `AUTH_PUBLIC_KEY`, `AUTH_ISSUER`, `AUTH_AUDIENCE`; neither key: development mode). */
  authentication: AuthConfiguration;
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

  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/[^/?#]+/.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://127.0.0.1:2113?tls=false or kurrentdb+discover://node1:2113,node2:2113,node3:2113 (esdb:// also accepted), got "${eventStoreUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}"`,
    );
  }

  const port = parsePort('PORT', env.PORT, problems) ?? 3000;
  const embeddedPostgresPort = parsePort('EMBEDDED_POSTGRES_PORT', env.EMBEDDED_POSTGRES_PORT, problems);
  const host = env.HOST?.trim() || '0.0.0.0';
  const dataDirectory = path.resolve(workingDirectory, env.DATA_DIR?.trim() || 'data');
  const digestKeys = loadDigestKeys(env, workingDirectory, problems);
  const hardening = loadHardeningConfiguration(env, problems);
  const authentication = loadAuthConfiguration(env, workingDirectory, dataDirectory, problems);

  if (problems.length > 0) throw new ConfigurationError(problems);
  return { databaseUrl, dataDirectory, embeddedPostgresPort, eventStoreUrl, port, host, digestKeys, hardening, authentication: authentication! };
}
