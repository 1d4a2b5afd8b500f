import { scaleFor } from '../appraisal/domain/derive-grade.js';
import { recordDecider } from '../appraisal/domain/record.decider.js';
import type { RecordEvent } from '../appraisal/domain/record.events.js';
import type { TraceStep, TraceStepKind } from '../appraisal/domain/trace.js';
import type { Outcome } from '../appraisal/domain/vocabulary.js';
import { cycleDecider, cycleStreamId } from '../cycle/domain/cycle.decider.js';
import type { RecordedEvent } from '../event-store/event.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { RuleSetDocument } from '../rule-set/domain/rule-set.js';
import { unitAssessmentDecider, type UnitAssessmentEvent } from '../unit-assessment/domain/unit-assessment.decider.js';
import { NotFoundError } from '../shared/errors.js';
import { foldEvents } from '../command/command-handler.js';
import { loadStream } from './stream-state.js';

/** A moment to look back at: a recorded (system) time, a global position, or now when both are absent. */
export interface AsOf {
  recordedAt?: string;
  globalPosition?: bigint;
}

function isBefore(event: RecordedEvent, at: AsOf): boolean {
  if (at.globalPosition !== undefined && event.globalPosition > at.globalPosition) return false;
  if (at.recordedAt !== undefined && Date.parse(event.recordedAt) > Date.parse(at.recordedAt)) return false;
  return true;
}

function describeAsOf(at: AsOf): string {
  return [at.recordedAt, at.globalPosition === undefined ? undefined : `position ${at.globalPosition}`].filter(Boolean).join(', ');
}

/** Chinese names of the derivation steps, for reviewers. */
export const TRACE_STEP_LABELS: Record<TraceStepKind, string> = {
  PARTICIPATION: '参加考核情况',
  DISCIPLINE: '处分及组织处理影响',
  DIRECT_DETERMINATION: '直接确定等次情形',
  SCORE: '量化评分',
  BAND: '分数段对应等次',
  ANNUAL_LINKAGE: '平时考核结果运用',
  EXCELLENT_RATE: '年度考核优秀率',
  QUOTA: '优秀（好）等次比例限额',
  DETERMINATION: '确定等次',
};

const NON_GRADE_LABELS: Record<Exclude<Outcome['kind'], 'GRADE'>, string> = {
  WITHHELD_INVESTIGATION: '不写评语、不定等次（立案审查调查期间）',
  COMMENT_ONLY: '只写评语、不定等次',
  NOT_PARTICIPATING: '未参加考核',
};

export interface LabelledOutcome {
  kind: Outcome['kind'];
  grade: string | null;
  reason: string | null;
  /** The grade's or the outcome's Chinese label. */
  label: string;
}

export interface TracedDetermination {
  eventId: string;
  globalPosition: string;
  recordedAt: string;
  kind: 'DETERMINED' | 'REVISED' | 'BACKFILLED';
  determinedBy: string;
  outcome: LabelledOutcome;
  score: number | null;
  suggestedGrade: string | null;
  ruleSet: { id: string; version: number; name: string };
  steps: (TraceStep & { kindLabel: string })[];
}

export interface GradeTrace {
  recordId: string;
  /** The determination or revision in force. */
  current: TracedDetermination | null;
  /** Every determination and revision, oldest first. */
  history: TracedDetermination[];
}

/**
 * Reads the appraisal from the log itself (replaying the streams), so every answer can be
 * reproduced from the events; read models for lists and reports come with the read side.
 */
export class AppraisalQueries {
  constructor(
    private readonly store: EventStore,
    private readonly ruleSet: (id: string, version: number) => Promise<RuleSetDocument>,
  ) {}

  labelOutcome(ruleSet: RuleSetDocument, periodKind: 'QUARTERLY' | 'MONTHLY' | 'ANNUAL', category: Parameters<typeof scaleFor>[2], outcome: Outcome): LabelledOutcome {
    if (outcome.kind !== 'GRADE') return { kind: outcome.kind, grade: null, reason: outcome.reason, label: `${NON_GRADE_LABELS[outcome.kind]}（${outcome.reason}）` };
    const label = scaleFor(ruleSet, { kind: periodKind }, category)?.grades.find((grade) => grade.code === outcome.grade)?.label ?? outcome.grade;
    return { kind: 'GRADE', grade: outcome.grade, reason: null, label };
  }

  async gradeTrace(recordId: string): Promise<GradeTrace> {
    const { state, events } = await loadStream(this.store, recordDecider, `appraisal-${recordId}`);
    if (!state.opened) throw new NotFoundError('appraisal record', recordId);
    const opened = state.opened;
    const ruleSet = await this.ruleSet(opened.ruleSetId, opened.ruleSetVersion);
    const history: TracedDetermination[] = [];
    let determinedBy = '';
    for (const event of events as (RecordedEvent & RecordEvent)[]) {
      if (event.type === 'GradeDetermined') determinedBy = event.data.determinedBy;
      if (event.type !== 'GradeDetermined' && event.type !== 'GradeRevised' && event.type !== 'GradeBackfilled') continue;
      const outcome = event.type === 'GradeRevised' ? event.data.to : event.data.outcome;
      history.push({
        eventId: event.eventId,
        globalPosition: event.globalPosition.toString(),
        recordedAt: event.recordedAt,
        kind: event.type === 'GradeDetermined' ? 'DETERMINED' : event.type === 'GradeBackfilled' ? 'BACKFILLED' : 'REVISED',
        determinedBy: event.type === 'GradeDetermined' ? event.data.determinedBy : event.metadata.actor.id || determinedBy,
        outcome: this.labelOutcome(ruleSet, opened.periodKind, opened.category, outcome),
        score: event.data.score,
        suggestedGrade: event.type === 'GradeDetermined' ? event.data.suggestedGrade : null,
        ruleSet: { id: ruleSet.id, version: ruleSet.version, name: ruleSet.name },
        steps: event.data.trace.map((step) => ({ ...step, kindLabel: TRACE_STEP_LABELS[step.kind] })),
      });
    }
    return { recordId, current: history[history.length - 1] ?? null, history };
  }

  /** The record as it stands now. */
  record(recordId: string) {
    return this.recordAsOf(recordId, {});
  }

  /**
   * The record as it stood at a moment, rebuilt by replaying its stream up to that moment: a
   * recorded (system) time, or a global position in the log. Nothing is read from a projection.
   */
  async recordAsOf(recordId: string, at: AsOf) {
    const everything = await this.store.readStream(`appraisal-${recordId}`);
    const events = everything.filter((event) => isBefore(event, at));
    const state = foldEvents(recordDecider, events);
    if (!state.opened) {
      throw new NotFoundError('appraisal record', everything.length > 0 ? `${recordId} as of ${describeAsOf(at)}` : recordId);
    }
    const opened = state.opened;
    const ruleSet = await this.ruleSet(opened.ruleSetId, opened.ruleSetVersion);
    return {
      recordId,
      cycleId: opened.cycleId,
      organizationId: opened.organizationId,
      unitId: opened.unitId,
      personId: opened.personId,
      period: opened.period,
      periodKind: opened.periodKind,
      category: opened.category,
      participation: opened.participation,
      status: state.status,
      outcome: state.outcome ? this.labelOutcome(ruleSet, opened.periodKind, opened.category, state.outcome) : null,
      publicNoticeFinalFrom: state.notice?.finalFrom ?? null,
      publishedOn: state.published?.publishedOn ?? null,
      signedOff: state.signedOff,
      objectionStatus: (state.objection ? (state.objection.ruledOn ? 'RULED' : 'PENDING') : 'NONE') as 'NONE' | 'PENDING' | 'RULED',
      appealStatus: (state.appeal ? (state.appeal.decided ? 'DECIDED' : 'PENDING') : 'NONE') as 'NONE' | 'PENDING' | 'DECIDED',
      ruleSet: { id: ruleSet.id, version: ruleSet.version, name: ruleSet.name },
      lastGlobalPosition: events.length ? events[events.length - 1].globalPosition.toString() : null,
      lastRecordedAt: events.length ? events[events.length - 1].recordedAt : null,
      flags: events
        .filter((event) => event.type === 'GradeFlagged')
        .map((event) => ({
          factEventId: String(event.data.factEventId),
          factType: String(event.data.factType),
          code: String(event.data.code),
          reason: String(event.data.reason),
          resolved: !state.openFlags.includes(String(event.data.factEventId)),
        })),
    };
  }

  async cycle(organizationId: string, period: string) {
    const { state } = await loadStream(this.store, cycleDecider, cycleStreamId(organizationId, period));
    if (state.status === 'NONE') throw new NotFoundError('cycle', `${organizationId}.${period}`);
    return {
      cycleId: state.cycleId!,
      organizationId,
      period,
      status: state.status,
      participants: state.participants,
      topGradesReserved: Object.keys(state.reservations).length,
    };
  }

  async unitAssessment(assessmentId: string) {
    const { state, events } = await loadStream(this.store, unitAssessmentDecider, `unit-assessment-${assessmentId}`);
    if (!state.opened) throw new NotFoundError('unit assessment', assessmentId);
    const determined = events.find((event) => event.type === 'UnitResultDetermined') as (RecordedEvent & Extract<UnitAssessmentEvent, { type: 'UnitResultDetermined' }>) | undefined;
    return {
      ...state.opened,
      status: state.status,
      result: determined
        ? {
            result: determined.data.result,
            label: determined.data.resultLabel,
            score: determined.data.score,
            eventId: determined.eventId,
            steps: determined.data.trace.map((step) => ({ ...step, kindLabel: TRACE_STEP_LABELS[step.kind] })),
          }
        : null,
    };
  }

  /** What changed in the record between two moments: the fields that differ and the events that changed them. */
  async recordDiff(recordId: string, from: AsOf, to: AsOf) {
    const [before, after] = await Promise.all([this.recordAsOf(recordId, from), this.recordAsOf(recordId, to)]);
    const changes = (Object.keys(after) as (keyof typeof after)[])
      .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      .map((field) => ({ field, before: before[field] as unknown, after: after[field] as unknown }));
    const events = (await this.store.readStream(`appraisal-${recordId}`)).filter((event) => !isBefore(event, from) && isBefore(event, to));
    return { recordId, from: before, to: after, changes, events };
  }
}
