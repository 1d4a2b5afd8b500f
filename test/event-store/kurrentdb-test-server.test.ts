// Exercises the protocol-level KurrentDB test server through the REAL @kurrent/kurrentdb-client
// (grpc-js for appends and subscriptions, the native Rust bridge for readStream/readAll), so that an
// adapter tested against the double is known to speak the client's wire protocol.
import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  eventTypeFilter,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '../support/kurrentdb-test-server.js';

const STREAMS = '/event_store.client.streams.Streams';
/** A fixed server clock with a sub-second part: 2023-11-14T22:13:20.123Z. */
const CLOCK_MS = 1_700_000_000_123;
const FEATURES = '/event_store.client.server_features.ServerFeatures/GetSupportedMethods';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function uniqueStream(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

function recorded(event: AllStreamResolvedEvent | ResolvedEvent) {
  if (!event.event) throw new Error('expected a recorded event');
  return event.event;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.each([
  { path: 'BatchAppend', batchAppend: true },
  { path: 'Append', batchAppend: false },
])('KurrentDB test server, appends through Streams.$path', ({ path, batchAppend }) => {
  let server: KurrentDbTestServer;
  let client: KurrentDBClient;

  beforeAll(async () => {
    server = await startKurrentDbTestServer({ batchAppend, now: () => CLOCK_MS });
    client = KurrentDBClient.connectionString(server.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it(`appends through ${path} and reads the stream back with every field`, async () => {
    const stream = uniqueStream('appraisal');
    const first = jsonEvent({ id: randomUUID(), type: 'ScoreRecorded', data: { points: 18 }, metadata: { hash: 'h1', actor: 'a' } });
    const second = jsonEvent({ id: randomUUID(), type: 'ScoreRevised', data: { points: 17 }, metadata: { hash: 'h2' } });

    const result = await client.appendToStream(stream, [first, second], { streamState: NO_STREAM });

    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(1n);
    expect(result.position).toBeDefined();
    expect(server.calls).toContain(FEATURES);
    expect(server.calls).toContain(`${STREAMS}/${path}`);

    const events = (await collect(client.readStream(stream, { fromRevision: START, direction: FORWARDS }))).map(recorded);
    expect(server.calls).toContain(`${STREAMS}/Read`);
    expect(events.map((event) => [event.revision, event.id, event.type, event.streamId])).toEqual([
      [0n, first.id, 'ScoreRecorded', stream],
      [1n, second.id, 'ScoreRevised', stream],
    ]);
    expect(events.map((event) => event.data)).toEqual([{ points: 18 }, { points: 17 }]);
    expect(events.map((event) => event.metadata)).toEqual([{ hash: 'h1', actor: 'a' }, { hash: 'h2' }]);
    expect(events.every((event) => event.isJson)).toBe(true);
    // Positions grow; the append result carries the position of the batch's last event.
    const [p0, p1] = events.map((event) => event.position!);
    expect(p0!.commit).toBe(p0!.prepare);
    expect(p1!.commit).toBeGreaterThan(p0!.commit);
    expect(result.position).toEqual(p1);
    // `created` travels as 100 ns ticks since the Unix epoch (the `created` metadata entry). The Rust
    // bridge behind readStream/readAll hands it back truncated to whole seconds.
    expect(server.streamEvents(stream)[0]!.createdTicks).toBe(BigInt(CLOCK_MS) * 10_000n);
    expect(events[0]!.created.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('rejects a stale expected revision with WrongExpectedVersionError carrying the actual revision', async () => {
    const stream = uniqueStream('conflict');
    await client.appendToStream(stream, [jsonEvent({ type: 'A', data: {} }), jsonEvent({ type: 'B', data: {} })], {
      streamState: NO_STREAM,
    });

    const stale = await rejection(client.appendToStream(stream, jsonEvent({ type: 'C', data: {} }), { streamState: 0n }));
    expect(stale).toBeInstanceOf(WrongExpectedVersionError);
    expect((stale as WrongExpectedVersionError).actualState).toBe(1n);
    expect((stale as WrongExpectedVersionError).expectedState).toBe(0n);
    expect((stale as WrongExpectedVersionError).streamName).toBe(stream);

    const exists = await rejection(client.appendToStream(stream, jsonEvent({ type: 'C', data: {} }), { streamState: NO_STREAM }));
    expect(exists).toBeInstanceOf(WrongExpectedVersionError);
    expect((exists as WrongExpectedVersionError).actualState).toBe(1n);
    expect((exists as WrongExpectedVersionError).expectedState).toBe(NO_STREAM);

    const missing = await rejection(
      client.appendToStream(uniqueStream('missing'), jsonEvent({ type: 'C', data: {} }), { streamState: STREAM_EXISTS }),
    );
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect((missing as WrongExpectedVersionError).actualState).toBe(NO_STREAM);

    const ahead = await rejection(client.appendToStream(stream, jsonEvent({ type: 'C', data: {} }), { streamState: 5n }));
    expect((ahead as WrongExpectedVersionError).actualState).toBe(1n);

    const next = await client.appendToStream(stream, jsonEvent({ type: 'C', data: {} }), { streamState: 1n });
    expect(next.nextExpectedRevision).toBe(2n);
    expect(server.streamEvents(stream).map((event) => event.type)).toEqual(['A', 'B', 'C']);
  });

  it('treats a retried append of the same event ids as a no-op returning the original result', async () => {
    const stream = uniqueStream('idempotent');
    const batch = [jsonEvent({ id: randomUUID(), type: 'A', data: { n: 1 } }), jsonEvent({ id: randomUUID(), type: 'B', data: { n: 2 } })];
    const original = await client.appendToStream(stream, batch, { streamState: NO_STREAM });

    const retried = await client.appendToStream(stream, batch, { streamState: NO_STREAM });
    expect(retried).toEqual(original);

    const retriedAny = await client.appendToStream(stream, batch, { streamState: ANY });
    expect(retriedAny).toEqual(original);

    const later = jsonEvent({ id: randomUUID(), type: 'C', data: { n: 3 } });
    const third = await client.appendToStream(stream, later, { streamState: 1n });
    expect(await client.appendToStream(stream, later, { streamState: 1n })).toEqual(third);
    expect(server.streamEvents(stream)).toHaveLength(3);

    // Only part of the ids match: not idempotent, a conflict.
    const partial = await rejection(
      client.appendToStream(stream, [batch[0]!, jsonEvent({ type: 'X', data: {} })], { streamState: NO_STREAM }),
    );
    expect(partial).toBeInstanceOf(WrongExpectedVersionError);
    expect((partial as WrongExpectedVersionError).actualState).toBe(2n);
    expect(server.streamEvents(stream)).toHaveLength(3);
  });
});

describe('KurrentDB test server, reads and subscriptions', () => {
  let server: KurrentDbTestServer;
  let client: KurrentDBClient;
  const prefix = `Appraisal${randomUUID().slice(0, 6)}.`;
  const streamA = uniqueStream('appraisal-a');
  const streamB = uniqueStream('cycle-b');
  let positions: Position[] = [];

  beforeAll(async () => {
    server = await startKurrentDbTestServer({ now: () => CLOCK_MS });
    client = KurrentDBClient.connectionString(server.connectionString);
    await client.appendToStream(streamA, jsonEvent({ type: `${prefix}Opened`, data: { i: 0 } }), { streamState: NO_STREAM });
    await client.appendToStream(streamB, jsonEvent({ type: 'Other.Started', data: { i: 1 } }), { streamState: NO_STREAM });
    await client.appendToStream(streamA, jsonEvent({ type: `${prefix}Scored`, data: { i: 2 } }), { streamState: 0n });
    await client.appendToStream(streamB, jsonEvent({ type: `${prefix}Linked`, data: { i: 3 } }), { streamState: 0n });
    await client.appendToStream(streamA, jsonEvent({ type: `${prefix}Closed`, data: { i: 4 } }), { streamState: 1n });
    positions = server.allEvents().map((event) => event.position);
  });

  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('reads $all forwards and backwards in global order with positions', async () => {
    const forwards = (await collect(client.readAll({ fromPosition: START, direction: FORWARDS }))).map(recorded);
    expect(forwards.map((event) => event.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    expect(forwards.map((event) => event.position)).toEqual(positions);

    const backwards = (await collect(client.readAll({ fromPosition: END, direction: BACKWARDS }))).map(recorded);
    expect(backwards.map((event) => event.data)).toEqual([{ i: 4 }, { i: 3 }, { i: 2 }, { i: 1 }, { i: 0 }]);
  });

  it('filters $all on an event-type prefix forwards and backwards', async () => {
    const filter = eventTypeFilter({ prefixes: [prefix] });
    const forwards = (await collect(client.readAll({ fromPosition: START, direction: FORWARDS, filter }))).map(recorded);
    expect(forwards.map((event) => event.type)).toEqual([`${prefix}Opened`, `${prefix}Scored`, `${prefix}Linked`, `${prefix}Closed`]);

    const backwards = (await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, filter, maxCount: 2 }))).map(recorded);
    expect(backwards.map((event) => event.type)).toEqual([`${prefix}Closed`, `${prefix}Linked`]);
  });

  it('filters $all on an event-type regex and on stream-name prefixes', async () => {
    const byRegex = (
      await collect(client.readAll({ fromPosition: START, filter: eventTypeFilter({ regex: '(Scored|Started)$' }) }))
    ).map(recorded);
    expect(byRegex.map((event) => event.data)).toEqual([{ i: 1 }, { i: 2 }]);

    const byStream = (await collect(client.readAll({ fromPosition: START, filter: streamNameFilter({ prefixes: ['cycle-'] }) }))).map(
      recorded,
    );
    expect(byStream.map((event) => event.streamId)).toEqual([streamB, streamB]);
  });

  it('reads $all from a given position (inclusive forwards, exclusive backwards) with maxCount', async () => {
    const from = positions[2]!;
    const forwards = (await collect(client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: 2 }))).map(recorded);
    expect(forwards.map((event) => event.data)).toEqual([{ i: 2 }, { i: 3 }]);

    const filtered = (
      await collect(client.readAll({ fromPosition: from, filter: eventTypeFilter({ prefixes: [prefix] }), maxCount: 10 }))
    ).map(recorded);
    expect(filtered.map((event) => event.data)).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);

    const backwards = (await collect(client.readAll({ fromPosition: from, direction: BACKWARDS }))).map(recorded);
    expect(backwards.map((event) => event.data)).toEqual([{ i: 1 }, { i: 0 }]);
  });

  it('reads a stream forwards/backwards from a revision with maxCount', async () => {
    const forwards = (await collect(client.readStream(streamA, { fromRevision: 1n, maxCount: 1 }))).map(recorded);
    expect(forwards.map((event) => event.revision)).toEqual([1n]);

    const backwards = (await collect(client.readStream(streamA, { fromRevision: END, direction: BACKWARDS, maxCount: 2 }))).map(
      recorded,
    );
    expect(backwards.map((event) => event.revision)).toEqual([2n, 1n]);

    const fromRevision = (await collect(client.readStream(streamA, { fromRevision: 1n, direction: BACKWARDS }))).map(recorded);
    expect(fromRevision.map((event) => event.revision)).toEqual([1n, 0n]);
  });

  it('reports a missing stream as StreamNotFoundError', async () => {
    const missing = uniqueStream('nowhere');
    const error = await rejection(collect(client.readStream(missing)));
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).streamName).toBe(missing);
  });

  it('subscribes to $all from a position with a filter: catch-up, checkpoints, then live events', async () => {
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: positions[1]!,
      filter: eventTypeFilter({
        prefixes: [prefix],
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position);
        },
      }),
    });
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const received: unknown[] = [];
    const created: string[] = [];
    const live = new Promise<void>((resolve, reject) => {
      subscription.on('data', (event: AllStreamResolvedEvent) => {
        received.push(recorded(event).data);
        created.push(recorded(event).created.toISOString());
        if (received.length === 4) resolve();
      });
      subscription.on('error', reject);
    });

    await caughtUp;
    expect(server.calls.filter((call) => call === `${STREAMS}/Read`).length).toBeGreaterThan(0);
    // Strictly after the start position; only the matching event types.
    expect(received).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(checkpoints.at(-1)).toEqual(positions[4]);
    // Subscriptions go through grpc-js, whose conversion keeps the milliseconds of `created`.
    expect(created[0]).toBe('2023-11-14T22:13:20.123Z');

    await client.appendToStream(streamB, jsonEvent({ type: 'Other.Ignored', data: { i: 5 } }), { streamState: ANY });
    await client.appendToStream(streamB, jsonEvent({ type: `${prefix}Live`, data: { i: 6 } }), { streamState: ANY });
    await live;
    expect(received).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }, { i: 6 }]);
    await subscription.unsubscribe();
  });

  it('injects a transport failure into the next call of an RPC, after which the client recovers', async () => {
    const stream = uniqueStream('flaky');
    server.failNext('BatchAppend', { code: 14, details: 'injected outage' });
    const failure = await rejection(client.appendToStream(stream, jsonEvent({ type: 'A', data: {} }), { streamState: NO_STREAM }));
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(server.streamEvents(stream)).toHaveLength(0);

    const retried = await client.appendToStream(stream, jsonEvent({ type: 'A', data: {} }), { streamState: NO_STREAM });
    expect(retried.nextExpectedRevision).toBe(0n);
  });

  it('lets integrity tests tamper with, delete and swap stored events', async () => {
    const stream = uniqueStream('tamper');
    await client.appendToStream(
      stream,
      [0, 1, 2, 3].map((n) => jsonEvent({ type: 'Fact', data: { n }, metadata: { hash: `h${n}` } })),
      { streamState: NO_STREAM },
    );

    server.tamperEvent(stream, 1, (event) => {
      event.data = Buffer.from(JSON.stringify({ n: 100 }));
      event.metadata = Buffer.from(JSON.stringify({ hash: 'forged' }));
    });
    server.swapEvents(stream, 2, 3);
    server.deleteEvent(stream, 0);

    const events = (await collect(client.readStream(stream))).map(recorded);
    expect(events.map((event) => [event.revision, event.data, event.metadata])).toEqual([
      [1n, { n: 100 }, { hash: 'forged' }],
      [2n, { n: 3 }, { hash: 'h3' }],
      [3n, { n: 2 }, { hash: 'h2' }],
    ]);
    const inAll = (await collect(client.readAll({ filter: streamNameFilter({ prefixes: [stream] }) }))).map(recorded);
    expect(inAll.map((event) => event.data)).toEqual([{ n: 100 }, { n: 3 }, { n: 2 }]);
    // The stream's revision counter is not rewound by the deletion.
    expect((await client.appendToStream(stream, jsonEvent({ type: 'Fact', data: { n: 4 } }), { streamState: 3n })).nextExpectedRevision).toBe(
      4n,
    );
  });
});
