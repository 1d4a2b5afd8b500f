import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { chainProblem, GENESIS_HASH } from '../../src/event-store/event-hash.js';
import { arrayLiteral, binaryArray, PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { CONTRACT_CLOCK, describeEventStoreContract } from '../support/event-store-contract.js';
import { newEvent } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  await store.appendToStream('person-p0', 'no_stream', [newEvent()]);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const contractDatabase = await createTestDatabase();
  const contractStore = new PostgresEventStore(contractDatabase.pool, { clock: CONTRACT_CLOCK });
  return {
    store: contractStore,
    async close() {
      await contractStore.close();
      await contractDatabase.drop();
    },
  };
});

describe('PostgreSQL event store: beyond the contract', () => {
  it('refuses to reuse event ids in another stream (the unique event id spans the whole log)', async () => {
    const event = newEvent();
    await store.appendToStream('person-p10', 'no_stream', [event]);
    await expect(store.appendToStream('person-p11', 'no_stream', [event])).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    expect(await store.readStream('person-p11')).toEqual([]);
  });
});

describe('PostgreSQL event store: what it writes is what it was given', () => {
  // Text that an array literal must quote or escape: quotes, backslashes, commas, braces, spaces, the word NULL.
  const awkward = ['say "yes"', 'back\\slash \\"', 'a,b {c} d', 'NULL', ' ', '等次 \t\n'];

  async function storedRows(streamId: string) {
    const rows = await database.pool.query<{ command_id: string; type: string; data: unknown; metadata: unknown; effective_at: string }>(
      "SELECT command_id, type, data, metadata, to_char(effective_at, 'YYYY-MM-DD') AS effective_at FROM events WHERE stream_id = $1 ORDER BY stream_revision",
      [streamId],
    );
    return rows.rows;
  }

  function awkwardEvents(prefix: string, count: number) {
    return Array.from({ length: count }, (_, index) => {
      const text = awkward[index % awkward.length];
      const commandId = `${prefix}-${index} ${text}`;
      return newEvent({
        type: `Type ${text}`,
        data: { text, nested: { z: [text, null, 1.5], a: true }, index },
        metadata: { commandId, actor: { id: text, role: 'HR', organizationId: 'org1' }, correlationId: commandId, causationId: commandId, effectiveAt: '2025-04-01' },
      });
    });
  }

  it.each([
    ['alone (a batch of 40 events)', 1, 40],
    ['together with other appends in one statement', 12, 1],
  ])('keeps stream ids, command ids, types, data and metadata as given, and their hashes chain, when appended %s', async (_how, streams, eventsPerAppend) => {
    const appends = Array.from({ length: streams }, (_, index) => ({
      streamId: `awkward ${_how.length}-${index} ${awkward[index % awkward.length]}`,
      events: awkwardEvents(`c${_how.length}-${index}`, eventsPerAppend),
    }));
    await Promise.all(appends.map(({ streamId, events }) => store.appendToStream(streamId, 'no_stream', events)));

    for (const { streamId, events } of appends) {
      const read = await store.readStream(streamId);
      expect(read.map((event) => event.streamId)).toEqual(events.map(() => streamId));
      expect(read.map(({ type, data, metadata }) => ({ type, data, metadata }))).toEqual(events.map(({ type, data, metadata }) => ({ type, data, metadata })));
      expect(chainProblem(streamId, -1, GENESIS_HASH, read)).toBeUndefined();
      expect(await storedRows(streamId)).toEqual(
        events.map((event) => ({ command_id: event.metadata.commandId, type: event.type, data: event.data, metadata: event.metadata, effective_at: '2025-04-01' })),
      );
    }
  });
});

describe('PostgreSQL event store: notifications', () => {
  it('wakes a follower that began waiting while the store was still opening its LISTEN connection', async () => {
    // The follower's store opens its first connection (its LISTEN) slowly; another store appends meanwhile.
    const slowPool = new pg.Pool({ connectionString: database.url, max: 2 });
    const connect = slowPool.connect.bind(slowPool) as () => Promise<pg.PoolClient>;
    let opened = false;
    (slowPool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
      if (!opened) {
        opened = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return connect();
    };
    const follower = new PostgresEventStore(slowPool);
    try {
      const started = performance.now();
      const waiting = follower.waitForAppends(30_000);
      await store.appendToStream('person-listen-race', 'no_stream', [newEvent()]);
      await waiting;
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await follower.close();
      await slowPool.end();
    }
  });
});

describe('PostgreSQL event store: reads asked for together', () => {
  /** The store, on a pool that records the text of every statement it is given. */
  function countingStore(): { store: PostgresEventStore; sent: string[] } {
    const sent: string[] = [];
    const pool = new Proxy(database.pool, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
        return (config: string | { text: string }, values?: unknown[]) => {
          sent.push(typeof config === 'string' ? config : config.text);
          return target.query(config as never, values as never);
        };
      },
    });
    return { store: new PostgresEventStore(pool), sent };
  }

  it('sends the reads asked for in the same turn as one statement, each answered as a read of its own', async () => {
    const [first, second] = [newEvent(), newEvent()];
    await store.appendToStream('person-together-a', 'no_stream', [first, second]);
    await store.appendToStream('person-together-b', 'no_stream', [newEvent()]);
    const { store: reader, sent } = countingStore();

    const [a, fromOne, b, both, missing] = await Promise.all([
      reader.readStream('person-together-a'),
      reader.readStream('person-together-a', { fromRevision: 1 }),
      reader.readStream('person-together-b'),
      reader.readStreams([
        { streamId: 'person-together-b', fromRevision: 0 },
        { streamId: 'person-together-a', fromRevision: 0 },
      ]),
      reader.readStream('person-together-never'),
    ]);
    expect(sent).toHaveLength(1);
    expect(a.map((event) => event.eventId)).toEqual([first.eventId, second.eventId]);
    expect(fromOne.map((event) => event.eventId)).toEqual([second.eventId]);
    expect(both).toEqual([b, a]);
    expect(missing).toEqual([]);
    // Each asker owns what it was given: a stream asked for twice is not one shared array or event.
    expect(both[1]).not.toBe(a);
    expect(both[1][0]).not.toBe(a[0]);
    expect(a).toEqual(await store.readStream('person-together-a'));
  });

  it('sees every append made before a read was asked for, and reads again for reads asked later', async () => {
    const { store: reader, sent } = countingStore();
    await reader.appendToStream('person-together-c', 'no_stream', [newEvent()]);
    expect(await reader.readStream('person-together-c')).toHaveLength(1);
    await reader.appendToStream('person-together-c', 0, [newEvent()]);
    expect(await reader.readStream('person-together-c')).toHaveLength(2);
    expect(sent.filter((text) => text.startsWith('SELECT'))).toHaveLength(2);
  });

  it('fails every read of a statement that fails, and the next reads go on', async () => {
    const failing = new Proxy(database.pool, {
      get(target, property, receiver) {
        if (property === 'query') return () => Promise.reject(new Error('connection lost'));
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const reader = new PostgresEventStore(failing);
    const outcomes = await Promise.allSettled([reader.readStream('person-p0'), reader.readStreams([{ streamId: 'person-p0', fromRevision: 0 }])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await store.readStream('person-p0')).toHaveLength(1);
  });
});

describe('PostgreSQL event store: the database checks each row', () => {
  const row = (hash: string) =>
    database.pool.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash)
       VALUES ('hash-check', 0, gen_random_uuid(), 'c', 'ScoreRecorded', 1, '{}', '{}', now(), '2025-04-01', $1)`,
      [hash],
    );

  it.each([
    ['63 digits', 'a'.repeat(63)],
    ['65 digits', 'a'.repeat(65)],
    ['an upper-case digit', `${'a'.repeat(63)}A`],
    ['a letter past f', `${'a'.repeat(63)}g`],
    ['a space', `${'a'.repeat(63)} `],
    ['a line break before the end', `${'a'.repeat(63)}\n`],
    ['nothing', ''],
  ])('refuses a hash of %s', async (_what, hash) => {
    await expect(row(hash)).rejects.toMatchObject({ code: '23514', constraint: 'events_hash_check' });
  });

  it('takes a hash of 64 lower-case hexadecimal digits', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, command_id, type, schema_version, data, metadata, recorded_at, effective_at, hash)
         VALUES ('hash-check', 0, gen_random_uuid(), 'c', 'ScoreRecorded', 1, '{}', '{}', now(), '2025-04-01', $1)`,
        ['0123456789abcdef'.repeat(4)],
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('PostgreSQL event store: array literals', () => {
  it('are read back by PostgreSQL as the values they were made of, whatever the text', async () => {
    const texts = ['plain', 'say "yes"', 'back\\slash', '\\"', 'a,b', '{c}', 'NULL', '', ' lead and trail ', '等次', 'tab\there\nline'];
    const result = await database.pool.query<{ texts: string[]; numbers: string[] }>('SELECT $1::text[] AS texts, $2::bigint[]::text[] AS numbers', [
      arrayLiteral(texts),
      arrayLiteral([0, 7, -3, 9007199254740991]),
    ]);
    expect(result.rows[0].texts).toEqual(texts);
    expect(result.rows[0].numbers).toEqual(['0', '7', '-3', '9007199254740991']);
  });

  it('in binary are read back by PostgreSQL as the values they were made of', async () => {
    const texts = ['plain', 'say "yes"', 'back\\slash', 'a,b', '{c}', 'NULL', '', '等次 优秀', '\u{1F600} 4-byte', 'tab\there\nline'];
    const result = await database.pool.query<{ texts: (string | null)[]; big: string[]; small: number[] }>(
      'SELECT $1::text[] AS texts, $2::bigint[]::text[] AS big, $3::int[] AS small',
      [binaryArray('text', [...texts, null]), binaryArray('int8', [0, 1, -1, 9007199254740991]), binaryArray('int4', [0, 1, -2147483648, 2147483647])],
    );
    expect(result.rows[0].texts).toEqual([...texts, null]);
    expect(result.rows[0].big).toEqual(['0', '1', '-1', '9007199254740991']);
    expect(result.rows[0].small).toEqual([0, 1, -2147483648, 2147483647]);
  });

  it('in binary refuse numbers their element type cannot hold', () => {
    expect(() => binaryArray('int4', [1.5])).toThrow(/whole number/);
    expect(() => binaryArray('int4', [2 ** 31])).toThrow(/out of range/);
    expect(() => binaryArray('int8', [0.5])).toThrow(/not an integer/);
  });

  it('write a missing value as NULL', async () => {
    const result = await database.pool.query<{ values: (string | null)[] }>('SELECT $1::text[] AS values', [arrayLiteral(['a', null, undefined, 'b'])]);
    expect(result.rows[0].values).toEqual(['a', null, null, 'b']);
  });
});

describe('PostgreSQL event store: the log is append-only', () => {
  it.each([
    ['UPDATE', "UPDATE events SET data = '{}'::jsonb"],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('%s on events fails and changes nothing', async (_operation, statement) => {
    const before = await database.pool.query('SELECT count(*)::int AS n, md5(string_agg(data::text, \',\' ORDER BY global_position)) AS digest FROM events');
    await expect(database.pool.query(statement)).rejects.toThrow(/append-only/);
    const after = await database.pool.query('SELECT count(*)::int AS n, md5(string_agg(data::text, \',\' ORDER BY global_position)) AS digest FROM events');
    expect(after.rows[0]).toEqual(before.rows[0]);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });

  it.each(['UPDATE event_seal SET chain_hash = chain_hash', 'DELETE FROM event_seal', 'TRUNCATE event_seal'])(
    'the seal table refuses %s',
    async (statement) => {
      await expect(database.pool.query(statement)).rejects.toThrow(/append-only/);
    },
  );
});
