import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, chainHash, eventHash, GENESIS_HASH, hashEvent } from '../../src/event-store/event-hash.js';
import { shanghaiDate } from '../../src/shared/business-date.js';
import { deterministicUuid } from '../../src/shared/deterministic-id.js';

const content = {
  streamId: 'appraisal-org1.p1.2025Q1',
  streamRevision: 0,
  eventId: '3f2b7c1e-0000-4000-8000-000000000001',
  type: 'ScoreRecorded',
  schemaVersion: 1,
  data: { points: 18, indicator: 'quality' },
  metadata: {
    commandId: 'c1',
    actor: { id: 'a', role: 'RATER', organizationId: 'org1' },
    correlationId: 'c1',
    causationId: 'c1',
    effectiveAt: '2025-04-01',
  },
  recordedAt: '2025-04-01T01:02:03.004Z',
};

describe('canonical bytes and hashes', () => {
  it('serialises objects with sorted keys and no white space, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: '等次', c: 2.5 }] })).toBe('{"a":[true,null,{"c":2.5,"d":"等次"}],"b":1}');
    expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
  });

  it('gives for any JSON value JSON of that value, the same bytes whatever the order of its objects\' keys', () => {
    const keysReversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(keysReversed)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.keys(value).reverse().map((key) => [key, keysReversed((value as Record<string, unknown>)[key])]))
          : value;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = canonicalJson(value);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(keysReversed(value))).toBe(json);
      }),
      { numRuns: 300 },
    );
  });

  it('orders keys by UTF-16 code unit, as Array.prototype.sort does, in objects of few keys and of many', () => {
    const keys = ['b', 'B', 'a', '_', '1', 'é', '\uFFFF', '\u{1F600}', 'aa', 'a b', ''];
    const many = [...keys, ...Array.from({ length: 12 }, (_, index) => `k${20 - index}`)];
    for (const list of [keys, many]) {
      const object = Object.fromEntries(list.map((key, index) => [key, index]));
      const expected = `{${[...list].sort().map((key) => `${JSON.stringify(key)}:${object[key]}`).join(',')}}`;
      expect(canonicalJson(object)).toBe(expected);
    }
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ points: Number.NaN })).toThrow(/non-finite/);
  });

  it('hashes SHA-256 over the previous hash, a line break and the canonical JSON of the content (the format every stored hash was made in)', () => {
    const canonical =
      '{"data":{"indicator":"quality","points":18},"eventId":"3f2b7c1e-0000-4000-8000-000000000001",' +
      '"metadata":{"actor":{"id":"a","organizationId":"org1","role":"RATER"},"causationId":"c1","commandId":"c1","correlationId":"c1","effectiveAt":"2025-04-01"},' +
      '"recordedAt":"2025-04-01T01:02:03.004Z","schemaVersion":1,"streamId":"appraisal-org1.p1.2025Q1","streamRevision":0,"type":"ScoreRecorded"}';
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(canonicalJson(content)).toBe(canonical);
    expect(eventHash(GENESIS_HASH, content)).toBe(sha256(`${GENESIS_HASH}\n${canonical}`));
    expect(eventHash(GENESIS_HASH, content)).toBe('4b89bfc280fc6081433975e891806cdd47352c35999fb289e4ffc448195faa8f');
    // Fields beyond the hashed ones (a recorded event's position, its own hash) change nothing.
    expect(eventHash(GENESIS_HASH, { ...content, globalPosition: 7n, hash: 'x' } as typeof content)).toBe(eventHash(GENESIS_HASH, content));
    const previous = eventHash(GENESIS_HASH, content);
    expect(chainHash(GENESIS_HASH, previous)).toBe(sha256(`${GENESIS_HASH}\n${previous}`));
    expect(chainHash(GENESIS_HASH, previous)).toBe('b981e0f8d9e17c20cfcecdc51de26fab861c9bb817c3ce18ad1cdb282778941f');
  });

  it('gives with the hash the canonical JSON of the data and the metadata it covered, for the store to write', () => {
    const hashed = hashEvent(GENESIS_HASH, { ...content, data: { points: 18, note: '等次 "甲"', list: [{ b: 1, a: 2 }] } });
    expect(hashed.dataJson).toBe('{"list":[{"a":2,"b":1}],"note":"等次 \\"甲\\"","points":18}');
    expect(hashed.metadataJson).toBe(canonicalJson(content.metadata));
    expect(hashed.hash).toBe(eventHash(GENESIS_HASH, { ...content, data: { points: 18, note: '等次 "甲"', list: [{ b: 1, a: 2 }] } }));
    expect(hashEvent(GENESIS_HASH, content).hash).toBe('4b89bfc280fc6081433975e891806cdd47352c35999fb289e4ffc448195faa8f');
  });

  it('hashes the same content to the same value and any change to another', () => {
    const hash = eventHash(GENESIS_HASH, content);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, { ...content, data: { indicator: 'quality', points: 18 } })).toBe(hash);
    expect(eventHash(GENESIS_HASH, { ...content, data: { ...content.data, points: 19 } })).not.toBe(hash);
    expect(eventHash(hash, content)).not.toBe(hash);
    expect(chainHash(GENESIS_HASH, hash)).not.toBe(chainHash(hash, GENESIS_HASH));
  });
});

describe('business date and deterministic ids', () => {
  it('gives the Asia/Shanghai date of an instant', () => {
    expect(shanghaiDate('2025-04-07T15:59:59.999Z')).toBe('2025-04-07');
    expect(shanghaiDate('2025-04-07T16:00:00.000Z')).toBe('2025-04-08');
    expect(() => shanghaiDate('yesterday')).toThrow(/ISO 8601/);
  });

  it('makes the same UUID from the same parts, and a different one otherwise', () => {
    const id = deterministicUuid('event', 'command-1', '0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('event', 'command-1', '0')).toBe(id);
    expect(deterministicUuid('event', 'command-1', '1')).not.toBe(id);
    expect(deterministicUuid('event', 'command-10', '')).not.toBe(deterministicUuid('event', 'command-1', '0'));
  });
});
