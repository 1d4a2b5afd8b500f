import { createHash, createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDigestCommand, runDigestKeyCommand, runVerifyDigestCommand, type CommandOutput } from '../../src/cli/digest-command.js';
import { eventHash } from '../../src/event-store/event-hash.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { digestKeyring, generateDigestKeyPair, loadDigestKeys, type DigestKeyring } from '../../src/integrity/digest-keys.js';
import {
  createLogDigest,
  digestSigningBytes,
  DigestSigningKeyMissingError,
  signDigest,
  verifyLogDigest,
  type LogDigest,
} from '../../src/integrity/digest.js';
import { extendSeal } from '../../src/integrity/seal-chain.js';
import { sealRepository } from '../../src/integrity/seal-repository.js';
import { sealingProjection, SEALING_PROJECTION } from '../../src/integrity/sealing.projection.js';
import { verifyIntegrity } from '../../src/integrity/verify-integrity.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const EVENTS = 30;
const SIGNED_AT = new Date('2025-01-02T01:00:00.000Z');

const current = generateDigestKeyPair();
const rotatedOut = generateDigestKeyPair();
/** The service now: signs with the current key, still trusts the old one. */
const keys: DigestKeyring = digestKeyring(current.privateKeyPem, [rotatedOut.publicKeyPem]);

interface SealedLog {
  database: TestDatabase;
  store: PostgresEventStore;
  projections: ProjectionRunner;
  positions: bigint[];
  /** Runs SQL with the append-only guard switched off (as someone with the database's superuser would). */
  tamper(sql: string, values?: unknown[]): Promise<void>;
  /** Appends events to new streams and seals them. */
  append(count: number, period: string): Promise<void>;
  /** Seals every event in the log. */
  sealAll(): Promise<void>;
}

/**
 * Catches the seal up until it holds every event: a transaction open elsewhere on the server (another
 * test file) holds back the readable horizon for a moment, so one catch-up may stop short.
 */
async function sealAll(database: TestDatabase, projections: ProjectionRunner): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    await projections.catchUp(SEALING_PROJECTION);
    const { rows } = await database.pool.query<{ sealed: boolean }>('SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM event_seal) AS sealed');
    if (rows[0].sealed) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the seal did not catch up with the log');
}

const opened: SealedLog[] = [];
async function sealedLog(events = EVENTS): Promise<SealedLog> {
  const database = await createTestDatabase();
  const store = new PostgresEventStore(database.pool);
  const projections = new ProjectionRunner(database.pool, store, [sealingProjection]);
  await fillLog(store, events);
  await sealAll(database, projections);
  const positions = (await database.pool.query<{ p: string }>('SELECT global_position AS p FROM events ORDER BY global_position')).rows.map((row) =>
    BigInt(row.p),
  );
  const log: SealedLog = {
    database,
    store,
    projections,
    positions,
    async tamper(sql, values = []) {
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query(sql, values);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    async append(count, period) {
      await fillLog(store, count, 3, period);
      await sealAll(database, projections);
    },
    sealAll: () => sealAll(database, projections),
  };
  opened.push(log);
  return log;
}
afterAll(async () => {
  for (const log of opened) {
    await log.store.close();
    await log.database.drop();
  }
});

function verifyDigest(log: SealedLog, digest: unknown, keyring: DigestKeyring | undefined = keys) {
  return verifyLogDigest(log.store, log.database.pool, keyring, digest, { batchSize: 7 });
}

describe('a signed digest', () => {
  it('signs the seal’s last link with Ed25519 over versioned lines, under the key’s fingerprint', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    const last = (await log.database.pool.query('SELECT * FROM event_seal ORDER BY seal_position DESC LIMIT 1')).rows[0];

    expect(digest).toEqual({
      format: 'appraisal-log-digest/v1',
      sealPosition: String(EVENTS),
      globalPosition: log.positions[EVENTS - 1].toString(),
      eventId: last.event_id,
      chainHash: last.chain_hash,
      signedAt: '2025-01-02T01:00:00.000Z',
      keyId: current.keyId,
      signature: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
    });
    const { signature, ...fields } = digest;
    expect(digestSigningBytes(fields).toString('utf8')).toBe(
      `appraisal-log-digest/v1\nsealPosition:${EVENTS}\nglobalPosition:${digest.globalPosition}\neventId:${digest.eventId}\nchainHash:${digest.chainHash}\nsignedAt:2025-01-02T01:00:00.000Z\nkeyId:${current.keyId}\n`,
    );
    // Anyone with the public key checks it with plain node:crypto (or openssl pkeyutl -verify -rawin).
    const publicKey = createPublicKey(current.publicKeyPem);
    expect(verify(null, digestSigningBytes(fields), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(current.keyId).toBe(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16));
  });

  it('verifies: the signature holds and every event up to it re-verifies', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    expect(await verifyDigest(log, digest)).toEqual({
      ok: true,
      problem: null,
      reason: null,
      keyId: current.keyId,
      sealPosition: BigInt(EVENTS),
      globalPosition: log.positions[EVENTS - 1],
      checkedEvents: EVENTS,
      firstBadPosition: null,
    });
  });

  it('signs an earlier seal position on request, and refuses one the seal has not reached', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT, sealPosition: 12n });
    expect(digest.sealPosition).toBe('12');
    expect(digest.globalPosition).toBe(log.positions[11].toString());
    expect(await verifyDigest(log, digest)).toMatchObject({ ok: true, checkedEvents: 12 });
    await expect(createLogDigest(log.database.pool, keys, { now: SIGNED_AT, sealPosition: 31n })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `seal position 31 does not exist: the seal ends at position ${EVENTS}`,
    });
  });

  it('is refused without a signing key, saying what to set and how to make a key', async () => {
    const log = await sealedLog(3);
    const verifyOnly = digestKeyring(undefined, [current.publicKeyPem]);
    for (const keyring of [undefined, verifyOnly]) {
      const attempt = createLogDigest(log.database.pool, keyring, { now: SIGNED_AT });
      await expect(attempt).rejects.toBeInstanceOf(DigestSigningKeyMissingError);
      await expect(createLogDigest(log.database.pool, keyring, { now: SIGNED_AT })).rejects.toThrow(
        /DIGEST_SIGNING_KEY.*Ed25519 private key in PEM \(PKCS#8\).*openssl genpkey -algorithm ed25519/,
      );
    }
  });

  it('is refused while the seal is empty', async () => {
    const log = await sealedLog(0);
    await expect(createLogDigest(log.database.pool, keys, { now: SIGNED_AT })).rejects.toMatchObject({ code: 'DIGEST.NOTHING_SEALED' });
  });
});

describe('verifying a digest', () => {
  let log: SealedLog;
  let digest: LogDigest;
  beforeAll(async () => {
    log = await sealedLog();
    digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
  });

  it.each([
    ['chainHash', (d: LogDigest) => ({ ...d, chainHash: 'f'.repeat(64) })],
    ['sealPosition', (d: LogDigest) => ({ ...d, sealPosition: '3' })],
    ['globalPosition', (d: LogDigest) => ({ ...d, globalPosition: '1' })],
    ['signedAt', (d: LogDigest) => ({ ...d, signedAt: '2030-01-01T00:00:00.000Z' })],
    ['signature', (d: LogDigest) => ({ ...d, signature: Buffer.alloc(64, 7).toString('base64') })],
  ])('reports a changed %s as a bad signature', async (_field, change) => {
    const report = await verifyDigest(log, change(digest));
    expect(report).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE', keyId: current.keyId });
    expect(report.reason).toMatch(/^bad signature/);
  });

  it('reports another key id as unknown, or as a bad signature when that key exists but did not sign', async () => {
    expect(await verifyDigest(log, { ...digest, keyId: '0123456789abcdef' })).toMatchObject({
      ok: false,
      problem: 'UNKNOWN_KEY_ID',
      reason: expect.stringMatching(/^unknown key id 0123456789abcdef/),
    });
    expect(await verifyDigest(log, { ...digest, keyId: rotatedOut.keyId })).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE' });
  });

  it('names what is malformed', async () => {
    const { chainHash: _dropped, ...missing } = digest;
    expect(await verifyDigest(log, missing)).toMatchObject({ ok: false, problem: 'MALFORMED_DIGEST', reason: 'malformed digest: chainHash is missing' });
    expect((await verifyDigest(log, { ...digest, note: 'x' })).reason).toBe('malformed digest: unexpected field(s) note');
    expect((await verifyDigest(log, { ...digest, sealPosition: 30 })).reason).toBe('malformed digest: sealPosition must be a positive whole number as a string');
    expect((await verifyDigest(log, { ...digest, format: 'appraisal-log-digest/v9' })).reason).toMatch(/format appraisal-log-digest\/v9 is not supported/);
    expect((await verifyDigest(log, 'nonsense')).problem).toBe('MALFORMED_DIGEST');
  });

  it('after a key rotation, verifies digests of the old key while its public key is configured, and names the key id when it is not', async () => {
    const beforeRotation = digestKeyring(rotatedOut.privateKeyPem);
    const old = await createLogDigest(log.database.pool, beforeRotation, { now: SIGNED_AT, sealPosition: 20n });
    expect(old.keyId).toBe(rotatedOut.keyId);

    expect(await verifyDigest(log, old, keys)).toMatchObject({ ok: true, keyId: rotatedOut.keyId, checkedEvents: 20 });
    const forgotten = digestKeyring(current.privateKeyPem);
    const report = await verifyDigest(log, old, forgotten);
    expect(report).toMatchObject({ ok: false, problem: 'UNKNOWN_KEY_ID' });
    expect(report.reason).toBe(
      `unknown key id ${rotatedOut.keyId}: the configured public keys are ${current.keyId}; after a key rotation, add the old public key to DIGEST_VERIFY_KEYS`,
    );
    // The current key's public half is always trusted, even with only DIGEST_SIGNING_KEY set.
    expect(await verifyDigest(log, digest, forgotten)).toMatchObject({ ok: true });
    expect((await verifyLogDigest(log.store, log.database.pool, undefined, digest)).reason).toMatch(/no digest keys are configured; set DIGEST_VERIFY_KEYS/);
  });
});

describe('the log against a digest', () => {
  it('holds when events were appended after the digest: the log is unchanged up to it', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    await log.append(9, '2025Q2');
    expect(await verifyDigest(log, digest)).toMatchObject({ ok: true, checkedEvents: EVENTS });
  });

  it('holds when only events after it were edited (the whole-log verify finds those)', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT, sealPosition: 15n });
    await log.tamper(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [log.positions[20].toString()]);
    expect(await verifyDigest(log, digest)).toMatchObject({ ok: true, checkedEvents: 15 });
    expect(await verifyIntegrity(log.store, log.database.pool)).toMatchObject({ ok: false, firstBadPosition: log.positions[20] });
  });

  it('reports an event edited after the digest at its position', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    const target = log.positions[17];
    await log.tamper(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [target.toString()]);

    const report = await verifyDigest(log, digest);
    expect(report).toMatchObject({ ok: false, problem: 'LOG_ALTERED', firstBadPosition: target, checkedEvents: 17 });
    expect(report.reason).toMatch(new RegExp(`^the log changed at global position ${target}, within the digest .*does not match its hash`));
  });

  it('reports an event deleted after the digest', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    const target = log.positions[5];
    await log.tamper('DELETE FROM events WHERE global_position = $1', [target.toString()]);
    expect(await verifyDigest(log, digest)).toMatchObject({ ok: false, problem: 'LOG_ALTERED', firstBadPosition: target, reason: expect.stringMatching(/missing from the log/) });
  });

  it('reports a seal rewritten to match an edited log: the chain hash differs at the digest’s position', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    // The forger edits an event with a recomputed hash and re-seals from there: both chains hold again.
    const target = log.positions[10];
    await log.tamper(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [target.toString()]);
    const [edited] = (await log.store.readAll({ major: 0n, minor: 0n }, 1000)).filter((event) => event.globalPosition === target);
    const previous = (await log.store.readStream(edited.streamId)).find((other) => other.streamRevision === edited.streamRevision - 1);
    const forgedStreamHashes = new Map<string, string>();
    let streamHead = previous?.hash ?? '0'.repeat(64);
    for (const event of (await log.store.readStream(edited.streamId)).filter((other) => other.streamRevision >= edited.streamRevision)) {
      streamHead = eventHash(streamHead, event);
      forgedStreamHashes.set(event.eventId, streamHead);
    }
    for (const [eventId, hash] of forgedStreamHashes) await log.tamper('UPDATE events SET hash = $2 WHERE event_id = $1', [eventId, hash]);
    const resealed = extendSeal(undefined, await log.store.readAll({ major: 0n, minor: 0n }, 1000));
    for (const link of resealed) {
      await log.tamper('UPDATE event_seal SET event_hash = $2, chain_hash = $3 WHERE seal_position = $1', [link.sealPosition.toString(), link.eventHash, link.chainHash]);
    }
    expect(await verifyIntegrity(log.store, log.database.pool)).toMatchObject({ ok: true });

    const report = await verifyDigest(log, digest);
    expect(report).toMatchObject({ ok: false, problem: 'CHAIN_HASH_DIFFERS', firstBadPosition: log.positions[EVENTS - 1] });
    expect(report.reason).toMatch(new RegExp(`^chain hash differs at seal position ${EVENTS} \\(global position ${log.positions[EVENTS - 1]}\\)`));
  });

  it('reports a log shorter than the digest', async () => {
    const log = await sealedLog();
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    const [last, beforeLast] = [log.positions[EVENTS - 1], log.positions[EVENTS - 2]];
    await log.tamper('DELETE FROM events WHERE global_position = $1', [last.toString()]);
    await log.tamper('DELETE FROM event_seal WHERE seal_position = $1', [String(EVENTS)]);

    expect(await verifyDigest(log, digest)).toMatchObject({
      ok: false,
      problem: 'LOG_SHORTER',
      reason: `the log is shorter than the digest: the digest covers seal position ${EVENTS} (global position ${last}), the seal ends at seal position ${EVENTS - 1} (global position ${beforeLast})`,
    });
  });

  it('catches the seal up first when the digest is ahead of it (made by another process that sealed further)', async () => {
    const log = await sealedLog();
    await fillLog(log.store, 2, 1, '2025Q3');
    let unsealed = (await log.store.readAll({ major: 0n, minor: 0n }, 1000)).slice(EVENTS);
    while (unsealed.length < 2) {
      // A transaction open elsewhere on the server may hold the two back for a moment.
      await new Promise((resolve) => setTimeout(resolve, 50));
      unsealed = (await log.store.readAll({ major: 0n, minor: 0n }, 1000)).slice(EVENTS);
    }
    const ahead = signDigest(extendSeal(await sealRepository.last(log.database.pool), unsealed)[1], keys.signing!, SIGNED_AT);
    expect(ahead.sealPosition).toBe(String(EVENTS + 2));

    expect(await verifyDigest(log, ahead)).toMatchObject({ ok: false, problem: 'LOG_SHORTER' });
    const report = await verifyLogDigest(log.store, log.database.pool, keys, ahead, { catchUpSeal: () => log.sealAll() });
    expect(report).toMatchObject({ ok: true, checkedEvents: EVENTS + 2 });
  });
});

function capture(): CommandOutput & { stdout: string; stderr: string } {
  const output = {
    stdout: '',
    stderr: '',
    out(text: string) {
      output.stdout += text;
    },
    err(text: string) {
      output.stderr += `${text}\n`;
    },
  };
  return output;
}

describe('the CLI: digest, verify --digest, digest-key', () => {
  let directory: string;
  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-cli-'));
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  async function context(log: SealedLog, keyring: DigestKeyring | undefined = keys) {
    return {
      infrastructure: { store: log.store, pool: log.database.pool, projections: log.projections, digestKeys: keyring },
      io: capture(),
      now: () => SIGNED_AT,
      workingDirectory: directory,
    };
  }

  it('digest --out writes the signed digest (never over another), verify --digest exits 0 while the log holds and 2 naming why when not', async () => {
    const log = await sealedLog();
    await log.append(4, '2025Q4');
    const made = await context(log);
    expect(await runDigestCommand(['--out', 'digest.json'], made)).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(directory, 'digest.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(made.io.stdout));
    expect(written).toMatchObject({ sealPosition: String(EVENTS + 4), keyId: current.keyId, signedAt: SIGNED_AT.toISOString() });

    const again = await context(log);
    expect(await runDigestCommand(['--out', 'digest.json'], again)).toBe(1);
    expect(again.io.stderr).toMatch(/exists; a digest is never overwritten/);

    const holds = await context(log);
    expect(await runVerifyDigestCommand('digest.json', holds)).toBe(0);
    expect(JSON.parse(holds.io.stdout)).toMatchObject({ ok: true, sealPosition: String(EVENTS + 4), checkedEvents: EVENTS + 4 });

    const target = log.positions[8];
    await log.tamper(`UPDATE events SET data = jsonb_set(data, '{points}', '99') WHERE global_position = $1`, [target.toString()]);
    const broken = await context(log);
    expect(await runVerifyDigestCommand('digest.json', broken)).toBe(2);
    expect(JSON.parse(broken.io.stdout)).toMatchObject({ ok: false, problem: 'LOG_ALTERED', firstBadPosition: target.toString() });
    expect(broken.io.stderr).toMatch(new RegExp(`the digest does not hold: the log changed at global position ${target}`));
  });

  it('verify --digest exits 2 on a bad signature, an unknown key id or a file that is not JSON, and 1 on a missing file', async () => {
    const log = await sealedLog(5);
    const digest = await createLogDigest(log.database.pool, keys, { now: SIGNED_AT });
    fs.writeFileSync(path.join(directory, 'forged.json'), JSON.stringify({ ...digest, chainHash: 'a'.repeat(64) }));
    fs.writeFileSync(path.join(directory, 'old-key.json'), JSON.stringify(await createLogDigest(log.database.pool, digestKeyring(rotatedOut.privateKeyPem), { now: SIGNED_AT })));
    fs.writeFileSync(path.join(directory, 'garbage.json'), '{ not json');

    const forged = await context(log);
    expect(await runVerifyDigestCommand('forged.json', forged)).toBe(2);
    expect(JSON.parse(forged.io.stdout).problem).toBe('BAD_SIGNATURE');

    const rotated = await context(log, digestKeyring(current.privateKeyPem));
    expect(await runVerifyDigestCommand('old-key.json', rotated)).toBe(2);
    expect(rotated.io.stderr).toMatch(new RegExp(`unknown key id ${rotatedOut.keyId}`));
    const trusted = await context(log);
    expect(await runVerifyDigestCommand('old-key.json', trusted)).toBe(0);

    const garbage = await context(log);
    expect(await runVerifyDigestCommand('garbage.json', garbage)).toBe(2);
    expect(JSON.parse(garbage.io.stdout).problem).toBe('MALFORMED_DIGEST');

    const missing = await context(log);
    expect(await runVerifyDigestCommand('nowhere.json', missing)).toBe(1);
    expect(missing.io.stderr).toMatch(/cannot read the digest .*nowhere\.json \(ENOENT\)/);
  });

  it('digest refuses without a signing key and rejects unknown arguments', async () => {
    const log = await sealedLog(2);
    await expect(runDigestCommand([], await context(log, digestKeyring(undefined, [current.publicKeyPem])))).rejects.toThrow(/DIGEST_SIGNING_KEY/);
    const wrong = await context(log);
    expect(await runDigestCommand(['--seal-position', 'zero'], wrong)).toBe(1);
    expect(wrong.io.stderr).toMatch(/unexpected argument --seal-position zero/);
  });

  it('digest-key prints a key pair that serves as DIGEST_SIGNING_KEY and, by its public block, as DIGEST_VERIFY_KEYS', () => {
    const io = capture();
    expect(runDigestKeyCommand(io)).toBe(0);
    expect(io.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const keyId = /key id ([0-9a-f]{16})/.exec(io.stderr)![1];
    fs.writeFileSync(path.join(directory, 'pair.pem'), io.stdout);
    const problems: string[] = [];
    const signing = loadDigestKeys({ DIGEST_SIGNING_KEY: 'pair.pem' }, directory, problems);
    const verifying = loadDigestKeys({ DIGEST_VERIFY_KEYS: 'pair.pem' }, directory, problems);
    expect(problems).toEqual([]);
    expect(signing?.signing?.keyId).toBe(keyId);
    expect([...verifying!.verification.keys()]).toEqual([keyId]);
    expect(verifying!.signing).toBeUndefined();
  });
});
