import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, loadConfiguration } from '../../src/config/configuration.js';
import { generateDigestKeyPair } from '../../src/integrity/digest-keys.js';

describe('start-up configuration', () => {
  it('defaults to the embedded server under ./data on port 3000', () => {
    expect(loadConfiguration({}, '/srv/appraisal')).toEqual({
      databaseUrl: undefined,
      dataDirectory: '/srv/appraisal/data',
      embeddedPostgresPort: undefined,
      eventStoreUrl: undefined,
      port: 3000,
      host: '0.0.0.0',
      authentication: { mode: 'development', keyFile: '/srv/appraisal/data/dev-auth-key.pem', issuer: 'appraisal-records-dev', audience: 'appraisal-records' },
      hardening: { maxDepth: 20, maxComplexity: 30000, bodyLimitBytes: 1048576, introspection: true, rateLimitPerMinute: 600 },
    });
  });

  it('takes DATABASE_URL, PORT and DATA_DIR', () => {
    const configuration = loadConfiguration(
      { DATABASE_URL: 'postgresql://app@127.0.0.1:5432/appraisal', PORT: '8080', DATA_DIR: '/var/lib/appraisal' },
      '/srv',
    );
    expect(configuration).toMatchObject({ databaseUrl: 'postgresql://app@127.0.0.1:5432/appraisal', port: 8080, dataDirectory: '/var/lib/appraisal' });
  });

  it('lists every problem at once, each naming the variable and what it accepts', () => {
    let caught: unknown;
    try {
      loadConfiguration({ DATABASE_URL: 'mysql://localhost/x', PORT: '70000', EMBEDDED_POSTGRES_PORT: 'abc' }, '/srv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).problems).toEqual([
      'DATABASE_URL must start with postgresql:// or postgres://, got "mysql://"',
      'PORT must be a whole number from 1 to 65535, got "70000"',
      'EMBEDDED_POSTGRES_PORT must be a whole number from 1 to 65535, got "abc"',
    ]);
  });

  it('takes EVENTSTORE_URL as a KurrentDB connection string, and names the forms it accepts when it is not one', () => {
    expect(loadConfiguration({ EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113?tls=false' }, '/srv').eventStoreUrl).toBe('kurrentdb://127.0.0.1:2113?tls=false');
    expect(loadConfiguration({ EVENTSTORE_URL: 'esdb+discover://a:2113,b:2113' }, '/srv').eventStoreUrl).toBe('esdb+discover://a:2113,b:2113');
    let caught: unknown;
    try {
      loadConfiguration({ EVENTSTORE_URL: 'http://admin:changeit@es:2113' }, '/srv');
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigurationError).problems).toEqual([
      'EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://127.0.0.1:2113?tls=false or kurrentdb+discover://node1:2113,node2:2113,node3:2113 (esdb:// also accepted), got "http://admin:***@es:2113"',
    ]);
  });

  it('rejects a DATABASE_URL that is not a URL', () => {
    expect(() => loadConfiguration({ DATABASE_URL: 'localhost:5432' }, '/srv')).toThrow(/DATABASE_URL/);
  });
});

describe('digest keys: DIGEST_SIGNING_KEY and DIGEST_VERIFY_KEYS', () => {
  const current = generateDigestKeyPair();
  const older = generateDigestKeyPair();
  const oldest = generateDigestKeyPair();
  let directory: string;
  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-keys-'));
    fs.writeFileSync(path.join(directory, 'signing.pem'), current.privateKeyPem);
    fs.mkdirSync(path.join(directory, 'retired'));
    fs.writeFileSync(path.join(directory, 'retired', `${older.keyId}.pem`), older.publicKeyPem);
    fs.writeFileSync(path.join(directory, 'retired', `${oldest.keyId}.pem`), oldest.publicKeyPem);
    fs.writeFileSync(path.join(directory, 'retired', 'README.txt'), 'not a key; ignored: only *.pem files are read');
    fs.writeFileSync(path.join(directory, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(path.join(directory, 'notes.pem'), 'no key here');
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      loadConfiguration(env, directory);
    } catch (error) {
      return (error as ConfigurationError).problems;
    }
    return [];
  }

  it('has none when neither is set', () => {
    expect(loadConfiguration({}, '/srv').digestKeys).toBeUndefined();
  });

  it('takes the signing key inline (line breaks as they are or written \\n) or from a file, and always trusts its public key', () => {
    for (const value of [current.privateKeyPem, current.privateKeyPem.replace(/\n/g, '\\n'), 'signing.pem', path.join(directory, 'signing.pem')]) {
      const keys = loadConfiguration({ DIGEST_SIGNING_KEY: value }, directory).digestKeys!;
      expect(keys.signing?.keyId).toBe(current.keyId);
      expect([...keys.verification.keys()]).toEqual([current.keyId]);
    }
  });

  it('takes the verification keys inline or as a comma-separated list of files and directories of *.pem files', () => {
    const inline = loadConfiguration({ DIGEST_VERIFY_KEYS: `${older.publicKeyPem}${oldest.publicKeyPem}` }, directory).digestKeys!;
    expect(inline.signing).toBeUndefined();
    expect([...inline.verification.keys()].sort()).toEqual([older.keyId, oldest.keyId].sort());

    fs.writeFileSync(path.join(directory, 'single.pub'), current.publicKeyPem);
    const listed = loadConfiguration({ DIGEST_SIGNING_KEY: 'signing.pem', DIGEST_VERIFY_KEYS: 'retired, single.pub' }, directory).digestKeys!;
    expect([...listed.verification.keys()].sort()).toEqual([current.keyId, older.keyId, oldest.keyId].sort());
  });

  it('names the variable and what it accepts for each bad key, all at once', () => {
    expect(
      problemsOf({
        PORT: 'x',
        DIGEST_SIGNING_KEY: 'missing.pem',
        DIGEST_VERIFY_KEYS: `retired,nowhere,notes.pem,signing.pem`,
      }),
    ).toEqual([
      'PORT must be a whole number from 1 to 65535, got "x"',
      `DIGEST_SIGNING_KEY names the file ${path.join(directory, 'missing.pem')}, which cannot be read (ENOENT); it takes an Ed25519 private key in PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----"), inline or as the path of a file holding it`,
      `DIGEST_VERIFY_KEYS names ${path.join(directory, 'nowhere')}, which cannot be read (ENOENT); it takes PEM public keys inline, or a comma-separated list of files and directories of *.pem files holding them`,
      `DIGEST_VERIFY_KEYS (the file ${path.join(directory, 'notes.pem')}) holds no PEM public key ("-----BEGIN PUBLIC KEY-----"); print one with "openssl pkey -in <private key file> -pubout"`,
      `DIGEST_VERIFY_KEYS (the file ${path.join(directory, 'signing.pem')}) holds no PEM public key ("-----BEGIN PUBLIC KEY-----"); print one with "openssl pkey -in <private key file> -pubout"`,
    ]);
  });

  it('refuses a key that is not Ed25519, a public key as the signing key, and text that is no key, saying how to make one', () => {
    expect(problemsOf({ DIGEST_SIGNING_KEY: 'rsa.pem' })).toEqual([
      `DIGEST_SIGNING_KEY (the file ${path.join(directory, 'rsa.pem')}) must be an Ed25519 key, got a rsa key; make one with "npm run -s digest-key > digest-signing-key.pem" (node dist/src/cli/main.js digest-key) or "openssl genpkey -algorithm ed25519 -out digest-signing-key.pem"`,
    ]);
    expect(problemsOf({ DIGEST_SIGNING_KEY: current.publicKeyPem })).toEqual([
      expect.stringMatching(/^DIGEST_SIGNING_KEY holds no PEM private key; it takes an Ed25519 private key in PEM \(PKCS#8.*openssl genpkey -algorithm ed25519/),
    ]);
    expect(problemsOf({ DIGEST_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----' })).toEqual([
      'DIGEST_SIGNING_KEY is not a readable PKCS#8 private key; it takes an Ed25519 private key in PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----"), inline or as the path of a file holding it',
    ]);
    expect(problemsOf({ DIGEST_VERIFY_KEYS: 'rsa.pem' })).toEqual([
      `DIGEST_VERIFY_KEYS (the file ${path.join(directory, 'rsa.pem')}) holds no PEM public key ("-----BEGIN PUBLIC KEY-----"); print one with "openssl pkey -in <private key file> -pubout"`,
    ]);
    const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(problemsOf({ DIGEST_VERIFY_KEYS: rsaPublic })).toEqual(['DIGEST_VERIFY_KEYS must be an Ed25519 key, got a rsa key']);
  });
});

describe('GraphQL hardening: GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COMPLEXITY, GRAPHQL_BODY_LIMIT_BYTES, GRAPHQL_INTROSPECTION, RATE_LIMIT_PER_MINUTE', () => {
  it('takes each variable', () => {
    const { hardening } = loadConfiguration(
      { GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_COMPLEXITY: '5000', GRAPHQL_BODY_LIMIT_BYTES: '65536', GRAPHQL_INTROSPECTION: 'false', RATE_LIMIT_PER_MINUTE: '0' },
      '/srv',
    );
    expect(hardening).toEqual({ maxDepth: 8, maxComplexity: 5000, bodyLimitBytes: 65536, introspection: false, rateLimitPerMinute: 0 });
  });

  it('turns introspection off under NODE_ENV=production unless GRAPHQL_INTROSPECTION=true', () => {
    expect(loadConfiguration({ NODE_ENV: 'production' }, '/srv').hardening.introspection).toBe(false);
    expect(loadConfiguration({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }, '/srv').hardening.introspection).toBe(true);
    expect(loadConfiguration({ NODE_ENV: 'development' }, '/srv').hardening.introspection).toBe(true);
  });

  it('lists every bad value at once, with what it accepts', () => {
    let caught: unknown;
    try {
      loadConfiguration(
        { GRAPHQL_MAX_DEPTH: '0', GRAPHQL_MAX_COMPLEXITY: 'lots', GRAPHQL_BODY_LIMIT_BYTES: '1.5', GRAPHQL_INTROSPECTION: 'yes', RATE_LIMIT_PER_MINUTE: '-1' },
        '/srv',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).problems).toEqual([
      'GRAPHQL_MAX_DEPTH must be a whole number from 1 to 1000, got "0"',
      'GRAPHQL_MAX_COMPLEXITY must be a whole number from 1 to 1000000000, got "lots"',
      'GRAPHQL_BODY_LIMIT_BYTES must be a whole number from 1024 to 1073741824, got "1.5"',
      'RATE_LIMIT_PER_MINUTE must be a whole number from 0 to 1000000, got "-1"',
      'GRAPHQL_INTROSPECTION must be true or false, got "yes"',
    ]);
  });
});
