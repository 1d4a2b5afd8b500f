import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { DEFAULT_AUDIENCE, DEVELOPMENT_ISSUER, loadAuthConfiguration, type AuthConfiguration } from '../../src/auth/auth-configuration.js';
import { issueDevelopmentToken, openAuthentication } from '../../src/auth/authentication.js';
import { UnauthenticatedError } from '../../src/auth/auth-errors.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { parseTokenArguments, runTokenCommand } from '../../src/cli/token-command.js';
import { ConfigurationError, loadConfiguration } from '../../src/config/configuration.js';
import { GraphQLTestApp } from '../support/graphql-app.js';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/test-tokens.js';

const RECORD_QUERY = '{ appraisalRecord(recordId: "bureau.p1.2025Q2") { recordId } }';
const HR = { id: 'hr-1', role: 'HR', organizationId: 'bureau' };

/** Signs claims with the key, EdDSA, as an identity provider would. */
async function sign(privateKey: KeyObject, claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresAt?: number; keyId?: string; noExpiry?: boolean } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ roles: ['HR'], org: 'bureau', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}) })
    .setSubject((claims.sub as string) ?? 'hr-1')
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt(now);
  if (!options.noExpiry) jwt = jwt.setExpirationTime(options.expiresAt ?? now + 600);
  return jwt.sign(privateKey);
}

function errorOf(body: { errors?: { message: string; extensions: Record<string, any> }[] }) {
  expect(body.errors).toHaveLength(1);
  return body.errors![0];
}

describe('bearer tokens at the GraphQL edge (AUTH_PUBLIC_KEY mode, a test key)', () => {
  let service: GraphQLTestApp;
  beforeAll(async () => {
    service = await GraphQLTestApp.start();
  });
  afterAll(() => service.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers health without a token, and every other query and mutation only with one', async () => {
    const health = await service.send('{ health { store } }');
    expect(health.body.errors).toBeUndefined();

    const query = await service.send(RECORD_QUERY);
    expect(errorOf(query.body)).toMatchObject({ message: 'the request carries no bearer token: send the header Authorization: Bearer <token>', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' } });
    const mutation = await service.attempt('publishPresetRuleSet', { id: 'national-current' });
    expect(errorOf(mutation.body).extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    // A document asking for health and more: the rest is refused all the same.
    const mixed = await service.send(`{ health { store } ${RECORD_QUERY.slice(1, -1)} }`);
    expect(errorOf(mixed.body).extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
  });

  it('refuses a garbled token, another scheme, a wrong signature, an expired token, another issuer or audience, each with its reason', async () => {
    const { privateKey } = service.tokens;
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const cases: [Record<string, string>, string][] = [
      [{ authorization: 'Bearer not-a-jwt' }, 'TOKEN_MALFORMED'],
      [{ authorization: 'Basic aHItMTpzZWNyZXQ=' }, 'TOKEN_MALFORMED'],
      [bearer(await sign(stranger, {})), 'SIGNATURE_INVALID'],
      [bearer(await sign(privateKey, {}, { expiresAt: Math.floor(Date.now() / 1000) - 3600 })), 'TOKEN_EXPIRED'],
      [bearer(await sign(privateKey, {}, { issuer: 'https://idp.example.org' })), 'ISSUER_MISMATCH'],
      [bearer(await sign(privateKey, {}, { audience: 'another-service' })), 'AUDIENCE_MISMATCH'],
      [bearer(await sign(privateKey, {}, { noExpiry: true })), 'CLAIMS_INVALID'],
      [bearer(await sign(privateKey, { roles: ['SUPERUSER'] })), 'CLAIMS_INVALID'],
      [bearer(await sign(privateKey, { org: undefined })), 'CLAIMS_INVALID'],
    ];
    for (const [headers, reason] of cases) {
      const { body } = await service.send(RECORD_QUERY, {}, headers);
      const error = errorOf(body);
      expect({ reason: error.extensions.reason, code: error.extensions.code }).toEqual({ reason, code: 'UNAUTHENTICATED' });
      // Never the key, the expected issuer or audience, or jose's internals.
      expect(error.message).not.toMatch(/BEGIN|PRIVATE|appraisal-records-test|another-service|idp\.example|jose/i);
    }
    const hs256 = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', exp: 9999999999 })).toString('base64url')}.c2lnbmF0dXJl`;
    expect(errorOf((await service.send(RECORD_QUERY, {}, bearer(hs256))).body).extensions.reason).toBe('ALGORITHM_NOT_ALLOWED');
  });

  it('maps the claims to the actor of the events: sub, the role it acts in, org', async () => {
    const token = await sign(service.tokens.privateKey, { sub: 'hr-7', roles: ['HR', 'AUDITOR', 'SOMETHING_ELSE'], org: 'bureau' });
    const { body } = await service.send(
      'mutation { registerOrganization(input: { organizationId: "bureau", name: "市统计局", kind: ORGAN }) { events { metadata { actor { id role organizationId } } } } }',
      {},
      bearer(token),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.registerOrganization.events[0].metadata.actor).toEqual({ id: 'hr-7', role: 'HR', organizationId: 'bureau' });
    // No anonymous mutation, and no mutation for a role that only reads.
    const asAuditor = await service.send('mutation { renameOrganization(input: { organizationId: "bureau", name: "统计局" }) { commandId } }', {}, { ...bearer(token), 'x-acting-role': 'AUDITOR' });
    expect(errorOf(asAuditor.body).extensions).toMatchObject({ code: 'FORBIDDEN', role: 'AUDITOR', reason: 'ROLE_NOT_ALLOWED' });
    expect((await service.denials()).map((denial) => [denial.actor_id, denial.actor_role, denial.operation])).toContainEqual(['hr-7', 'AUDITOR', 'renameOrganization']);
  });

  it('verifies the tokens the test support mints (the path every other test takes)', async () => {
    const { body } = await service.requestAs(HR, '{ presetRuleSets { id } }');
    expect(body.errors).toBeUndefined();
  });
});

describe('a remote JWKS (AUTH_JWKS_URL), served by a local HTTP server', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  const current = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(current.publicKey)), kid: 'key-2025', alg: 'EdDSA', use: 'sig' };
    server = createServer((request, response) => {
      requests += 1;
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies a token signed with a key of the set, and fetches the set once for many tokens', async () => {
    const verifier = createTokenVerifier({ jwksUrl: url }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const before = requests;
    for (const sub of ['hr-1', 'hr-2', 'hr-3']) {
      await expect(verifier.verify(await sign(current.privateKey, { sub }, { keyId: 'key-2025' }))).resolves.toEqual({ id: sub, roles: ['HR'], organizationId: 'bureau' });
    }
    expect(requests - before).toBe(1);
  });

  it('refuses a token whose key the set does not hold, and says so when the set cannot be read', async () => {
    const verifier = createTokenVerifier({ jwksUrl: url }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const other = generateKeyPairSync('ed25519').privateKey;
    await expect(verifier.verify(await sign(other, {}, { keyId: 'key-1999' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_UNKNOWN' });
    await expect(verifier.verify(await sign(other, {}, { keyId: 'key-2025' }))).rejects.toMatchObject({ reason: 'SIGNATURE_INVALID' });

    const nowhere = createTokenVerifier({ jwksUrl: url.replace('/.well-known/jwks.json', '/missing.json') }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const refused = await nowhere.verify(await sign(current.privateKey, {}, { keyId: 'key-2025' })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnauthenticatedError);
    expect(refused).toMatchObject({ reason: 'KEY_SET_UNAVAILABLE', message: 'the keys of the identity provider could not be read: try again later' });
  });

  it('is what AUTH_JWKS_URL configures', async () => {
    const configuration = loadAuthConfiguration({ AUTH_JWKS_URL: url, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE }, '/srv', '/srv/data', []);
    expect(configuration).toEqual({ mode: 'jwks', jwksUrl: url, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const authentication = openAuthentication(configuration!);
    expect(authentication.mode).toBe('jwks');
    await expect(authentication.verifier.verify(await sign(current.privateKey, {}, { keyId: 'key-2025' }))).resolves.toMatchObject({ id: 'hr-1' });
  });
});

describe('development mode (no AUTH_JWKS_URL or AUTH_PUBLIC_KEY)', () => {
  let dataDirectory: string;
  beforeEach(() => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-auth-'));
  });
  afterEach(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));

  const development = (): AuthConfiguration => loadAuthConfiguration({}, '/srv', dataDirectory, [])!;

  it('makes an Ed25519 key under DATA_DIR on first start, readable by its owner only, and keeps it', async () => {
    expect(development()).toEqual({ mode: 'development', keyFile: path.join(dataDirectory, 'dev-auth-key.pem'), issuer: DEVELOPMENT_ISSUER, audience: DEFAULT_AUDIENCE });
    const first = openAuthentication(development());
    expect(first.mode).toBe('development');
    expect(first.description).toMatch(/^DEVELOPMENT MODE: tokens signed with the development key .*dev-auth-key\.pem \(made now\) are accepted/);
    const file = path.join(dataDirectory, 'dev-auth-key.pem');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const token = await issueDevelopmentToken(development(), { sub: 'hr-1', roles: ['HR'], org: 'bureau' });
    const again = openAuthentication(development());
    expect(again.description).not.toContain('made now');
    await expect(again.verifier.verify(token)).resolves.toEqual({ id: 'hr-1', roles: ['HR'], organizationId: 'bureau' });
    await expect(first.verifier.verify(token)).resolves.toMatchObject({ id: 'hr-1' });
  });

  it('the token command prints a token signed with that key, lasting --days', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };
    const now = new Date();
    const code = await runTokenCommand(['--sub', 'p1', '--roles', 'APPRAISED,UNIT_HEAD', '--org', 'office', '--days', '7'], development(), io, now);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const token = out.join('').trim();
    expect(token.split('.')).toHaveLength(3);
    const principal = await openAuthentication(development()).verifier.verify(token);
    expect(principal).toEqual({ id: 'p1', roles: ['APPRAISED', 'UNIT_HEAD'], organizationId: 'office' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ iss: DEVELOPMENT_ISSUER, aud: DEFAULT_AUDIENCE, sub: 'p1', org: 'office' });
    expect(claims.exp - claims.iat).toBe(7 * 86_400);
  });

  it('the token command names every problem with its arguments, and refuses when a real key is configured', async () => {
    expect(() => parseTokenArguments(['--roles', 'HR'])).toThrow('--sub is required\n--org is required');
    const err: string[] = [];
    const io = { out: () => undefined, err: (text: string) => err.push(text) };
    expect(await runTokenCommand(['--sub', 'hr-1', '--roles', 'HR,ROOT', '--org', 'bureau', '--days', '0'], development(), io)).toBe(1);
    expect(err.join('\n')).toContain('--roles names unknown roles ROOT');
    expect(err.join('\n')).toContain('--days must be a number of days above 0');
    expect(fs.existsSync(path.join(dataDirectory, 'dev-auth-key.pem'))).toBe(false);

    const { publicKey } = generateKeyPairSync('ed25519');
    const configured = loadAuthConfiguration(
      { AUTH_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(), AUTH_ISSUER: 'https://idp.example.org', AUTH_AUDIENCE: 'appraisal-records' },
      '/srv',
      dataDirectory,
      [],
    )!;
    err.length = 0;
    expect(await runTokenCommand(['--sub', 'hr-1', '--roles', 'HR', '--org', 'bureau'], configured, io)).toBe(1);
    expect(err.join('\n')).toContain('AUTH_PUBLIC_KEY is set: tokens come from the identity provider');
  });
});

describe('AUTH_* configuration', () => {
  const pem = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('takes AUTH_PUBLIC_KEY inline (line breaks as \\n too) or as a file path, with AUTH_ISSUER and AUTH_AUDIENCE', () => {
    const key = pem();
    const checks = { AUTH_ISSUER: 'https://idp.example.org', AUTH_AUDIENCE: 'appraisal-records' };
    expect(loadAuthConfiguration({ AUTH_PUBLIC_KEY: key.replace(/\n/g, '\\n'), ...checks }, '/srv', '/srv/data', [])).toEqual({
      mode: 'public-key',
      publicKeyPem: key,
      issuer: 'https://idp.example.org',
      audience: 'appraisal-records',
    });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-key-'));
    try {
      fs.writeFileSync(path.join(directory, 'idp.pem'), key);
      expect(loadAuthConfiguration({ AUTH_PUBLIC_KEY: 'idp.pem', ...checks }, directory, '/srv/data', [])).toMatchObject({ mode: 'public-key', publicKeyPem: key });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadAuthConfiguration({ AUTH_PUBLIC_KEY: ec, ...checks }, '/srv', '/srv/data', [])).toMatchObject({ mode: 'public-key' });
  });

  it('lists every problem at once, naming the variable, and never echoes a key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    let caught: unknown;
    try {
      loadConfiguration({ AUTH_PUBLIC_KEY: privatePem, PORT: '0' }, '/srv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const problems = (caught as ConfigurationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number from 1 to 65535, got "0"',
        'AUTH_PUBLIC_KEY holds a private key: give the public key only (the private key stays with the identity provider)',
        'AUTH_ISSUER is required with AUTH_PUBLIC_KEY: the issuer (iss) every token must name',
        'AUTH_AUDIENCE is required with AUTH_PUBLIC_KEY: the audience (aud) every token must name, e.g. appraisal-records',
      ]),
    );
    expect((caught as Error).message).not.toContain('PRIVATE KEY-----\nM');

    const problemsOf = (env: NodeJS.ProcessEnv) => {
      const found: string[] = [];
      loadAuthConfiguration(env, '/srv', '/srv/data', found);
      return found;
    };
    expect(problemsOf({ AUTH_JWKS_URL: 'https://idp.example.org/jwks', AUTH_PUBLIC_KEY: pem(), AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_JWKS_URL and AUTH_PUBLIC_KEY are both set: set one, the JWKS URL of the identity provider or its public key',
    ]);
    expect(problemsOf({ AUTH_JWKS_URL: 'http://idp.example.org/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_JWKS_URL must be an https:// URL (http:// only on localhost), got "http://idp.example.org"',
    ]);
    expect(problemsOf({ AUTH_JWKS_URL: 'jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_JWKS_URL must be the https:// URL of the identity provider\'s JSON Web Key Set, got "jwks"',
    ]);
    expect(problemsOf({ AUTH_PUBLIC_KEY: '/nonexistent/idp.pem', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_PUBLIC_KEY must be a public key in PEM ("-----BEGIN PUBLIC KEY-----": Ed25519, EC P-256/P-384/P-521 or RSA), inline or as the path of a file holding it; no readable file at /nonexistent/idp.pem',
    ]);
    expect(problemsOf({ AUTH_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_PUBLIC_KEY must be a public key in PEM ("-----BEGIN PUBLIC KEY-----": Ed25519, EC P-256/P-384/P-521 or RSA), inline or as the path of a file holding it; it does not parse as one',
    ]);
  });
});
