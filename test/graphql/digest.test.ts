import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { digestKeyring, generateDigestKeyPair, type DigestKeyring } from '../../src/integrity/digest-keys.js';
import { signDigest } from '../../src/integrity/digest.js';
import { sealRepository } from '../../src/integrity/seal-repository.js';
import { SEALING_PROJECTION } from '../../src/integrity/sealing.projection.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { EVERYTHING_READER, TestTokens } from '../support/test-tokens.js';

const current = generateDigestKeyPair();
const older = generateDigestKeyPair();
const NOW = new Date('2025-03-04T09:00:00+08:00');

interface Service {
  database: TestDatabase;
  infrastructure: Infrastructure;
  app: NestFastifyApplication;
  tokens: TestTokens;
}

async function startService(digestKeys: DigestKeyring | undefined): Promise<Service> {
  const database = await createTestDatabase();
  const infrastructure = await openInfrastructure({ databaseUrl: database.url, dataDirectory: 'unused', embeddedPostgresPort: undefined, digestKeys });
  const tokens = new TestTokens();
  const app = await createApp(infrastructure, { logger: false, clock: () => NOW, authentication: tokens.authentication });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { database, infrastructure, app, tokens };
}

async function graphql(service: Service, query: string, variables?: Record<string, unknown>) {
  const response = await service.app.getHttpAdapter().getInstance().inject({
    method: 'POST',
    url: '/graphql',
    // The digest queries are the auditors' (src/auth/policy.ts).
    headers: { 'content-type': 'application/json', ...(await service.tokens.headers(EVERYTHING_READER)) },
    payload: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, body: response.json() };
}

/** Appends events and waits until the seal holds all of them (the background loop is paused meanwhile). */
async function appendAndSeal(service: Service, count: number, period: string): Promise<void> {
  const { projections, store, pool } = service.infrastructure;
  await fillLog(store, count, 3, period);
  await projections.stop();
  try {
    for (;;) {
      await projections.catchUp(SEALING_PROJECTION);
      const { rows } = await pool.query<{ sealed: boolean }>('SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM event_seal) AS sealed');
      if (rows[0].sealed) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    projections.start();
  }
}

const DIGEST_FIELDS = 'format sealPosition globalPosition eventId chainHash signedAt keyId signature';
const LOG_DIGEST = `query Digest($sealPosition: String) { logDigest(sealPosition: $sealPosition) { ${DIGEST_FIELDS} } }`;
const VERIFY_DIGEST = `query Verify($digest: LogDigestInput!) {
  verifyDigest(digest: $digest) { ok problem reason keyId sealPosition globalPosition checkedEvents firstBadPosition }
}`;

let signing: Service;
let verifyOnly: Service;
beforeAll(async () => {
  // Signs with the current key and still trusts the key it replaced.
  signing = await startService(digestKeyring(current.privateKeyPem, [older.publicKeyPem]));
  verifyOnly = await startService(undefined);
  await appendAndSeal(signing, 12, '2025Q1');
  await appendAndSeal(verifyOnly, 2, '2025Q1');
});
afterAll(async () => {
  for (const service of [signing, verifyOnly]) {
    await service.app.close();
    await service.database.drop();
  }
});

describe('logDigest and verifyDigest', () => {
  it('signs the seal’s last link and verifies it; a later digest still verifies the earlier one after more events', async () => {
    const { body } = await graphql(signing, LOG_DIGEST);
    expect(body.errors).toBeUndefined();
    const digest = body.data.logDigest;
    expect(digest).toMatchObject({ format: 'appraisal-log-digest/v1', sealPosition: '12', keyId: current.keyId, signedAt: '2025-03-04T01:00:00.000Z' });

    expect((await graphql(signing, VERIFY_DIGEST, { digest })).body.data.verifyDigest).toEqual({
      ok: true,
      problem: null,
      reason: null,
      keyId: current.keyId,
      sealPosition: '12',
      globalPosition: digest.globalPosition,
      checkedEvents: 12,
      firstBadPosition: null,
    });

    await appendAndSeal(signing, 5, '2025Q2');
    expect((await graphql(signing, LOG_DIGEST)).body.data.logDigest.sealPosition).toBe('17');
    expect((await graphql(signing, VERIFY_DIGEST, { digest })).body.data.verifyDigest).toMatchObject({ ok: true, checkedEvents: 12 });
  });

  it('signs a given seal position, and answers NOT_FOUND for one the seal has not reached', async () => {
    const { body } = await graphql(signing, LOG_DIGEST, { sealPosition: '3' });
    expect(body.data.logDigest.sealPosition).toBe('3');
    const beyond = await graphql(signing, LOG_DIGEST, { sealPosition: '999' });
    expect(beyond.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(beyond.body.errors[0].message).toMatch(/^seal position 999 does not exist/);
    const invalid = await graphql(signing, LOG_DIGEST, { sealPosition: '-1' });
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'sealPosition' })] });
  });

  it('reports a changed field as a bad signature, and a digest of a rotated key by its key id', async () => {
    const digest = (await graphql(signing, LOG_DIGEST, { sealPosition: '5' })).body.data.logDigest;
    const forged = await graphql(signing, VERIFY_DIGEST, { digest: { ...digest, chainHash: '0'.repeat(64) } });
    expect(forged.body.data.verifyDigest).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE', reason: expect.stringMatching(/^bad signature/) });

    // The same log, seen by a service that has only the current public key: the old key's digests are unknown there.
    const link = await sealRepository.at(signing.infrastructure.pool, 5n);
    const old = signDigest(link!, digestKeyring(older.privateKeyPem).signing!, new Date('2024-12-31T16:00:00Z'));
    expect((await graphql(signing, VERIFY_DIGEST, { digest: old })).body.data.verifyDigest).toMatchObject({ ok: true, keyId: older.keyId });
    const unknown = (await graphql(verifyOnly, VERIFY_DIGEST, { digest: old })).body.data.verifyDigest;
    expect(unknown).toMatchObject({ ok: false, problem: 'UNKNOWN_KEY_ID', keyId: older.keyId });
    expect(unknown.reason).toMatch(new RegExp(`^unknown key id ${older.keyId}: no digest keys are configured`));
  });

  it('names a malformed digest, and refuses input that is not a digest at all', async () => {
    const digest = (await graphql(signing, LOG_DIGEST)).body.data.logDigest;
    const malformed = await graphql(signing, VERIFY_DIGEST, { digest: { ...digest, sealPosition: 'twelve' } });
    expect(malformed.body.data.verifyDigest).toMatchObject({ ok: false, problem: 'MALFORMED_DIGEST', reason: 'malformed digest: sealPosition must be a positive whole number as a string' });
    const { signature: _signature, ...missing } = digest;
    const refused = await graphql(signing, VERIFY_DIGEST, { digest: missing });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a digest without a signing key, saying what to set and how to make one', async () => {
    const { body } = await graphql(verifyOnly, LOG_DIGEST);
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe('DIGEST.SIGNING_KEY_MISSING');
    expect(body.errors[0].message).toMatch(/^no digest signing key: set DIGEST_SIGNING_KEY to an Ed25519 private key in PEM \(PKCS#8\).*openssl genpkey -algorithm ed25519/);
  });

  it('reports an event edited after the digest at its position', async () => {
    const digest = (await graphql(signing, LOG_DIGEST)).body.data.logDigest;
    const { rows } = await signing.infrastructure.pool.query<{ p: string }>('SELECT global_position AS p FROM events ORDER BY global_position OFFSET 6 LIMIT 1');
    const client = await signing.infrastructure.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [rows[0].p]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const report = (await graphql(signing, VERIFY_DIGEST, { digest })).body.data.verifyDigest;
    expect(report).toMatchObject({ ok: false, problem: 'LOG_ALTERED', firstBadPosition: rows[0].p, checkedEvents: 6 });
    expect(report.reason).toMatch(new RegExp(`^the log changed at global position ${rows[0].p}`));
  });
});
