/**
 * A protocol-level, in-memory KurrentDB test server.
 *
 * It is built from the gRPC service definitions that ship inside `@kurrent/kurrentdb-client`
 * (`generated/kurrentdb/protocols/v1/*_grpc_pb.js` / `*_pb.js`) and served with `@grpc/grpc-js` on
 * 127.0.0.1 (random free port, plaintext), so the REAL client — including the native Rust addon
 * `@kurrent/bridge` that opens its own gRPC/HTTP2 connection for `readStream`/`readAll` — talks to it
 * exactly as it talks to a KurrentDB node:
 *
 *     const server = await startKurrentDbTestServer();
 *     const client = KurrentDBClient.connectionString(server.connectionString);
 *     ...
 *     await client.dispose();
 *     await server.close();
 *
 * RPCs used by client 1.3.1 / bridge 0.2.2 (found by logging every incoming call):
 *   - every client (grpc-js side and Rust bridge side) first calls
 *     `event_store.client.server_features.ServerFeatures/GetSupportedMethods`;
 *   - `appendToStream`  → `Streams/BatchAppend` (bidi stream, one call kept open and shared by all appends)
 *                         when the server advertises it and no per-call credentials are given,
 *                         otherwise `Streams/Append` (client stream: options, then one message per event);
 *   - `readStream`      → `Streams/Read` (stream options, count, `control_option.compatibility = 1`) via the bridge;
 *   - `readAll`         → `Streams/Read` (all options, count, optional filter) via the bridge;
 *   - `subscribeToAll` / `subscribeToStream` → `Streams/Read` with `subscription` options via grpc-js.
 *   Gossip is not called for a single-node connection string (no `dnsDiscover`, one host).
 *
 * What this double PROVES when an adapter's tests pass against it:
 *   - the adapter speaks the real client's wire protocol (protobuf messages, oneofs, uint64-as-string,
 *     UUIDs, metadata map keys `type` / `content-type` / `created`);
 *   - append semantics: expected stream state `any` / `no_stream` / `stream_exists` / exact revision,
 *     the `WrongExpectedVersion` answers (Append: `AppendResp.wrong_expected_version`; BatchAppend:
 *     `google.rpc.Status` code ALREADY_EXISTS with an `event_store.client.WrongExpectedVersion` detail)
 *     that the client turns into `WrongExpectedVersionError` with the actual revision;
 *   - idempotent appends by event id (a retried append of already-written ids is a no-op success that
 *     returns the original revision/position), mirroring the server's commit check;
 *   - round trip of event id, type, JSON data, custom metadata bytes, 0-based stream revision,
 *     created time (100 ns ticks since the Unix epoch), global commit/prepare positions;
 *   - ordered `$all` reads forwards/backwards from start/end/a position with `maxCount`, server-side
 *     filters on event type or stream name (prefixes or regex), `StreamNotFound` for missing streams;
 *   - catch-up + live `$all` / stream subscriptions with confirmation, checkpoints (filtered `$all`)
 *     and caught-up notifications;
 *   - integrity checks: the test hooks (`tamperEvent`, `deleteEvent`, `swapEvents`) corrupt what the
 *     store returns without going through the client, the way a compromised or buggy store would.
 *
 * What it CANNOT prove:
 *   - clustering, gossip, leader election, `NotLeader` redirects, node preference, reconnection logic;
 *   - durability, fsync, crash recovery, chunk files, caching, scavenging, truncation, `$maxAge`/`$maxCount`;
 *   - performance, back-pressure, message size limits (`maxAppendSize` is not enforced), deadlines beyond
 *     what grpc-js itself enforces;
 *   - security: TLS, users, ACLs, `AccessDenied` (credentials are ignored — the client drops them on
 *     insecure connections anyway);
 *   - system streams and events (`$`-prefixed: `$all` here contains only what tests appended), stream
 *     metadata (`$$stream`), soft delete / tombstone, link events and `resolveLinkTos`, server-side
 *     projections, persistent subscriptions, the v2 multi-stream append API;
 *   - the exact byte layout of positions (a real node uses transaction-file offsets; here commit =
 *     prepare = a growing synthetic byte offset per event, the append result carries the position of the
 *     batch's last event), `FirstStreamPosition` after truncation, fell-behind notifications, and the
 *     exact error texts of every server version.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import type * as StreamsPbModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import type * as StreamsGrpcModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import type * as SharedPbModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import type * as StatusPbModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js';
import type * as ServerFeaturesPbModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js';
import type * as ServerFeaturesGrpcModule from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import type * as AnyPbModule from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPbModule from 'google-protobuf/google/protobuf/empty_pb.js';
import type * as TimestampPbModule from 'google-protobuf/google/protobuf/timestamp_pb.js';

// The generated code is CommonJS whose exports cjs-module-lexer cannot see (`goog.object.extend`), so it
// is loaded with `require`. google-protobuf is resolved from the client package so that the well-known
// types (Empty, Any, Timestamp) are the very instances the generated messages were built with.
const requireHere = createRequire(import.meta.url);
const requireFromClient = createRequire(requireHere.resolve('@kurrent/kurrentdb-client/package.json'));
const PROTOCOLS = '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/';
const streamsPb = requireFromClient(`${PROTOCOLS}streams_pb.js`) as typeof StreamsPbModule;
const streamsGrpc = requireFromClient(`${PROTOCOLS}streams_grpc_pb.js`) as typeof StreamsGrpcModule;
const sharedPb = requireFromClient(`${PROTOCOLS}shared_pb.js`) as typeof SharedPbModule;
const statusPb = requireFromClient(`${PROTOCOLS}status_pb.js`) as typeof StatusPbModule;
const featuresPb = requireFromClient(`${PROTOCOLS}serverfeatures_pb.js`) as typeof ServerFeaturesPbModule;
const featuresGrpc = requireFromClient(`${PROTOCOLS}serverfeatures_grpc_pb.js`) as typeof ServerFeaturesGrpcModule;
const anyPb = requireFromClient('google-protobuf/google/protobuf/any_pb.js') as typeof AnyPbModule;
const emptyPb = requireFromClient('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPbModule;
const timestampPb = requireFromClient('google-protobuf/google/protobuf/timestamp_pb.js') as typeof TimestampPbModule;

const { ReadReq, ReadResp, AppendResp, BatchAppendResp } = streamsPb;
type ReadReqOptions = StreamsPbModule.ReadReq.Options;
type FilterOptions = StreamsPbModule.ReadReq.Options.FilterOptions;

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

/** A global `$all` position, as the client exposes it. */
export interface TestServerPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** A snapshot of one stored event (copies: mutating it changes nothing; use the tamper hooks). */
export interface StoredEventSnapshot {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Buffer;
  readonly metadata: Buffer;
  /** Creation time in 100 ns ticks since the Unix epoch — the value sent in the `created` metadata key. */
  readonly createdTicks: bigint;
  readonly created: Date;
  readonly position: TestServerPosition;
}

/** The fields `tamperEvent` lets a test rewrite in place (revision and position stay where they are). */
export interface TamperableEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: Buffer;
  metadata: Buffer;
  createdTicks: bigint;
}

/** RPC names for `failNext`. */
export type KurrentDbRpc = 'Read' | 'Append' | 'BatchAppend' | 'GetSupportedMethods';

export interface KurrentDbTestServerOptions {
  /**
   * Advertise `Streams.BatchAppend` in `ServerFeatures` (default true, as every server since 21.10
   * does). With false the client falls back to `Streams.Append`, so both append paths can be tested.
   */
  readonly batchAppend?: boolean;
  /** Version string reported by `GetSupportedMethods` (default `25.1.0`). */
  readonly serverVersion?: string;
  /** Clock for the `created` stamp of appended events (default `Date.now`). */
  readonly now?: () => number;
  /** Log sink for every incoming RPC (e.g. `console.log`); calls are always recorded in `calls`. */
  readonly log?: (line: string) => void;
}

export interface KurrentDbTestServer {
  /** `kurrentdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  /** Full gRPC paths of every call received so far, in arrival order (e.g. `/event_store.client.streams.Streams/Read`). */
  readonly calls: readonly string[];
  /** Stops the server: ends open subscriptions, then shuts the gRPC server down. */
  close(): Promise<void>;

  // -- test hooks -----------------------------------------------------------------------------------
  /** Every stored event in `$all` order. */
  allEvents(): StoredEventSnapshot[];
  /** The stored events of one stream in revision order (empty if the stream does not exist). */
  streamEvents(streamId: string): StoredEventSnapshot[];
  /** Rewrites one stored event in place (data, metadata, type, id, …); revision and position are kept. */
  tamperEvent(streamId: string, revision: bigint | number, mutate: (event: TamperableEvent) => void): void;
  /** Removes one stored event from its stream and from `$all` (leaves a gap; the stream's revision counter is kept). */
  deleteEvent(streamId: string, revision: bigint | number): void;
  /** Exchanges the contents of two events of a stream; revisions and positions stay in place, so the order changes. */
  swapEvents(streamId: string, revisionA: bigint | number, revisionB: bigint | number): void;
  /**
   * Makes the next call of the given RPC fail with this gRPC status (optionally with trailing metadata).
   * BatchAppend is one long-lived call shared by all appends of a client, so for it the failure also
   * ends an already open call at its next request.
   */
  failNext(rpc: KurrentDbRpc, error: { code: grpc.status; details?: string; metadata?: Record<string, string> }): void;
  /** Drops every stream and event (positions keep growing, as they would in a real log). */
  reset(): void;
}

// ---------------------------------------------------------------------------------------------------
// In-memory log
// ---------------------------------------------------------------------------------------------------

interface StoredRecord {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
  createdTicks: bigint;
  commit: bigint;
  prepare: bigint;
}

interface StreamState {
  /** Revision of the last event ever appended (deleted events do not lower it). */
  lastRevision: bigint;
  byRevision: Map<bigint, StoredRecord>;
}

interface ProposedEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

type ExpectedState =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

type WriteOutcome =
  | { kind: 'success'; currentRevision: bigint | null; position: TestServerPosition | null }
  | { kind: 'wrong_expected_version'; currentRevision: bigint | null };

const TICKS_PER_MILLISECOND = 10_000n;
/** First position handed out: a real log never has user events at 0 (system records come first). */
const FIRST_POSITION = 1_024n;
/** Default `maxSearchWindow` of a filtered read/subscription (the server's read batch size). */
const DEFAULT_SEARCH_WINDOW = 32;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function comparePositions(a: TestServerPosition, b: TestServerPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function positionOf(record: StoredRecord): TestServerPosition {
  return { commit: record.commit, prepare: record.prepare };
}

class InMemoryLog {
  records: StoredRecord[] = [];
  streams = new Map<string, StreamState>();
  private nextOffset = FIRST_POSITION;
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();

  constructor(private readonly now: () => number) {}

  currentRevision(streamId: string): bigint | null {
    const stream = this.streams.get(streamId);
    return stream ? stream.lastRevision : null;
  }

  /**
   * The server's commit check: expected state, then idempotency by event id. A batch whose ids are
   * exactly the events that follow the expected revision (or, for `any`/`stream_exists`, the events
   * starting where the batch's first id was written) is a no-op success reporting the original
   * revision and position; a partial match is a wrong expected version ("corrupted idempotency").
   * A real node remembers ids for `any` only in a bounded cache of recent writes; here every id of the
   * stream counts, so the double is more forgiving for very old retries.
   */
  write(streamId: string, expected: ExpectedState, events: ProposedEvent[]): WriteOutcome {
    const current = this.currentRevision(streamId);
    const stream = this.streams.get(streamId);

    if (expected.kind === 'stream_exists' && current === null) {
      return { kind: 'wrong_expected_version', currentRevision: null };
    }

    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const first = events[0];
      const found = first && stream ? findById(stream, first.id) : undefined;
      if (found && stream) {
        return this.idempotentOrConflict(stream, found.revision - 1n, events, current);
      }
      return this.commit(streamId, events);
    }

    const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
    const currentOrMinusOne = current ?? -1n;
    if (currentOrMinusOne === expectedRevision) return this.commit(streamId, events);
    if (stream && currentOrMinusOne > expectedRevision && events.length > 0) {
      return this.idempotentOrConflict(stream, expectedRevision, events, current);
    }
    return { kind: 'wrong_expected_version', currentRevision: current };
  }

  private idempotentOrConflict(
    stream: StreamState,
    after: bigint,
    events: ProposedEvent[],
    current: bigint | null,
  ): WriteOutcome {
    let last: StoredRecord | undefined;
    for (let i = 0; i < events.length; i += 1) {
      const record = stream.byRevision.get(after + 1n + BigInt(i));
      if (!record || record.id !== events[i]!.id) {
        return { kind: 'wrong_expected_version', currentRevision: current };
      }
      last = record;
    }
    if (!last) return { kind: 'wrong_expected_version', currentRevision: current };
    return { kind: 'success', currentRevision: last.revision, position: positionOf(last) };
  }

  private commit(streamId: string, events: ProposedEvent[]): WriteOutcome {
    let stream = this.streams.get(streamId);
    if (events.length === 0) {
      return { kind: 'success', currentRevision: stream ? stream.lastRevision : null, position: null };
    }
    if (!stream) {
      stream = { lastRevision: -1n, byRevision: new Map() };
      this.streams.set(streamId, stream);
    }
    const createdTicks = BigInt(Math.trunc(this.now())) * TICKS_PER_MILLISECOND;
    const written: StoredRecord[] = [];
    for (const event of events) {
      const offset = this.nextOffset;
      stream.lastRevision += 1n;
      const record: StoredRecord = {
        streamId,
        revision: stream.lastRevision,
        id: event.id,
        type: event.type,
        isJson: event.isJson,
        data: Uint8Array.from(event.data),
        metadata: Uint8Array.from(event.metadata),
        createdTicks,
        commit: offset,
        prepare: offset,
      };
      // A synthetic record size, so that positions look like growing byte offsets.
      this.nextOffset += BigInt(
        128 + Buffer.byteLength(streamId) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length,
      );
      stream.byRevision.set(record.revision, record);
      this.records.push(record);
      written.push(record);
    }
    for (const listener of [...this.listeners]) listener(written);
    const last = written[written.length - 1]!;
    return { kind: 'success', currentRevision: last.revision, position: positionOf(last) };
  }

  onAppend(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.records = [];
    this.streams = new Map();
  }
}

function findById(stream: StreamState, id: string): StoredRecord | undefined {
  for (const record of stream.byRevision.values()) if (record.id === id) return record;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Protobuf helpers
// ---------------------------------------------------------------------------------------------------

const U64 = (1n << 64n) - 1n;

function uuidToString(uuid: SharedPbModule.UUID | undefined): string {
  if (!uuid) throw new Error('missing UUID');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const most = (BigInt(structured.getMostSignificantBits()) & U64).toString(16).padStart(16, '0');
    const least = (BigInt(structured.getLeastSignificantBits()) & U64).toString(16).padStart(16, '0');
    return `${most.slice(0, 8)}-${most.slice(8, 12)}-${most.slice(12)}-${least.slice(0, 4)}-${least.slice(4)}`;
  }
  return uuid.getString().toLowerCase();
}

function uuidMessage(id: string, structured: boolean): SharedPbModule.UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const value = new sharedPb.UUID.Structured();
  value.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
  value.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return uuid.setStructured(value);
}

function streamIdentifier(streamId: string): SharedPbModule.StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));
}

function streamName(identifier: SharedPbModule.StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('missing stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function rpcError(code: grpc.status, details: string, trailers: Record<string, string> = {}): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return { code, details, metadata };
}

class RpcFailure extends Error {
  constructor(readonly status: Partial<grpc.StatusObject>) {
    super(status.details);
  }
}

/** Reads one proposed message (Append and BatchAppend share the shape). */
function proposedEvent(message: StreamsPbModule.AppendReq.ProposedMessage | StreamsPbModule.BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) {
    throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Required Metadata Property \'type\' is missing', {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type',
    }));
  }
  const contentType = metadata.get('content-type');
  if (contentType === undefined) {
    throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Required Metadata Property \'content-type\' is missing', {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'content-type',
    }));
  }
  return {
    id: uuidToString(message.getId()),
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function recordedEvent(record: StoredRecord, structuredIds: boolean): StreamsPbModule.ReadResp.ReadEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(record.id, structuredIds));
  recorded.setStreamIdentifier(streamIdentifier(record.streamId));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setCommitPosition(record.commit.toString());
  recorded.setPreparePosition(record.prepare.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('created', record.createdTicks.toString());
  metadata.set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.metadata);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.commit.toString());
  return event;
}

function eventResponse(record: StoredRecord, structuredIds: boolean): StreamsPbModule.ReadResp {
  return new ReadResp().setEvent(recordedEvent(record, structuredIds));
}

function checkpointResponse(position: TestServerPosition): StreamsPbModule.ReadResp {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.commit.toString());
  checkpoint.setPreparePosition(position.prepare.toString());
  checkpoint.setTimestamp(timestampPb.Timestamp.fromDate(new Date()));
  return new ReadResp().setCheckpoint(checkpoint);
}

function caughtUpResponse(at: { position?: TestServerPosition; revision?: bigint }): StreamsPbModule.ReadResp {
  const caughtUp = new ReadResp.CaughtUp();
  caughtUp.setTimestamp(timestampPb.Timestamp.fromDate(new Date()));
  if (at.revision !== undefined) caughtUp.setStreamRevision(at.revision.toString());
  if (at.position) {
    const position = new ReadResp.Position();
    position.setCommitPosition(at.position.commit.toString());
    position.setPreparePosition(at.position.prepare.toString());
    caughtUp.setPosition(position);
  }
  return new ReadResp().setCaughtUp(caughtUp);
}

/** The server's `IEventFilter` for `$all`: a non-empty regex wins, otherwise any prefix must match. */
function eventFilter(filter: FilterOptions | undefined): ((record: StoredRecord) => boolean) | null {
  if (!filter) return null;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid filter'));
  const subject = (record: StoredRecord): string => (onStream ? record.streamId : record.type);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (record) => pattern.test(subject(record));
  }
  const prefixes = expression.getPrefixList();
  return (record) => prefixes.some((prefix) => subject(record).startsWith(prefix));
}

function allStartPosition(options: ReadReqOptions): TestServerPosition | 'start' | 'end' {
  const all = options.getAll()!;
  if (all.hasPosition()) {
    const position = all.getPosition()!;
    return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
  }
  return all.hasEnd() ? 'end' : 'start';
}

// ---------------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------------

const STREAMS_SERVICE = 'event_store.client.streams.streams';
const FEATURES_SERVICE = 'event_store.client.server_features.serverfeatures';

export async function startKurrentDbTestServer(options: KurrentDbTestServerOptions = {}): Promise<KurrentDbTestServer> {
  const advertiseBatchAppend = options.batchAppend ?? true;
  const serverVersion = options.serverVersion ?? '25.1.0';
  const log = new InMemoryLog(options.now ?? Date.now);
  const calls: string[] = [];
  const pendingFailures = new Map<KurrentDbRpc, Partial<grpc.StatusObject>>();
  const openCalls = new Set<{ end(): void }>();

  /** Records the call; returns an injected failure if one is pending for this RPC. */
  const enter = (rpc: KurrentDbRpc, path: string, metadata: grpc.Metadata): Partial<grpc.StatusObject> | undefined => {
    calls.push(path);
    options.log?.(`[kurrentdb-test-server] ${path} ${JSON.stringify(metadata.getMap())}`);
    const failure = pendingFailures.get(rpc);
    if (failure) pendingFailures.delete(rpc);
    return failure;
  };

  // -- ServerFeatures.GetSupportedMethods ----------------------------------------------------------
  const getSupportedMethods: grpc.handleUnaryCall<SharedPbModule.Empty, ServerFeaturesPbModule.SupportedMethods> = (
    call,
    callback,
  ) => {
    const failure = enter('GetSupportedMethods', '/event_store.client.server_features.ServerFeatures/GetSupportedMethods', call.metadata);
    if (failure) return callback(failure as grpc.ServiceError);
    const method = (service: string, name: string, features: string[] = []) =>
      new featuresPb.SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
    const methods = [
      method(FEATURES_SERVICE, 'getsupportedmethods'),
      method(STREAMS_SERVICE, 'read', ['position', 'events']),
      method(STREAMS_SERVICE, 'append'),
      ...(advertiseBatchAppend ? [method(STREAMS_SERVICE, 'batchappend', ['deadline_duration'])] : []),
    ];
    callback(null, new featuresPb.SupportedMethods().setEventStoreServerVersion(serverVersion).setMethodsList(methods));
  };

  // -- Streams.Append (client stream: options first, then one proposed message per event) -----------
  const append: grpc.handleClientStreamingCall<StreamsPbModule.AppendReq, StreamsPbModule.AppendResp> = (call, callback) => {
    const injected = enter('Append', '/event_store.client.streams.Streams/Append', call.metadata);
    let header: StreamsPbModule.AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let settled = false;
    const settle = (error: Partial<grpc.StatusObject> | null, response?: StreamsPbModule.AppendResp) => {
      if (settled) return;
      settled = true;
      if (error) callback(error as grpc.ServiceError);
      else callback(null, response);
    };
    if (injected) return settle(injected);
    call.on('data', (request: StreamsPbModule.AppendReq) => {
      try {
        if (!header) {
          if (!request.hasOptions()) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'First message must be the options'));
          header = request.getOptions()!;
        } else if (request.hasProposedMessage()) {
          events.push(proposedEvent(request.getProposedMessage()!));
        } else {
          throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Expected a proposed message'));
        }
      } catch (error) {
        settle(error instanceof RpcFailure ? error.status : rpcError(grpc.status.INTERNAL, String(error)));
      }
    });
    call.on('error', () => settle(rpcError(grpc.status.CANCELLED, 'cancelled')));
    call.on('end', () => {
      if (settled) return;
      if (!header) return settle(rpcError(grpc.status.INVALID_ARGUMENT, 'No options received'));
      const streamId = streamName(header.getStreamIdentifier());
      const expected: ExpectedState = header.hasRevision()
        ? { kind: 'revision', revision: BigInt(header.getRevision()) }
        : header.hasNoStream()
          ? { kind: 'no_stream' }
          : header.hasStreamExists()
            ? { kind: 'stream_exists' }
            : { kind: 'any' };
      const outcome = log.write(streamId, expected, events);
      const response = new AppendResp();
      if (outcome.kind === 'success') {
        const success = new AppendResp.Success();
        if (outcome.currentRevision === null) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        if (outcome.position === null) success.setNoPosition(new sharedPb.Empty());
        else {
          success.setPosition(
            new AppendResp.Position()
              .setCommitPosition(outcome.position.commit.toString())
              .setPreparePosition(outcome.position.prepare.toString()),
          );
        }
        response.setSuccess(success);
      } else {
        // Both the current fields and the deprecated `*_20_6_0` ones, as the server fills them.
        const wrong = new AppendResp.WrongExpectedVersion();
        switch (expected.kind) {
          case 'any':
            wrong.setExpectedAny(new sharedPb.Empty()).setAny2060(new sharedPb.Empty());
            break;
          case 'stream_exists':
            wrong.setExpectedStreamExists(new sharedPb.Empty()).setStreamExists2060(new sharedPb.Empty());
            break;
          case 'no_stream':
            wrong.setExpectedNoStream(new sharedPb.Empty());
            break;
          case 'revision':
            wrong.setExpectedRevision(expected.revision.toString()).setExpectedRevision2060(Number(expected.revision));
            break;
        }
        if (outcome.currentRevision === null) wrong.setCurrentNoStream(new sharedPb.Empty()).setNoStream2060(new sharedPb.Empty());
        else {
          wrong.setCurrentRevision(outcome.currentRevision.toString()).setCurrentRevision2060(Number(outcome.currentRevision));
        }
        response.setWrongExpectedVersion(wrong);
      }
      settle(null, response);
    });
  };

  // -- Streams.BatchAppend (bidi stream, correlated requests, one response per final request) -------
  const batchAppend: grpc.handleBidiStreamingCall<StreamsPbModule.BatchAppendReq, StreamsPbModule.BatchAppendResp> = (call) => {
    const injected = enter('BatchAppend', '/event_store.client.streams.Streams/BatchAppend', call.metadata);
    if (injected) {
      call.emit('error', injected);
      return;
    }
    const handle = { end: () => call.end() };
    openCalls.add(handle);
    const pending = new Map<string, { streamId: string; expected: ExpectedState; events: ProposedEvent[] }>();

    const errorStatus = (code: grpc.status, message: string, detail: { bytes: Uint8Array; type: string }) => {
      const details = new anyPb.Any();
      details.pack(detail.bytes, detail.type);
      return new statusPb.Status().setCode(code as number).setMessage(message).setDetails(details);
    };

    call.on('data', (request: StreamsPbModule.BatchAppendReq) => {
      // The client shares one BatchAppend call between all appends: an injected failure ends the open
      // call at its next request, as a dropped connection would.
      const failure = pendingFailures.get('BatchAppend');
      if (failure) {
        pendingFailures.delete('BatchAppend');
        openCalls.delete(handle);
        call.emit('error', failure);
        return;
      }
      const correlationId = request.getCorrelationId();
      const key = uuidToString(correlationId);
      const respond = (streamId: string | undefined, fill: (response: StreamsPbModule.BatchAppendResp) => void) => {
        const response = new BatchAppendResp().setCorrelationId(correlationId);
        if (streamId !== undefined) response.setStreamIdentifier(streamIdentifier(streamId));
        fill(response);
        call.write(response);
      };
      try {
        if (request.hasOptions()) {
          const header = request.getOptions()!;
          const expected: ExpectedState = header.hasStreamPosition()
            ? { kind: 'revision', revision: BigInt(header.getStreamPosition()) }
            : header.hasNoStream()
              ? { kind: 'no_stream' }
              : header.hasStreamExists()
                ? { kind: 'stream_exists' }
                : { kind: 'any' };
          if (!pending.has(key)) pending.set(key, { streamId: streamName(header.getStreamIdentifier()), expected, events: [] });
        }
        const write = pending.get(key);
        if (!write) return;
        try {
          for (const message of request.getProposedMessagesList()) write.events.push(proposedEvent(message));
        } catch (error) {
          pending.delete(key);
          const text = error instanceof Error ? error.message : String(error);
          respond(write.streamId, (response) =>
            response.setError(
              errorStatus(grpc.status.INVALID_ARGUMENT, text, {
                bytes: new emptyPb.Empty().serializeBinary(),
                type: 'google.protobuf.Empty',
              }),
            ),
          );
          return;
        }
        if (!request.getIsFinal()) return;
        pending.delete(key);
        const outcome = log.write(write.streamId, write.expected, write.events);
        respond(write.streamId, (response) => {
          if (outcome.kind === 'success') {
            const success = new BatchAppendResp.Success();
            if (outcome.currentRevision === null) success.setNoStream(new emptyPb.Empty());
            else success.setCurrentRevision(outcome.currentRevision.toString());
            if (outcome.position === null) success.setNoPosition(new emptyPb.Empty());
            else {
              success.setPosition(
                new sharedPb.AllStreamPosition()
                  .setCommitPosition(outcome.position.commit.toString())
                  .setPreparePosition(outcome.position.prepare.toString()),
              );
            }
            response.setSuccess(success);
            return;
          }
          const detail = new sharedPb.WrongExpectedVersion();
          if (outcome.currentRevision === null) detail.setCurrentNoStream(new emptyPb.Empty());
          else detail.setCurrentStreamRevision(outcome.currentRevision.toString());
          switch (write.expected.kind) {
            case 'any':
              detail.setExpectedAny(new emptyPb.Empty());
              break;
            case 'stream_exists':
              detail.setExpectedStreamExists(new emptyPb.Empty());
              break;
            case 'no_stream':
              detail.setExpectedNoStream(new emptyPb.Empty());
              break;
            case 'revision':
              detail.setExpectedStreamPosition(write.expected.revision.toString());
              break;
          }
          response.setError(
            errorStatus(grpc.status.ALREADY_EXISTS, 'WrongExpectedVersion', {
              bytes: detail.serializeBinary(),
              type: 'event_store.client.WrongExpectedVersion',
            }),
          );
        });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        respond(undefined, (response) =>
          response.setError(
            errorStatus(grpc.status.INVALID_ARGUMENT, text, {
              bytes: new emptyPb.Empty().serializeBinary(),
              type: 'google.protobuf.Empty',
            }),
          ),
        );
      }
    });
    const finish = () => {
      openCalls.delete(handle);
    };
    call.on('end', () => {
      finish();
      call.end();
    });
    call.on('cancelled', finish);
    call.on('error', finish);
  };

  // -- Streams.Read (reads and subscriptions) -------------------------------------------------------
  const read: grpc.handleServerStreamingCall<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp> = (call) => {
    const injected = enter('Read', '/event_store.client.streams.Streams/Read', call.metadata);
    if (injected) {
      call.emit('error', injected);
      return;
    }
    try {
      const readOptions = call.request.getOptions();
      if (!readOptions) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Options are required'));
      const uuidOption = readOptions.getUuidOption();
      if (!uuidOption) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, "Required argument 'uuidOption' was not set"));
      const structuredIds = !uuidOption.hasString();
      const backwards = readOptions.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
      const filter = readOptions.hasFilter() ? readOptions.getFilter() : undefined;

      if (readOptions.hasSubscription()) {
        if (backwards) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid combination: backwards subscription'));
        if (readOptions.hasAll()) subscribeAll(call, readOptions, filter, structuredIds);
        else if (readOptions.hasStream()) {
          if (filter) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid combination: filtered stream subscription'));
          subscribeStream(call, readOptions, structuredIds);
        } else throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid stream option'));
        return;
      }

      const maxCount = BigInt(readOptions.getCount() || '0');
      if (readOptions.hasStream()) {
        if (filter) throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid combination: filtered stream read'));
        readStream(call, readOptions, maxCount, backwards, structuredIds);
      } else if (readOptions.hasAll()) {
        readAll(call, readOptions, maxCount, backwards, eventFilter(filter), structuredIds);
      } else throw new RpcFailure(rpcError(grpc.status.INVALID_ARGUMENT, 'Invalid stream option'));
      call.end();
    } catch (error) {
      call.emit('error', error instanceof RpcFailure ? error.status : rpcError(grpc.status.INTERNAL, String(error)));
    }
  };

  function readStream(
    call: grpc.ServerWritableStream<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp>,
    readOptions: ReadReqOptions,
    maxCount: bigint,
    backwards: boolean,
    structuredIds: boolean,
  ): void {
    const streamOptions = readOptions.getStream()!;
    const streamId = streamName(streamOptions.getStreamIdentifier());
    const stream = log.streams.get(streamId);
    if (!stream) {
      // The server answers a read of a missing stream with a StreamNotFound message, not an error status.
      call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamId))));
      return;
    }
    const last = stream.lastRevision;
    let sent = 0n;
    if (!backwards) {
      let revision = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? last + 1n : 0n;
      for (; revision <= last && sent < maxCount; revision += 1n) {
        const record = stream.byRevision.get(revision);
        if (!record) continue;
        call.write(eventResponse(record, structuredIds));
        sent += 1n;
      }
    } else {
      let revision = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasStart() ? 0n : last;
      if (revision > last) revision = last;
      for (; revision >= 0n && sent < maxCount; revision -= 1n) {
        const record = stream.byRevision.get(revision);
        if (!record) continue;
        call.write(eventResponse(record, structuredIds));
        sent += 1n;
      }
    }
    // `control_option.compatibility >= 1` (the bridge sends 1): the server ends a stream read with the
    // stream's last revision. Clients skip this message when iterating events.
    if ((readOptions.getControlOption()?.getCompatibility() ?? 0) >= 1) {
      call.write(new ReadResp().setLastStreamPosition(last.toString()));
    }
  }

  function readAll(
    call: grpc.ServerWritableStream<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp>,
    readOptions: ReadReqOptions,
    maxCount: bigint,
    backwards: boolean,
    matches: ((record: StoredRecord) => boolean) | null,
    structuredIds: boolean,
  ): void {
    const from = allStartPosition(readOptions);
    // Forwards: events at or after the position. Backwards: events strictly before it.
    const candidates = backwards
      ? log.records.filter((record) => from === 'end' || (from !== 'start' && comparePositions(positionOf(record), from) < 0)).reverse()
      : log.records.filter((record) => from === 'start' || (from !== 'end' && comparePositions(positionOf(record), from) >= 0));
    let sent = 0n;
    for (const record of candidates) {
      if (sent >= maxCount) break;
      if (matches && !matches(record)) continue;
      call.write(eventResponse(record, structuredIds));
      sent += 1n;
    }
  }

  function subscribeAll(
    call: grpc.ServerWritableStream<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp>,
    readOptions: ReadReqOptions,
    filter: FilterOptions | undefined,
    structuredIds: boolean,
  ): void {
    const matches = eventFilter(filter);
    const window = filter?.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
    const checkpointInterval = filter ? Math.max(1, filter.getCheckpointintervalmultiplier()) * window : 0;
    const from = allStartPosition(readOptions);
    // The subscription delivers events strictly after its checkpoint (none = from the beginning).
    let checkpoint: TestServerPosition | null =
      from === 'start' ? null : from === 'end' ? (log.records.length ? positionOf(log.records[log.records.length - 1]!) : null) : from;
    let considered = 0;

    const consider = (record: StoredRecord) => {
      const position = positionOf(record);
      if (checkpoint && comparePositions(position, checkpoint) <= 0) return;
      checkpoint = position;
      if (!matches || matches(record)) call.write(eventResponse(record, structuredIds));
      if (matches) {
        considered += 1;
        if (considered >= checkpointInterval) {
          considered = 0;
          call.write(checkpointResponse(position));
        }
      }
    };

    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    for (const record of [...log.records]) consider(record);
    // Filtered subscriptions issue a checkpoint when they go live, so one is seen within every interval.
    if (matches && checkpoint) call.write(checkpointResponse(checkpoint));
    call.write(caughtUpResponse(checkpoint ? { position: checkpoint } : {}));
    keepLive(call, log.onAppend((records) => records.forEach(consider)));
  }

  function subscribeStream(
    call: grpc.ServerWritableStream<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp>,
    readOptions: ReadReqOptions,
    structuredIds: boolean,
  ): void {
    const streamOptions = readOptions.getStream()!;
    const streamId = streamName(streamOptions.getStreamIdentifier());
    const current = log.currentRevision(streamId);
    let after: bigint =
      streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? (current ?? -1n) : -1n;
    const consider = (record: StoredRecord) => {
      if (record.streamId !== streamId || record.revision <= after) return;
      after = record.revision;
      call.write(eventResponse(record, structuredIds));
    };
    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    const stream = log.streams.get(streamId);
    if (stream) [...stream.byRevision.values()].sort((a, b) => (a.revision < b.revision ? -1 : 1)).forEach(consider);
    call.write(caughtUpResponse(after >= 0n ? { revision: after } : {}));
    keepLive(call, log.onAppend((records) => records.forEach(consider)));
  }

  function keepLive(call: grpc.ServerWritableStream<StreamsPbModule.ReadReq, StreamsPbModule.ReadResp>, unsubscribe: () => void) {
    const handle = {
      end: () => {
        unsubscribe();
        call.end();
      },
    };
    openCalls.add(handle);
    const stop = () => {
      unsubscribe();
      openCalls.delete(handle);
    };
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  }

  // -- Wiring ---------------------------------------------------------------------------------------
  const server = new grpc.Server();
  server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods });
  // Delete and Tombstone are not implemented: grpc-js answers them with UNIMPLEMENTED.
  server.addService(streamsGrpc.StreamsService, { read, append, batchAppend });
  const host = '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );

  const requireStream = (streamId: string): StreamState => {
    const stream = log.streams.get(streamId);
    if (!stream) throw new Error(`kurrentdb-test-server: stream ${streamId} does not exist`);
    return stream;
  };
  const requireRecord = (streamId: string, revision: bigint | number): StoredRecord => {
    const record = requireStream(streamId).byRevision.get(BigInt(revision));
    if (!record) throw new Error(`kurrentdb-test-server: ${streamId}@${revision} does not exist`);
    return record;
  };
  const snapshot = (record: StoredRecord): StoredEventSnapshot => ({
    streamId: record.streamId,
    revision: record.revision,
    id: record.id,
    type: record.type,
    isJson: record.isJson,
    data: Buffer.from(record.data),
    metadata: Buffer.from(record.metadata),
    createdTicks: record.createdTicks,
    created: new Date(Number(record.createdTicks / TICKS_PER_MILLISECOND)),
    position: positionOf(record),
  });

  let closed = false;
  return {
    connectionString: `kurrentdb://${host}:${port}?tls=false`,
    host,
    port,
    calls,
    async close() {
      if (closed) return;
      closed = true;
      for (const handle of [...openCalls]) handle.end();
      openCalls.clear();
      await new Promise<void>((resolve) => {
        // The bridge keeps an idle HTTP/2 connection open; force it closed if a graceful stop stalls.
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    allEvents: () => log.records.map(snapshot),
    streamEvents: (streamId) => {
      const stream = log.streams.get(streamId);
      if (!stream) return [];
      return [...stream.byRevision.values()].sort((a, b) => (a.revision < b.revision ? -1 : 1)).map(snapshot);
    },
    tamperEvent(streamId, revision, mutate) {
      const record = requireRecord(streamId, revision);
      const draft: TamperableEvent = {
        id: record.id,
        type: record.type,
        isJson: record.isJson,
        data: Buffer.from(record.data),
        metadata: Buffer.from(record.metadata),
        createdTicks: record.createdTicks,
      };
      mutate(draft);
      // The Rust bridge parses ids as UUIDs; anything else would make it fail instead of returning data.
      if (!UUID_PATTERN.test(draft.id)) throw new Error(`kurrentdb-test-server: ${draft.id} is not a UUID`);
      record.id = draft.id.toLowerCase();
      record.type = draft.type;
      record.isJson = draft.isJson;
      record.data = Uint8Array.from(draft.data);
      record.metadata = Uint8Array.from(draft.metadata);
      record.createdTicks = draft.createdTicks;
    },
    deleteEvent(streamId, revision) {
      const record = requireRecord(streamId, revision);
      requireStream(streamId).byRevision.delete(record.revision);
      log.records = log.records.filter((candidate) => candidate !== record);
    },
    swapEvents(streamId, revisionA, revisionB) {
      const a = requireRecord(streamId, revisionA);
      const b = requireRecord(streamId, revisionB);
      const fields = ['id', 'type', 'isJson', 'data', 'metadata', 'createdTicks'] as const;
      for (const field of fields) {
        const value = a[field];
        (a as unknown as Record<string, unknown>)[field] = b[field];
        (b as unknown as Record<string, unknown>)[field] = value;
      }
    },
    failNext(rpc, error) {
      pendingFailures.set(rpc, rpcError(error.code, error.details ?? grpc.status[error.code], error.metadata));
    },
    reset: () => log.clear(),
  };
}
