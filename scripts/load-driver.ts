/**
 * A command load for fault tests and `npm run load`: N concurrent clients issue real commands
 * through the application service (organizations, people, leave, a quarterly cycle and each
 * record's scores → proposal → review → determination, a post change and a late measure), each
 * with its own command id, and note every acknowledged one (its promise resolved) with the events
 * it returned. `verifyZeroLoss` then checks the log: every acknowledged command's events present,
 * none twice, every stream's revisions 0..n without a gap.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { AppraisalService } from '../src/application/appraisal-service.js';
import type { RecordCommand } from '../src/appraisal/domain/record.decider.js';
import type { CommandResult } from '../src/command/command-handler.js';
import type { CommandMetadata } from '../src/command/decider.js';
import type { Actor } from '../src/event-store/event.js';
import type { PersonCommand } from '../src/people/domain/person.decider.js';
import { loadPresetRuleSets } from '../src/rule-set/presets.js';
import { NotFoundError } from '../src/shared/errors.js';

/** A command whose promise resolved, with what it returned. */
export interface Acknowledgement {
  commandId: string;
  kind: string;
  streamId: string;
  eventIds: string[];
  replayed: boolean;
  latencyMs: number;
  /** performance.now() when it was acknowledged. */
  at: number;
}

/** A command whose promise rejected. */
export interface Failure {
  commandId: string;
  kind: string;
  message: string;
  latencyMs: number;
  at: number;
}

export interface LoadOptions {
  clients: number;
  /** Prefix of every id the load makes, so runs on one database never collide. */
  runId: string;
  /** Stop issuing commands after this long (in-flight commands still finish). */
  durationMs?: number;
  /** Or when this aborts. */
  signal?: AbortSignal;
  /** People per batch (each batch is its own organization and quarterly cycle). */
  peoplePerBatch?: number;
  /** Pause of a client after a failed command, before it retries it or starts a new batch. */
  pauseAfterFailureMs?: number;
  /**
   * Retry a failed command with the same command id (as a client that got no answer should)
   * until it is acknowledged or the load stops; otherwise the client abandons the batch.
   */
  retryFailedCommands?: boolean;
  onAcknowledged?: (ack: Acknowledgement) => void;
  onFailed?: (failure: Failure) => void;
}

export interface LoadResult {
  acknowledged: Acknowledgement[];
  failures: Failure[];
  seconds: number;
}

const RULE_SET_ID = 'national-current';
const HR: Actor = { id: 'load-hr', role: 'HR', organizationId: 'load' };
const RATER: Actor = { id: 'load-head', role: 'RATER', organizationId: 'load' };
const LEADER: Actor = { id: 'load-leader', role: 'RATER', organizationId: 'load' };
const COMMITTEE: Actor = { id: 'load-committee', role: 'COMMITTEE', organizationId: 'load' };
/** Every command happens on 2025-07-01, 10:00 in Beijing: after 2025Q2, before its records close. */
const NOW = '2025-07-01T02:00:00.000Z';

const nationalCurrent = () => loadPresetRuleSets().find((document) => document.id === RULE_SET_ID)!;

/** Publishes the rule set the load adopts, unless the database has it already. */
export async function prepareLoad(appraisal: AppraisalService, runId: string): Promise<void> {
  try {
    await appraisal.ruleSet(RULE_SET_ID, 1);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await appraisal.publishRuleSet(nationalCurrent(), { commandId: `${runId}/publish-rule-set`, actor: HR, now: NOW });
  }
}

class Stopped extends Error {}

/** Runs the load until the duration passes or the signal aborts; resolves when every client is done. */
export async function runLoad(appraisal: AppraisalService, options: LoadOptions): Promise<LoadResult> {
  const acknowledged: Acknowledgement[] = [];
  const failures: Failure[] = [];
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const stopped = () => options.signal?.aborted === true || performance.now() >= deadline;
  const people = options.peoplePerBatch ?? 4;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.pauseAfterFailureMs ?? 100));
  const indicators = nationalCurrent().scoringSchemes.find((scheme) => scheme.id === 'five-element-100')!.indicators;

  async function client(clientIndex: number): Promise<void> {
    for (let batch = 0; !stopped(); batch += 1) {
      const prefix = `${options.runId}-c${clientIndex}-b${batch}`;
      const issue = async (step: string, kind: string, run: (metadata: CommandMetadata) => Promise<CommandResult>, actor = HR): Promise<void> => {
        if (stopped()) throw new Stopped();
        const commandId = `${prefix}/${step}`;
        for (;;) {
          const issued = performance.now();
          try {
            const result = await run({ commandId, actor, now: NOW });
            const at = performance.now();
            const ack: Acknowledgement = {
              commandId,
              kind,
              streamId: result.streamId,
              eventIds: result.events.map((event) => event.eventId),
              replayed: result.replayed,
              latencyMs: at - issued,
              at,
            };
            acknowledged.push(ack);
            options.onAcknowledged?.(ack);
            return;
          } catch (error) {
            const at = performance.now();
            const failure: Failure = { commandId, kind, message: error instanceof Error ? error.message : String(error), latencyMs: at - issued, at };
            failures.push(failure);
            options.onFailed?.(failure);
            if (!options.retryFailedCommands || stopped()) throw error;
            await pause();
            if (stopped()) throw new Stopped();
          }
        }
      };
      const person = (index: number) => `${prefix}-p${index}`;
      const everyone = Array.from({ length: people }, (_, index) => index);
      const personCommand = (index: number, step: string, command: Omit<PersonCommand, 'metadata'>) =>
        issue(`${step}/p${index}`, command.type, (metadata) => appraisal.personCommand(person(index), { ...command, metadata } as PersonCommand));
      const organizationId = prefix;
      const unitId = `${prefix}-unit`;
      const period = '2025Q2';
      const record = (index: number) => `${organizationId}.${person(index)}.${period}`;
      const recordCommand = <T extends RecordCommand['type']>(index: number, type: T, data: Extract<RecordCommand, { type: T }>['data'], actor: Actor) =>
        issue(`${type}/p${index}`, type, (metadata) => appraisal.recordCommand(record(index), { type, data, metadata } as RecordCommand), actor);

      try {
        await issue('register-organ', 'RegisterOrganization', (metadata) =>
          appraisal.registerOrganization({ organizationId, name: `负载测试机关 ${prefix}`, kind: 'ORGAN' }, metadata),
        );
        await issue('register-unit', 'RegisterOrganization', (metadata) =>
          appraisal.registerOrganization({ organizationId: unitId, name: '综合科', kind: 'UNIT', parentId: organizationId }, metadata),
        );
        await issue('adopt-rule-set', 'AdoptRuleSet', (metadata) =>
          appraisal.adoptRuleSet(organizationId, { year: 2025, ruleSetId: RULE_SET_ID, ruleSetVersion: 1 }, metadata),
        );
        await Promise.all(
          everyone.map((index) =>
            personCommand(index, 'register', {
              type: 'RegisterPerson',
              data: { personId: person(index), name: `干部${index}`, category: 'CIVIL_SERVANT', organizationId: unitId, position: '科员', rank: '一级科员', isSectionHead: false, inPostSince: '2020-03-01' },
            }),
          ),
        );
        // Two leaves of one person at once: a version conflict on its stream, retried by the handler.
        await Promise.all([
          personCommand(0, 'leave-march', { type: 'RecordLeave', data: { kind: 'STATUTORY', from: '2025-03-03', to: '2025-03-05' } }),
          personCommand(0, 'leave-april', { type: 'RecordLeave', data: { kind: 'SICK_OR_PERSONAL', from: '2025-04-07', to: '2025-04-08' } }),
          ...everyone.slice(1).map((index) => personCommand(index, 'leave-march', { type: 'RecordLeave', data: { kind: 'STATUTORY', from: '2025-03-03', to: '2025-03-05' } })),
        ]);
        await issue('open-cycle', 'OpenCycle', (metadata) => appraisal.openCycle({ organizationId, period, personIds: everyone.map(person) }, metadata));
        await Promise.all(
          everyone.map(async (index) => {
            const scores = indicators.map((indicator) => ({ indicatorId: indicator.id, points: indicator.id === 'workload' ? indicator.points - index : indicator.points }));
            // One top grade per cycle (the quota allows more), the rest the next grade.
            const grade = index === 0 ? 'GOOD' : 'FAIRLY_GOOD';
            await recordCommand(index, 'RecordScores', { raterId: RATER.id, raterRole: 'UNIT_HEAD', scores }, RATER);
            await recordCommand(index, 'ProposeGrade', { grade, reason: '' }, RATER);
            await recordCommand(index, 'ReviewProposal', { agrees: true, reason: '' }, LEADER);
            await recordCommand(index, 'DetermineGrade', { grade }, COMMITTEE);
          }),
        );
        await personCommand(0, 'change-post', {
          type: 'ChangePost',
          data: { organizationId: unitId, position: '副科长', rank: '四级主任科员', isSectionHead: false, effectiveDate: '2025-07-01' },
        });
        // A measure after a grade: the late-fact process manager checks each of the person's records.
        await personCommand(people - 1, 'admonition', {
          type: 'RecordDisciplinaryMeasure',
          data: { measureId: `${prefix}-m1`, measure: 'ADMONITION', decisionDate: '2025-06-30', effectiveDate: '2025-06-30', periodMonths: null, termYears: null, authority: '纪检监察组', documentNumber: `诫勉〔2025〕${batch}号`, caseId: null },
        });
      } catch (error) {
        if (error instanceof Stopped) return;
        // The batch is abandoned (its later commands depend on the failed one); a new one starts.
        await pause();
      }
    }
  }

  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  return { acknowledged, failures, seconds: (performance.now() - started) / 1000 };
}

export interface LossReport {
  acknowledgedCommands: number;
  /** Acknowledged commands with none or only some of their events in the log. */
  lost: string[];
  /** Acknowledged commands with more events in the log than they returned, or other events. */
  duplicated: string[];
  /** Event ids stored more than once (the primary key forbids it: a check of the check). */
  duplicateEventIds: string[];
  /** Streams whose revisions are not exactly 0..n-1. */
  streamsWithGaps: string[];
  events: number;
  streams: number;
}

/** Checks the log against what the clients were told. */
export async function verifyZeroLoss(db: Pick<pg.Pool, 'query'>, acknowledged: Acknowledgement[]): Promise<LossReport> {
  const stored = new Map<string, string[]>();
  const ids = [...new Set(acknowledged.map((ack) => ack.commandId))];
  for (let start = 0; start < ids.length; start += 5000) {
    const result = await db.query<{ command_id: string; event_ids: string[] }>(
      'SELECT command_id, array_agg(event_id::text ORDER BY global_position) AS event_ids FROM events WHERE command_id = ANY($1::text[]) GROUP BY command_id',
      [ids.slice(start, start + 5000)],
    );
    for (const row of result.rows) stored.set(row.command_id, row.event_ids);
  }
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const ack of acknowledged) {
    const found = new Set(stored.get(ack.commandId) ?? []);
    if (ack.eventIds.some((eventId) => !found.has(eventId))) lost.push(ack.commandId);
    else if (found.size !== ack.eventIds.length || (stored.get(ack.commandId)?.length ?? 0) !== ack.eventIds.length) duplicated.push(ack.commandId);
  }
  const duplicateEventIds = await db.query<{ event_id: string }>('SELECT event_id::text FROM events GROUP BY event_id HAVING count(*) > 1');
  const gaps = await db.query<{ stream_id: string }>(
    `SELECT stream_id FROM events GROUP BY stream_id
      HAVING min(stream_revision) <> 0 OR max(stream_revision) <> count(*) - 1 OR count(DISTINCT stream_revision) <> count(*)`,
  );
  const totals = await db.query<{ events: string; streams: string }>('SELECT count(*) AS events, count(DISTINCT stream_id) AS streams FROM events');
  return {
    acknowledgedCommands: acknowledged.length,
    lost,
    duplicated,
    duplicateEventIds: duplicateEventIds.rows.map((row) => row.event_id),
    streamsWithGaps: gaps.rows.map((row) => row.stream_id),
    events: Number(totals.rows[0].events),
    streams: Number(totals.rows[0].streams),
  };
}

/** The latency below which `fraction` of the values lie (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
