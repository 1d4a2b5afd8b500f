/**
 * The command path end to end: GraphQL mutation over HTTP → edge (token, access policy, input
 * validation) → application service → command handler → event appended in PostgreSQL, answered
 * with the appended events. `benchCommandPath` starts the real service in-process (openInfrastructure
 * + createApp on 127.0.0.1:0, tokens verified against a generated Ed25519 key in AUTH_PUBLIC_KEY
 * mode, the production hardening without the rate limit), prepares organizations, people and open
 * quarterly records through the application service, then for each client count lets that many
 * clients POST mutations over keep-alive connections for the given time and measures commands/s
 * and p50/p99 latency (request sent → response with the appended events read).
 *
 * The clients run in a worker thread, so their own work never waits in the service's event loop
 * (they still share the machine's cores with it and with PostgreSQL). Each client works through
 * its own people, each person's record in the order a unit works it: the unit head's scores, the
 * supervising leader's scores, the unit head's comment, HR's leave entry on the person, the
 * proposal, the review, the committee's determination (every fifth the top grade, which takes a
 * quota slot on the cycle stream first). Clients own their organizations, so they never write the
 * same stream.
 *
 * After the service's runs, the transport floor (transport-floor.ts): the largest client count's
 * requests again, served by Fastify and mercurius alone. The report sets what a command may cost
 * at the target against what the clients, PostgreSQL and the floor took, and what the service's
 * own work took above the floor.
 *
 * Then the backfill latency: a person whose record an open case withheld, the quarter's filing
 * filed (revision 1), the case closed with a warning → time from closeCase acknowledged until
 * `report(reportId)` shows revision 2 (the backfill process manager grades the record, the
 * report_revisions projection reissues the filing).
 */
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { AppraisalService } from '../../src/application/appraisal-service.js';
import { signToken } from '../../src/auth/token-issuer.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { createApp } from '../../src/bootstrap.js';
import type { CommandMetadata } from '../../src/command/decider.js';
import type { Actor } from '../../src/event-store/event.js';
import { HARDENING_DEFAULTS } from '../../src/graphql/hardening/hardening.config.js';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure.js';
import { loadPresetRuleSets } from '../../src/rule-set/presets.js';
import { shanghaiDate } from '../../src/shared/business-date.js';
import { NotFoundError } from '../../src/shared/errors.js';
import { percentile } from '../load-driver.js';
import { startTransportFloor } from './transport-floor.js';

export type ProjectionMode = 'on' | 'off';

export interface CommandPathOptions {
  /** The database the service runs on (it is migrated; the bench adds organizations and people to it). */
  databaseUrl: string;
  /** Measured seconds per client count. */
  seconds: number;
  /** Client counts, each measured in turn. */
  clients: number[];
  /** With the projection runner in the background ('on', as the service runs), without it ('off'), or both. Default ['on']. */
  projections?: ProjectionMode[];
  /** Unmeasured seconds at each client count before the first measured run. Default 2. */
  warmupSeconds?: number;
  /** Repetitions of the backfill latency measurement; 0 skips it. Default 5. */
  backfillRepeats?: number;
  /** Size of the service's connection pool. Default 20. */
  poolSize?: number;
  /** People per organization (each organization is one quarterly cycle). Default 40. */
  peoplePerOrganization?: number;
  /**
   * People (open records) prepared per client for each run; by default thrice what the warm-up
   * managed in the time (a client that runs out stops early and is counted in `exhaustedClients`).
   */
  peoplePerClient?: number;
  /** Writes a CPU profile of the service's thread for each measured run here (`<clients>-clients-projections-<mode>.cpuprofile`). */
  profileDirectory?: string;
  /**
   * Also measures the transport floor (transport-floor.ts) at the largest client count, after the
   * service's runs: the same requests served by Fastify and mercurius alone. Default true.
   */
  transportFloor?: boolean;
  /** Progress. */
  log?: (message: string) => void;
}

export interface KindLatency {
  kind: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** What every run of the clients measures, against the service or the transport floor. */
export interface ClientsRun {
  clients: number;
  seconds: number;
  /** Requests answered without errors. */
  commands: number;
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  errorSamples: string[];
  /** Clients that ran out of prepared records before the time was up (then the rate is understated). */
  exhaustedClients: number;
  /** CPU time per answered request, from /proc (Linux; null elsewhere). */
  cpuPerCommand: CpuShare | null;
}

export interface CommandPathRun extends ClientsRun {
  projections: ProjectionMode;
  byKind: KindLatency[];
  /** SQL statements sent (pg Client.query calls) per acknowledged command, projections included when on. */
  sqlPerCommand: number;
  /** The statements sent most during the run, with their count per command. */
  topStatements: { statement: string; perCommand: number }[];
  /** Events the projections still had to apply when the run ended (on), or had not applied (off). */
  projectionLagAfter: number;
}

/** Milliseconds of CPU per command, and how busy the machine's cores were. */
export interface CpuShare {
  /** The service's thread (HTTP, GraphQL, the edge, the application, pg's client side). */
  serviceMs: number;
  /** Of which in the kernel: the system calls of its sockets (HTTP and PostgreSQL). */
  serviceSystemMs: number;
  /** The process's other threads: the clients' worker, GC helpers, the crypto thread pool. */
  otherNodeThreadsMs: number;
  /** PostgreSQL: the backends of the bench's database and the server's own processes (WAL writer, checkpointer …). */
  postgresMs: number;
  /** Anything else on the machine (other databases' backends, other programs). */
  elsewhereMs: number;
  /** Busy share of all cores during the run, 0–1. */
  machineBusy: number;
}

/**
 * The same requests served by Fastify and mercurius alone (transport-floor.ts); in its CPU share
 * `serviceMs` is the thread that served them, `otherNodeThreadsMs` mostly the clients.
 */
export type TransportFloorRun = ClientsRun;

export interface BackfillLatency {
  samplesMs: number[];
  p50Ms: number;
  maxMs: number;
}

export interface CommandPathResult {
  machine: { cpu: string; cores: number; memoryGiB: number };
  node: string;
  postgres: string;
  synchronousCommit: string;
  poolSize: number;
  runs: CommandPathRun[];
  transportFloor: TransportFloorRun | null;
  backfill: BackfillLatency | null;
}

/** More requests a second than the transport floor answers on a 2-core machine (about 10,000 measured): sizes its clients' plans. */
const FLOOR_REQUESTS_PER_SECOND_AT_MOST = 40_000;

/** The issue's target for the command path at 32 clients on the 2-core machine. */
const TARGET_COMMANDS_PER_SECOND = 3_000;
const TARGET_P99_MS = 50;

const ISSUER = 'appraisal-records-bench';
const AUDIENCE = 'appraisal-records';
const RULE_SET_ID = 'national-current';
const PERIOD = '2025Q2';
/** The steps one person's record takes, in order (the worker's table below follows it). */
const STEPS_PER_PERSON = 7;
const KINDS = ['recordScores (unit head)', 'recordScores (leader)', 'writeComment', 'recordLeave', 'proposeGrade', 'reviewProposal', 'determineGrade', 'determineGrade (top grade)'];

interface Indicator {
  id: string;
  points: number;
}

/** What a worker client needs for one organization: its people and the tokens of those who act on them. */
interface OrganizationPlan {
  unitHead: { id: string; authorization: string };
  leader: { id: string; authorization: string };
  committee: { authorization: string };
  hr: { authorization: string };
  people: { personId: string; recordId: string }[];
}

interface ClientPlan {
  organizations: OrganizationPlan[];
}

interface WorkerResult {
  latencies: number[][];
  errors: number;
  errorSamples: string[];
  exhausted: number;
  elapsedMs: number;
}

/** The mutations the clients send, each with its input type; the transport floor answers the same ones. */
const CLIENT_MUTATIONS = {
  recordScores: 'RecordScoresInput',
  writeComment: 'WriteCommentInput',
  recordLeave: 'RecordLeaveInput',
  proposeGrade: 'ProposeGradeInput',
  reviewProposal: 'ReviewProposalInput',
  determineGrade: 'DetermineGradeInput',
} as const;

/**
 * The clients, in plain JavaScript for an eval'd worker (it runs the same under the compiled
 * scripts and under jest's TypeScript transform). Kinds index KINDS above.
 */
const CLIENT_WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const net = require('node:net');
const { url, durationMs, clients, indicators, runTag, mutationInputs } = workerData;
const OUTCOME = '{ commandId streamId replayed events { eventId streamId streamRevision globalPosition type recordedAt } }';
const query = (name, type) => 'mutation Run($input: ' + type + '!) { ' + name + '(input: $input) ' + OUTCOME + ' }';
const MUTATIONS = Object.fromEntries(Object.entries(mutationInputs).map(([name, type]) => [name, query(name, type)]));
const KIND_COUNT = 8;
const pad = (n) => String(n).padStart(2, '0');

function steps(organization, person, index) {
  const top = index % 5 === 0;
  const grade = top ? 'GOOD' : 'FAIRLY_GOOD';
  const scores = indicators.map((indicator, i) => ({ indicatorId: indicator.id, points: top || i > 0 ? indicator.points : indicator.points - 1 - (index % 3) }));
  const day = 1 + (index % 27);
  const month = 1 + (index % 12);
  const recordId = person.recordId;
  return [
    [0, 'recordScores', organization.unitHead.authorization, { recordId, raterId: organization.unitHead.id, raterRole: 'UNIT_HEAD', scores }],
    [1, 'recordScores', organization.leader.authorization, { recordId, raterId: organization.leader.id, raterRole: 'SUPERIOR', scores }],
    [2, 'writeComment', organization.unitHead.authorization, { recordId, text: '该同志本季度工作认真负责，按时完成各项任务，遵守纪律。' }],
    [3, 'recordLeave', organization.hr.authorization, { personId: person.personId, kind: 'STATUTORY', from: '2026-' + pad(month) + '-' + pad(day), to: '2026-' + pad(month) + '-' + pad(day + 1) }],
    [4, 'proposeGrade', organization.unitHead.authorization, { recordId, grade, reason: top ? '工作实绩突出' : '完成任务较好' }],
    [5, 'reviewProposal', organization.leader.authorization, { recordId, agrees: true, reason: '同意' }],
    [top ? 7 : 6, 'determineGrade', organization.committee.authorization, { recordId, grade }],
  ];
}

/**
 * A lean HTTP/1.1 client: one keep-alive connection per simulated client, one request in flight.
 * The load generator shares the machine's two cores with the service and PostgreSQL, so it must
 * cost as little as possible per request (fetch costs several times more); it understands just
 * what the service answers: a status line, headers with content-length, a JSON body.
 */
class Connection {
  constructor(target) {
    this.target = target;
    this.socket = null;
    this.pending = null;
    this.buffer = Buffer.alloc(0);
  }

  open() {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.target.hostname, port: Number(this.target.port) }, () => resolve());
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.on('data', (chunk) => this.received(chunk));
      socket.on('error', (error) => this.fail(error));
      socket.on('close', () => this.fail(new Error('connection closed by the service')));
      this.socket = socket;
    });
  }

  post(authorization, body) {
    const payload = Buffer.from(body);
    const head = 'POST ' + this.target.pathname + ' HTTP/1.1\r\nhost: ' + this.target.host + '\r\ncontent-type: application/json\r\nauthorization: ' + authorization + '\r\ncontent-length: ' + payload.length + '\r\n\r\n';
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(head), payload]));
    });
  }

  received(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return this.fail(new Error('answer without content-length: ' + head.slice(0, 200)));
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.toString('utf8', end + 4, total);
    this.buffer = this.buffer.subarray(total);
    const { resolve } = this.pending;
    this.pending = null;
    resolve({ status, body });
  }

  fail(error) {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = null;
    reject(error);
  }

  close() {
    this.socket && this.socket.destroy();
  }
}

async function main() {
  const latencies = Array.from({ length: KIND_COUNT }, () => []);
  const errorSamples = [];
  let errors = 0;
  let exhausted = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const target = new URL(url);
  await Promise.all(clients.map(async (plan, clientIndex) => {
    const connection = new Connection(target);
    await connection.open();
    try {
      let sent = 0;
      let index = 0;
      for (const organization of plan.organizations) {
        for (const person of organization.people) {
          for (const [kind, mutation, authorization, input] of steps(organization, person, index++)) {
            if (performance.now() >= deadline) return;
            const body = JSON.stringify({ query: MUTATIONS[mutation], variables: { input: { commandId: runTag + '/c' + clientIndex + '/' + sent++, ...input } } });
            const issued = performance.now();
            let problem;
            try {
              const response = await connection.post(authorization, body);
              const answer = JSON.parse(response.body);
              const outcome = answer.data && answer.data[mutation];
              if (answer.errors) problem = mutation + ': ' + JSON.stringify(answer.errors[0]).slice(0, 400);
              else if (response.status !== 200 || !outcome || outcome.events.length === 0 || outcome.replayed) problem = mutation + ': unexpected answer ' + response.status + ' ' + JSON.stringify(answer).slice(0, 300);
              else latencies[kind].push(performance.now() - issued);
            } catch (error) {
              problem = mutation + ': ' + (error && error.message);
            }
            if (problem) {
              errors += 1;
              if (errorSamples.length < 10) errorSamples.push(problem);
              break; // the record's later steps depend on this one: the client moves on to the next person
            }
          }
        }
      }
      exhausted += 1;
    } finally {
      connection.close();
    }
  }));
  parentPort.postMessage({ latencies, errors, errorSamples, exhausted, elapsedMs: performance.now() - started });
}

main().catch((error) => parentPort.postMessage({ fatal: String(error && error.stack || error) }));
`;

function runClients(data: { url: string; durationMs: number; clients: ClientPlan[]; indicators: Indicator[]; runTag: string }): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { ...data, mutationInputs: CLIENT_MUTATIONS } });
    worker.once('message', (message: WorkerResult | { fatal: string }) => {
      void worker.terminate();
      if ('fatal' in message) reject(new Error(`client worker failed: ${message.fatal}`));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

/** Counts the statements every pg client sends (pool.query goes through Client.query too). */
class SqlCounter {
  private readonly original = pg.Client.prototype.query;
  private counts = new Map<string, number>();
  total = 0;

  install(): void {
    const counter = this;
    const original = this.original;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      counter.total += 1;
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '?');
      counter.counts.set(text, (counter.counts.get(text) ?? 0) + 1);
      return (original as (...parameters: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
  }

  uninstall(): void {
    pg.Client.prototype.query = this.original;
  }

  reset(): void {
    this.total = 0;
    this.counts = new Map();
  }

  top(limit: number): { statement: string; count: number }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([statement, count]) => ({ statement: statement.replace(/\s+/g, ' ').trim().replace(/^SELECT (.{60,}?) FROM/, 'SELECT … FROM').slice(0, 110), count }));
  }
}

interface CpuSample {
  machineBusy: number;
  machineTotal: number;
  process: number;
  mainThread: number;
  /** Of which in the kernel (system calls: sockets). */
  mainThreadSystem: number;
  /** Ticks of each PostgreSQL process counted (a backend may end or start during a run). */
  postgres: Map<string, number>;
}

/** CPU ticks from /proc: the machine, this process and its main thread, and PostgreSQL's processes serving `database`. */
function sampleCpu(database: string): CpuSample | null {
  try {
    const ticks = (stat: string) => {
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const machineTotal = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const machineIdle = cpu[3] + cpu[4];
    const postgres = new Map<string, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        // Backends name their database in the title ("postgres: 15/main: user database host …"); the server's own processes name none.
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        const words = title.split(/\s+/);
        const client = words.findIndex((word) => /^(\d+\.\d+\.\d+\.\d+|[0-9a-f:]+|localhost)\(\d+\)$|^\[local\]$/.test(word));
        if (client < 1 || words[client - 1] === database) postgres.set(entry, ticks(stat));
      } catch {
        // the process ended meanwhile
      }
    }
    const mainThread = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    return {
      machineBusy: machineTotal - machineIdle,
      machineTotal,
      process: ticks(readFileSync('/proc/self/stat', 'utf8')),
      mainThread: ticks(mainThread),
      mainThreadSystem: Number(mainThread.slice(mainThread.lastIndexOf(')') + 2).split(' ')[12]),
      postgres,
    };
  } catch {
    return null;
  }
}

function cpuShare(before: CpuSample | null, after: CpuSample | null, commands: number): CpuShare | null {
  if (!before || !after || commands === 0) return null;
  // /proc counts in clock ticks (USER_HZ, 100 on Linux): 10 ms each.
  const ms = (ticks: number) => (ticks * 10) / commands;
  const process = after.process - before.process;
  const main = after.mainThread - before.mainThread;
  let postgres = 0;
  for (const [pid, ticks] of after.postgres) postgres += ticks - (before.postgres.get(pid) ?? 0);
  const busy = after.machineBusy - before.machineBusy;
  return {
    serviceMs: ms(main),
    serviceSystemMs: ms(after.mainThreadSystem - before.mainThreadSystem),
    otherNodeThreadsMs: ms(process - main),
    postgresMs: ms(postgres),
    elsewhereMs: ms(Math.max(0, busy - process - postgres)),
    machineBusy: busy / Math.max(1, after.machineTotal - before.machineTotal),
  };
}

class Tokens {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  async authorization(sub: string, role: string, org: string): Promise<string> {
    return `Bearer ${await signToken(this.privateKey, { sub, roles: [role], org }, { issuer: ISSUER, audience: AUDIENCE })}`;
  }
}

/** Runs `work` over the items, at most `limit` at once. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

const nationalCurrent = () => loadPresetRuleSets().find((document) => document.id === RULE_SET_ID)!;

/** Everything a run's clients act on, made through the application service (not measured). */
class Preparation {
  private sequence = 0;
  private readonly hr: Actor = { id: 'bench-hr', role: 'HR', organizationId: '*' };

  constructor(
    private readonly appraisal: AppraisalService,
    private readonly tokens: Tokens,
    private readonly runId: string,
    private readonly peoplePerOrganization: number,
  ) {}

  private metadata(): CommandMetadata {
    return { commandId: `${this.runId}/prepare/${this.sequence++}`, actor: this.hr, now: new Date().toISOString() };
  }

  async ruleSet(): Promise<Indicator[]> {
    try {
      await this.appraisal.ruleSet(RULE_SET_ID, 1);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await this.appraisal.publishRuleSet(nationalCurrent(), this.metadata());
    }
    const document = await this.appraisal.ruleSet(RULE_SET_ID, 1);
    return document.scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators.map((indicator) => ({ id: indicator.id, points: indicator.points }));
  }

  /** A root organ of the client's, with organizations below it holding `people` people in all, each with an open 2025Q2 record. */
  async clients(tag: string, clients: number, peoplePerClient: number): Promise<ClientPlan[]> {
    const organizationsPerClient = Math.max(1, Math.ceil(peoplePerClient / this.peoplePerOrganization));
    const roots = Array.from({ length: clients }, (_, client) => `${this.runId}-${tag}-c${client}`);
    await inParallel(roots, 16, (root) => this.appraisal.registerOrganization({ organizationId: root, name: `压测机关 ${root}`, kind: 'ORGAN' }, this.metadata()));
    const jobs = roots.flatMap((root, client) => Array.from({ length: organizationsPerClient }, (_, index) => ({ root, client, organizationId: `${root}-o${index}` })));
    const organizations = await inParallel(jobs, 12, async ({ root, organizationId }) => this.organization(root, organizationId));
    return roots.map((_, client) => ({ organizations: organizations.filter((_, index) => jobs[index].client === client) }));
  }

  private async organization(root: string, organizationId: string): Promise<OrganizationPlan> {
    const unitId = `${organizationId}-u`;
    await this.appraisal.registerOrganization({ organizationId, name: `压测处 ${organizationId}`, kind: 'ORGAN', parentId: root }, this.metadata());
    await this.appraisal.registerOrganization({ organizationId: unitId, name: '综合科', kind: 'UNIT', parentId: organizationId }, this.metadata());
    await this.appraisal.adoptRuleSet(organizationId, { year: 2025, ruleSetId: RULE_SET_ID, ruleSetVersion: 1 }, this.metadata());
    const personIds = Array.from({ length: this.peoplePerOrganization }, (_, index) => `${organizationId}-p${index}`);
    await Promise.all(
      personIds.map((personId, index) =>
        this.appraisal.personCommand(personId, {
          type: 'RegisterPerson',
          data: { personId, name: `干部${index}`, category: 'CIVIL_SERVANT', organizationId: unitId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
          metadata: this.metadata(),
        }),
      ),
    );
    await this.appraisal.openCycle({ organizationId, period: PERIOD, personIds }, this.metadata());
    const head = `${unitId}-head`;
    const leader = `${organizationId}-leader`;
    return {
      unitHead: { id: head, authorization: await this.tokens.authorization(head, 'UNIT_HEAD', unitId) },
      leader: { id: leader, authorization: await this.tokens.authorization(leader, 'SUPERVISING_LEADER', organizationId) },
      committee: { authorization: await this.tokens.authorization(`${organizationId}-committee`, 'COMMITTEE', organizationId) },
      hr: { authorization: await this.tokens.authorization(`${root}-hr`, 'HR', root) },
      people: personIds.map((personId) => ({ personId, recordId: `${organizationId}.${personId}.${PERIOD}` })),
    };
  }
}

async function projectionLag(infrastructure: Infrastructure): Promise<number> {
  const statuses = await infrastructure.projections.status();
  return Math.max(0, ...statuses.map((status) => status.lag));
}

/** Waits until every projection has applied everything readable; returns the seconds it took. */
async function waitForProjections(infrastructure: Infrastructure, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const statuses = await infrastructure.projections.status();
    const failing = statuses.filter((status) => status.lastError !== null);
    if (statuses.every((status) => status.lag === 0) && failing.length === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`projections still behind after ${timeoutMs / 1000} s: ${statuses.map((status) => `${status.name} ${status.lag}${status.lastError ? ` (${status.lastError})` : ''}`).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function graphql(url: string, authorization: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new GraphQLRequestError(JSON.stringify(body.errors));
  return body.data!;
}

class GraphQLRequestError extends Error {}

const REPORT_REVISION = 'query Report($reportId: String!) { report(reportId: $reportId) { revision } }';
const CLOSE_CASE = 'mutation Close($input: CloseCaseInput!) { closeCase(input: $input) { commandId events { eventId type } } }';

/**
 * One backfill: a person under an open case, their 2025Q2 record withheld, the filing filed and
 * at revision 1; then closeCase (warning) over HTTP and `report(reportId)` polled until revision 2.
 */
async function backfillOnce(infrastructure: Infrastructure, url: string, tokens: Tokens, runId: string, repeat: number): Promise<number> {
  const { appraisal, reports } = infrastructure;
  const organizationId = `${runId}-backfill${repeat}`;
  const unitId = `${organizationId}-u`;
  const hr: Actor = { id: `${organizationId}-hr`, role: 'HR', organizationId };
  const inspector: Actor = { id: `${organizationId}-inspector`, role: 'DISCIPLINE_INSPECTION', organizationId };
  const rater: Actor = { id: `${unitId}-head`, role: 'UNIT_HEAD', organizationId: unitId };
  const committee: Actor = { id: `${organizationId}-committee`, role: 'COMMITTEE', organizationId };
  let sequence = 0;
  const metadata = (actor: Actor): CommandMetadata => ({ commandId: `${organizationId}/${sequence++}`, actor, now: new Date().toISOString() });
  await appraisal.registerOrganization({ organizationId, name: `补定测试机关 ${repeat}`, kind: 'ORGAN' }, metadata(hr));
  await appraisal.registerOrganization({ organizationId: unitId, name: '综合科', kind: 'UNIT', parentId: organizationId }, metadata(hr));
  await appraisal.adoptRuleSet(organizationId, { year: 2025, ruleSetId: RULE_SET_ID, ruleSetVersion: 1 }, metadata(hr));
  const people = [`${organizationId}-p0`, `${organizationId}-p1`, `${organizationId}-p2`];
  for (const [index, personId] of people.entries()) {
    await appraisal.personCommand(personId, {
      type: 'RegisterPerson',
      data: { personId, name: ['王芳', '李强', '张伟'][index], category: 'CIVIL_SERVANT', organizationId: unitId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2018-09-01' },
      metadata: metadata(hr),
    });
  }
  const caseId = `${organizationId}-case`;
  await appraisal.openCase({ caseId, personId: people[0], openedOn: '2025-05-10', authority: '市纪委监委' }, metadata(inspector));
  await appraisal.openCycle({ organizationId, period: PERIOD, personIds: people }, metadata(hr));
  const indicators = nationalCurrent().scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;
  const scores = indicators.map((indicator) => ({ indicatorId: indicator.id, points: indicator.points }));
  for (const [index, personId] of people.entries()) {
    const recordId = `${organizationId}.${personId}.${PERIOD}`;
    await appraisal.recordCommand(recordId, { type: 'RecordScores', data: { raterId: rater.id, raterRole: 'UNIT_HEAD', scores }, metadata: metadata(rater) });
    if (index === 0) {
      // Under the open case: determined without a grade (WITHHELD_INVESTIGATION), noted on the case.
      await appraisal.recordCommand(recordId, { type: 'DetermineGrade', data: {}, metadata: metadata(committee) });
      continue;
    }
    await appraisal.recordCommand(recordId, { type: 'ProposeGrade', data: { grade: 'FAIRLY_GOOD', reason: '完成任务较好' }, metadata: metadata(rater) });
    await appraisal.recordCommand(recordId, { type: 'ReviewProposal', data: { agrees: true, reason: '同意' }, metadata: metadata(committee) });
    await appraisal.recordCommand(recordId, { type: 'DetermineGrade', data: { grade: 'FAIRLY_GOOD' }, metadata: metadata(committee) });
  }
  await reports.fileReport({ organizationId, period: PERIOD, kind: 'QUARTERLY_FILING' }, metadata(hr));
  const reportId = `${organizationId}.${PERIOD}.QUARTERLY_FILING`;
  const reader = await tokens.authorization(hr.id, 'HR', organizationId);
  const revision = async (): Promise<number> => {
    try {
      return (await graphql(url, reader, REPORT_REVISION, { reportId })).report.revision as number;
    } catch (error) {
      if (error instanceof GraphQLRequestError && error.message.includes('NOT_FOUND')) return 0;
      throw error;
    }
  };
  const waitFor = async (wanted: number, timeoutMs: number): Promise<void> => {
    const started = performance.now();
    while ((await revision()) < wanted) {
      if (performance.now() - started > timeoutMs) throw new Error(`report ${reportId} did not reach revision ${wanted} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await waitFor(1, 60_000);

  const today = shanghaiDate(new Date().toISOString());
  const penalty = { measureId: `${caseId}-warning`, measure: 'GOVERNMENT_WARNING', decisionDate: today, effectiveDate: today, authority: '市监委', documentNumber: `市监委政处〔2025〕${repeat}号` };
  const closer = await tokens.authorization(inspector.id, 'DISCIPLINE_INSPECTION', organizationId);
  const closed = await graphql(url, closer, CLOSE_CASE, { input: { caseId, closedOn: today, outcome: 'WARNING', penalty } });
  const acknowledged = performance.now();
  if (closed.closeCase.events[0]?.type !== 'CaseClosed') throw new Error(`closeCase answered ${JSON.stringify(closed)}`);
  await waitFor(2, 60_000);
  return performance.now() - acknowledged;
}

/** A CPU profile of this thread (the service's; the clients have their own). */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
    },
  };
}

/** What every run of clients reports: the rate, latencies, errors and CPU per answered request. */
function summarizeClients(clients: number, result: WorkerResult, cpuBefore: CpuSample | null, cpuAfter: CpuSample | null): ClientsRun {
  const all = result.latencies.flat();
  return {
    clients,
    seconds: result.elapsedMs / 1000,
    commands: all.length,
    commandsPerSecond: all.length / (result.elapsedMs / 1000),
    p50Ms: percentile(all, 0.5),
    p99Ms: percentile(all, 0.99),
    maxMs: all.reduce((max, value) => Math.max(max, value), 0),
    errors: result.errors,
    errorSamples: result.errorSamples,
    exhaustedClients: result.exhausted,
    cpuPerCommand: cpuShare(cpuBefore, cpuAfter, all.length),
  };
}

function personsPerClient(ratePerClient: number, seconds: number): number {
  return Math.ceil((ratePerClient * seconds) / STEPS_PER_PERSON) + 10;
}

/**
 * The requests of `plans` (each person's steps, repeated until the time is up) sent to the
 * transport floor, after a warm-up: it answers several times faster than the service, so each
 * client's people are sent again as often as needed. The people's ids are the service run's.
 */
async function measureTransportFloor(
  plans: ClientPlan[],
  indicators: Indicator[],
  seconds: number,
  warmupSeconds: number,
  database: string,
  runTag: string,
  log: (message: string) => void,
): Promise<TransportFloorRun> {
  const floor = await startTransportFloor(Object.keys(CLIENT_MUTATIONS));
  try {
    const peoplePerClient = plans[0].organizations.reduce((sum, organization) => sum + organization.people.length, 0);
    const requestsPerClient = (FLOOR_REQUESTS_PER_SECOND_AT_MOST / plans.length) * Math.max(seconds, warmupSeconds);
    const repeats = Math.ceil(requestsPerClient / STEPS_PER_PERSON / Math.max(1, peoplePerClient));
    const repeated = plans.map((plan) => ({ organizations: Array.from({ length: repeats }, () => plan.organizations).flat() }));
    const clients = plans.length;
    if (warmupSeconds > 0) await runClients({ url: floor.url, durationMs: warmupSeconds * 1000, clients: repeated, indicators, runTag: `${runTag}/warm-up` });
    const before = sampleCpu(database);
    const result = await runClients({ url: floor.url, durationMs: seconds * 1000, clients: repeated, indicators, runTag });
    const run = summarizeClients(clients, result, before, sampleCpu(database));
    const cpu = run.cpuPerCommand;
    log(
      `transport floor: ${clients} clients, ${run.commands} requests in ${run.seconds.toFixed(1)} s = ${run.commandsPerSecond.toFixed(0)}/s, ` +
        `p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, errors ${run.errors}` +
        (cpu ? `; CPU ms/request: serving thread ${cpu.serviceMs.toFixed(3)}, other node threads ${cpu.otherNodeThreadsMs.toFixed(3)}` : '') +
        (run.exhaustedClients ? `, ${run.exhaustedClients} clients ran out of requests` : ''),
    );
    for (const sample of run.errorSamples) log(`  error: ${sample}`);
    return run;
  } finally {
    await floor.close();
  }
}

/** Runs the bench; see the file's comment. */
export async function benchCommandPath(options: CommandPathOptions): Promise<CommandPathResult> {
  const log = options.log ?? (() => undefined);
  const poolSize = options.poolSize ?? 20;
  const modes = options.projections ?? ['on'];
  const warmupSeconds = options.warmupSeconds ?? 2;
  const runId = `cmd-${randomBytes(4).toString('hex')}`;
  const tokens = new Tokens();
  const counter = new SqlCounter();
  const infrastructure = await openInfrastructure({ databaseUrl: options.databaseUrl, dataDirectory: 'unused', embeddedPostgresPort: undefined }, { log, poolSize });
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  counter.install();
  try {
    const settings = await infrastructure.pool.query<{ server_version: string; synchronous_commit: string; database: string }>(
      "SELECT current_setting('server_version') AS server_version, current_setting('synchronous_commit') AS synchronous_commit, current_database() AS database",
    );
    const database = settings.rows[0].database;
    app = await createApp(infrastructure, {
      logger: false,
      hardening: { ...HARDENING_DEFAULTS, introspection: false, rateLimitPerMinute: 0 },
      authentication: {
        mode: 'public-key',
        verifier: createTokenVerifier({ publicKey: tokens.publicKey }, { issuer: ISSUER, audience: AUDIENCE }),
        description: 'bench key',
      },
    });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
    log(`service on ${url}, pool ${poolSize}, PostgreSQL ${settings.rows[0].server_version}`);

    const preparation = new Preparation(infrastructure.appraisal, tokens, runId, options.peoplePerOrganization ?? 40);
    const indicators = await preparation.ruleSet();
    // What one client can do at most, and all of them together, for the first estimate of how many records to prepare.
    const observed = new Map<number, number>();
    const estimate = (clients: number) => Math.max(observed.get(clients) ?? Math.min(1500, 8000 / clients), 300 / clients);

    const runs: CommandPathRun[] = [];
    /** The plans of the last run at each client count, which the transport floor sends again. */
    const lastPlans = new Map<number, ClientPlan[]>();
    let runNumber = 0;
    const measure = async (clients: number, seconds: number, projections: ProjectionMode, warmup: boolean): Promise<CommandPathRun> => {
      const tag = `r${runNumber++}`;
      // Thrice what the warm-up managed: a warm service runs faster than a cold one.
      const people = options.peoplePerClient ?? personsPerClient(estimate(clients) * (warmup ? 1 : 3), seconds);
      const prepareStarted = performance.now();
      const plans = await preparation.clients(tag, clients, people);
      lastPlans.set(clients, plans);
      log(`${warmup ? 'warm-up' : 'run'} ${tag}: ${clients} clients, projections ${projections}: prepared ${clients * plans[0].organizations.length * (options.peoplePerOrganization ?? 40)} records in ${((performance.now() - prepareStarted) / 1000).toFixed(1)} s`);
      if (projections === 'on') {
        infrastructure.projections.start();
        const caughtUp = await waitForProjections(infrastructure);
        log(`projections caught up in ${caughtUp.toFixed(1)} s`);
      } else {
        await infrastructure.projections.stop();
      }
      counter.reset();
      const cpuBefore = sampleCpu(database);
      const profiler = !warmup && options.profileDirectory ? await startProfiler() : undefined;
      const result = await runClients({ url, durationMs: seconds * 1000, clients: plans, indicators, runTag: `${runId}/${tag}` });
      const sql = counter.total;
      const cpuAfter = sampleCpu(database);
      if (profiler) {
        const file = path.join(options.profileDirectory!, `${clients}-clients-projections-${projections}.cpuprofile`);
        await profiler.stop(file);
        log(`CPU profile of the service's thread: ${file}`);
      }
      const top = counter.top(8);
      const summary = summarizeClients(clients, result, cpuBefore, cpuAfter);
      const commands = summary.commands;
      const run: CommandPathRun = {
        ...summary,
        projections,
        byKind: result.latencies.map((values, index) => ({ kind: KINDS[index], count: values.length, p50Ms: percentile(values, 0.5), p99Ms: percentile(values, 0.99) })),
        sqlPerCommand: commands ? sql / commands : 0,
        topStatements: top.map(({ statement, count }) => ({ statement, perCommand: commands ? count / commands : 0 })),
        projectionLagAfter: await projectionLag(infrastructure),
      };
      observed.set(clients, Math.max(observed.get(clients) ?? 0, run.commandsPerSecond / clients));
      const cpu = run.cpuPerCommand;
      log(
        `${warmup ? 'warm-up' : 'run'} ${tag}: ${commands} commands in ${run.seconds.toFixed(1)} s = ${run.commandsPerSecond.toFixed(0)}/s, ` +
          `p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, errors ${run.errors}, ${run.sqlPerCommand.toFixed(1)} SQL/command, projection lag ${run.projectionLagAfter}` +
          (cpu ? `; CPU ms/command: service ${cpu.serviceMs.toFixed(2)} (kernel ${cpu.serviceSystemMs.toFixed(2)}), other node threads ${cpu.otherNodeThreadsMs.toFixed(2)}, PostgreSQL ${cpu.postgresMs.toFixed(2)}, elsewhere ${cpu.elsewhereMs.toFixed(2)}, machine ${(cpu.machineBusy * 100).toFixed(0)}% busy` : '') +
          (run.exhaustedClients ? `, ${run.exhaustedClients} clients ran out of records` : ''),
      );
      for (const sample of run.errorSamples) log(`  error: ${sample}`);
      return run;
    };

    for (const projections of modes) {
      for (const clients of options.clients) {
        if (warmupSeconds > 0) await measure(clients, warmupSeconds, projections, true);
        runs.push(await measure(clients, options.seconds, projections, false));
      }
    }

    let transportFloor: TransportFloorRun | null = null;
    if (options.transportFloor ?? true) {
      const clients = Math.max(...options.clients);
      await infrastructure.projections.stop();
      transportFloor = await measureTransportFloor(lastPlans.get(clients)!, indicators, options.seconds, warmupSeconds, database, `${runId}/floor`, log);
    }

    let backfill: BackfillLatency | null = null;
    const repeats = options.backfillRepeats ?? 5;
    if (repeats > 0) {
      infrastructure.projections.start();
      const caughtUp = await waitForProjections(infrastructure);
      log(`projections caught up in ${caughtUp.toFixed(1)} s; measuring the backfill latency`);
      const samples: number[] = [];
      for (let repeat = 0; repeat < repeats; repeat++) {
        const sample = await backfillOnce(infrastructure, url, tokens, runId, repeat);
        log(`backfill ${repeat + 1}/${repeats}: reissued revision visible ${sample.toFixed(0)} ms after closeCase was acknowledged`);
        samples.push(sample);
      }
      backfill = { samplesMs: samples, p50Ms: percentile(samples, 0.5), maxMs: Math.max(...samples) };
    }

    const cpus = os.cpus();
    return {
      machine: { cpu: cpus[0]?.model ?? 'unknown CPU', cores: cpus.length, memoryGiB: os.totalmem() / 2 ** 30 },
      node: process.version,
      postgres: settings.rows[0].server_version,
      synchronousCommit: settings.rows[0].synchronous_commit,
      poolSize,
      runs,
      transportFloor,
      backfill,
    };
  } finally {
    counter.uninstall();
    // app.close() closes the infrastructure too (its shutdown hook).
    if (app) await app.close();
    else await infrastructure.close();
  }
}

/** Commands per second the cores could serve if they did nothing else, at this CPU cost per command. */
function ceiling(cores: number, cpuMsPerCommand: number): string {
  return cpuMsPerCommand > 0 ? ((cores * 1000) / cpuMsPerCommand).toFixed(0) : '–';
}

/** The result as markdown: machine, versions, one row per run, the latency per mutation of the largest run, the backfill. */
export function formatCommandPathResult(result: CommandPathResult, server: string): string {
  const lines = [
    `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB.toFixed(1)} GiB RAM; Node ${result.node}; ` +
      `PostgreSQL ${result.postgres} (${server}, synchronous_commit ${result.synchronousCommit}); pool ${result.poolSize} connections`,
    '',
    '| clients | projections | seconds | commands | commands/s | p50 ms | p99 ms | max ms | errors | SQL statements/command | projection lag after | CPU ms/command: service / other node threads / PostgreSQL / elsewhere | machine busy | CPU ceiling, commands/s: service + PostgreSQL / + clients |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
    ...result.runs.map((run) => {
      const cpu = run.cpuPerCommand;
      return (
        `| ${run.clients} | ${run.projections} | ${run.seconds.toFixed(1)} | ${run.commands} | ${run.commandsPerSecond.toFixed(0)} | ${run.p50Ms.toFixed(1)} | ` +
        `${run.p99Ms.toFixed(1)} | ${run.maxMs.toFixed(1)} | ${run.errors}${run.exhaustedClients ? ` (${run.exhaustedClients} clients out of records)` : ''} | ` +
        `${run.sqlPerCommand.toFixed(1)} | ${run.projectionLagAfter} | ` +
        (cpu
          ? `${cpu.serviceMs.toFixed(2)} / ${cpu.otherNodeThreadsMs.toFixed(2)} / ${cpu.postgresMs.toFixed(2)} / ${cpu.elsewhereMs.toFixed(2)} | ${(cpu.machineBusy * 100).toFixed(0)}% | ` +
            `${ceiling(result.machine.cores, cpu.serviceMs + cpu.postgresMs)} / ${ceiling(result.machine.cores, cpu.serviceMs + cpu.postgresMs + cpu.otherNodeThreadsMs)} |`
          : '– | – | – |')
      );
    }),
  ];
  const mostClients = Math.max(...result.runs.map((run) => run.clients));
  for (const run of result.runs.filter((candidate) => candidate.clients === mostClients)) {
    const met = run.commandsPerSecond >= TARGET_COMMANDS_PER_SECOND && run.p99Ms < TARGET_P99_MS && run.errors === 0;
    lines.push(
      '',
      `At ${run.clients} clients, projections ${run.projections}: ${run.commandsPerSecond.toFixed(0)} commands/s, p99 ${run.p99Ms.toFixed(1)} ms ` +
        `(target ≥ ${TARGET_COMMANDS_PER_SECOND.toLocaleString('en-US')}/s at 32 clients with p99 < ${TARGET_P99_MS} ms: ${met ? 'met' : '**missed**'}).`,
    );
  }
  const floor = result.transportFloor;
  if (floor) {
    const floorCpu = floor.cpuPerCommand;
    lines.push(
      '',
      `Transport floor at ${floor.clients} clients — the same requests served by Fastify and mercurius alone, each answered at once ` +
        `(no NestJS, token check, input validation, domain, store or database): ${floor.commandsPerSecond.toFixed(0)} requests/s, ` +
        `p50 ${floor.p50Ms.toFixed(1)} ms, p99 ${floor.p99Ms.toFixed(1)} ms, errors ${floor.errors}` +
        (floor.exhaustedClients ? ` (${floor.exhaustedClients} clients ran out of requests)` : '') +
        (floorCpu ? `; CPU ms/request: serving thread ${floorCpu.serviceMs.toFixed(3)}, other node threads (the clients' worker, GC) ${floorCpu.otherNodeThreadsMs.toFixed(3)}.` : '.'),
    );
    const budgetMs = (result.machine.cores * 1000) / TARGET_COMMANDS_PER_SECOND;
    for (const run of result.runs.filter((candidate) => candidate.clients === floor.clients)) {
      const cpu = run.cpuPerCommand;
      if (!cpu || !floorCpu) continue;
      const others = cpu.otherNodeThreadsMs + cpu.postgresMs + cpu.elsewhereMs;
      const left = budgetMs - others - floorCpu.serviceMs;
      lines.push(
        '',
        `What ${TARGET_COMMANDS_PER_SECOND.toLocaleString('en-US')} commands/s allows, at ${run.clients} clients with the projections ${run.projections}: ` +
          `${result.machine.cores} cores give ${budgetMs.toFixed(3)} ms of CPU per command in all. The clients and the process's other threads took ` +
          `${cpu.otherNodeThreadsMs.toFixed(3)}, PostgreSQL ${cpu.postgresMs.toFixed(3)}, the rest of the machine ${cpu.elsewhereMs.toFixed(3)} and the transport floor ` +
          `${floorCpu.serviceMs.toFixed(3)}: ${left > 0 ? `${left.toFixed(3)} ms are left` : 'nothing is left'} for NestJS, the token check, validation, the domain and the store, ` +
          `which took ${(cpu.serviceMs - floorCpu.serviceMs).toFixed(3)} ms (the service thread's ${cpu.serviceMs.toFixed(3)} less the floor's).`,
      );
    }
  }
  const largest = [...result.runs].sort((a, b) => b.clients - a.clients || a.projections.localeCompare(b.projections))[0];
  if (largest) {
    lines.push(
      '',
      `Per mutation at ${largest.clients} clients, projections ${largest.projections}:`,
      '',
      '| mutation | commands | p50 ms | p99 ms |',
      '|---|---:|---:|---:|',
      ...largest.byKind.map((kind) => `| ${kind.kind} | ${kind.count} | ${kind.p50Ms.toFixed(1)} | ${kind.p99Ms.toFixed(1)} |`),
      '',
      'Statements sent most (per command):',
      '',
      ...largest.topStatements.map((statement) => `- ${statement.perCommand.toFixed(2)} × \`${statement.statement}\``),
    );
  }
  lines.push(
    '',
    'CPU ms/command from /proc: the service thread; the process\'s other threads (the clients\' worker, GC, crypto pool); ' +
      'PostgreSQL serving this database (and its WAL writer, checkpointer …); everything else on the machine. The ceiling divides the cores by the CPU a command costs.',
  );
  if (result.backfill) {
    lines.push(
      '',
      `Backfill latency (closeCase acknowledged → reissued report revision visible), ${result.backfill.samplesMs.length} runs: ` +
        `p50 ${result.backfill.p50Ms.toFixed(0)} ms, max ${result.backfill.maxMs.toFixed(0)} ms (${result.backfill.samplesMs.map((sample) => sample.toFixed(0)).join(', ')} ms)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
