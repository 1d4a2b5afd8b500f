import * as grpc from '@grpc/grpc-js';
import { KurrentDbEventStore, EventStoreConfigurationError } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import { CONTRACT_CLOCK, describeEventStoreContract } from '../support/event-store-contract.js';
import { newEvent } from '../support/events.js';
import { startKurrentDbTestServer } from '../support/kurrentdb-test-server.js';

/**
 * The KurrentDB adapter against the same contract as the PostgreSQL store: always against the
 * protocol-level test server (the real client over gRPC), and against a real KurrentDB when
 * EVENTSTORE_URL names one.
 */
describeEventStoreContract('KurrentDB (protocol-level test server)', async () => {
  const server = await startKurrentDbTestServer();
  const store = new KurrentDbEventStore(server.connectionString, { clock: CONTRACT_CLOCK, pollIntervalMs: 50 });
  return {
    store,
    async close() {
      await store.close();
      await server.close();
    },
  };
});

const realServer = process.env.EVENTSTORE_URL;
if (realServer) {
  describeEventStoreContract(`KurrentDB at ${realServer}`, async () => {
    // A real server keeps what earlier runs wrote: the contract's streams get a fresh prefix.
    const store = new KurrentDbEventStore(realServer, { clock: CONTRACT_CLOCK });
    return { store, close: () => store.close() };
  });
}

describe('KurrentDB adapter: beyond the contract', () => {
  it('names EVENTSTORE_URL, what is wrong and an example when the connection string is not one', () => {
    expect(() => new KurrentDbEventStore('http://127.0.0.1:2113')).toThrow(EventStoreConfigurationError);
    expect(() => new KurrentDbEventStore('postgresql://admin:secret@db/x')).toThrow(
      'EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://127.0.0.1:2113?tls=false (schemes kurrentdb, kurrentdb+discover, esdb), got "postgresql://admin:***@db/x"',
    );
    expect(() => new KurrentDbEventStore('kurrentdb://127.0.0.1:2113?tls=maybe')).toThrow(/EVENTSTORE_URL .* is not a valid KurrentDB connection string/);
  });

  it('retries a transient failure with backoff and then succeeds', async () => {
    const server = await startKurrentDbTestServer();
    const store = new KurrentDbEventStore(server.connectionString, { retryDelayMs: 10 });
    try {
      await store.appendToStream('person-retry', 'no_stream', [newEvent()]);
      server.failNext('Read', { code: grpc.status.UNAVAILABLE, details: 'leader changing' });
      const events = await store.readStream('person-retry');
      expect(events).toHaveLength(1);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it('keeps our metadata, schema version, recorded time and hash in the event metadata on the server', async () => {
    const server = await startKurrentDbTestServer();
    const store = new KurrentDbEventStore(server.connectionString, { clock: CONTRACT_CLOCK });
    try {
      const event = newEvent();
      const [recorded] = (await store.appendToStream('person-meta', 'no_stream', [event])).events;
      const [stored] = server.streamEvents('person-meta');
      expect(stored.id).toBe(event.eventId);
      expect(JSON.parse(stored.metadata.toString('utf8'))).toEqual({
        ...event.metadata,
        schemaVersion: 1,
        recordedAt: '2025-04-08T02:00:00.123Z',
        hash: recorded.hash,
      });
    } finally {
      await store.close();
      await server.close();
    }
  });
});
