import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Authentication } from '../../src/auth/authentication.js';
import { signToken } from '../../src/auth/token-issuer.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { createApp } from '../../src/bootstrap.js';
import type { Infrastructure } from '../../src/infrastructure.js';

const ISSUER = 'appraisal-records-bench';
const AUDIENCE = 'appraisal-records';

/** The service in-process, with a key of the benchmark's own: requests carry tokens it signs. */
export class BenchService {
  private constructor(
    readonly app: NestFastifyApplication,
    private readonly privateKey: KeyObject,
  ) {}

  static async start(infrastructure: Infrastructure): Promise<BenchService> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const authentication: Authentication = {
      mode: 'public-key',
      verifier: createTokenVerifier({ publicKey }, { issuer: ISSUER, audience: AUDIENCE }),
      description: 'benchmark key',
    };
    const app = await createApp(infrastructure, { logger: false, authentication });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new BenchService(app, privateKey);
  }

  token(subject: { id: string; roles: string[]; org: string }): Promise<string> {
    return signToken(this.privateKey, { sub: subject.id, roles: subject.roles, org: subject.org }, { issuer: ISSUER, audience: AUDIENCE });
  }

  /** Runs one GraphQL request in-process; throws on errors. */
  async graphql(token: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const response = await this.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({ query, variables }),
    });
    const body = response.json();
    if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors).slice(0, 400)}`);
    return body.data;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export interface LatencyMeasurement {
  query: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Times `run(0)` … `run(samples - 1)` one after the other and returns p50, p99 and max, after
 * `warmups` unmeasured runs `run(samples)` … `run(samples + warmups - 1)` (a running service has
 * compiled its code paths; the warm-up samples are other than the measured ones, so what the
 * service caches per record does not help the measured ones).
 */
export async function timeQuery(query: string, samples: number, run: (sample: number) => Promise<unknown>, warmups = 2): Promise<LatencyMeasurement> {
  for (let warmup = 0; warmup < warmups; warmup += 1) await run(samples + warmup);
  const durations: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const started = performance.now();
    await run(sample);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return { query, samples, p50Ms: percentile(durations, 0.5), p99Ms: percentile(durations, 0.99), maxMs: durations[durations.length - 1] };
}

export const GRADE_TRACE = `query Trace($recordId: String!) {
  gradeTrace(recordId: $recordId) {
    current { kind outcome { kind grade label } score steps { kind conclusion explanation inputs { eventId globalPosition } } }
    history { kind outcome { kind } }
  }
}`;

export const RECORD_AS_OF = `query AsOf($recordId: String!, $position: String!) {
  recordAsOf(recordId: $recordId, at: { globalPosition: $position }) { status outcome { kind grade } lastGlobalPosition }
}`;

export const REPORT_ROWS = `query Report($reportId: String!) {
  report(reportId: $reportId) { revision rowCount columns { key header } rows(first: 1000) { edges { node { ordinal key cells } } } }
}`;

export const GRADE_SUMMARY = `query Summary($organizationId: String!, $period: String!) {
  gradeSummary(organizationId: $organizationId, period: $period) { organizations records undetermined outcomes { outcomeKind grade count } }
}`;
