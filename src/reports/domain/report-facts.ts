import type { Participation } from '../../appraisal/domain/participation.js';
import type { RecordEvent } from '../../appraisal/domain/record.events.js';
import type { GradeCode, Outcome, PeriodKind, PersonCategory } from '../../appraisal/domain/vocabulary.js';
import type { MeasureData } from '../../people/domain/discipline-record.js';
import type { PersonRegistered, PostChanged } from '../../people/domain/person.decider.js';
import type { DisciplineEvent } from '../../people/domain/discipline-record.js';

/**
 * What the reports read of an appraisal record, kept current by `evolveRecordFacts`. Reports are
 * computed from these facts as they stood at the event that caused each revision.
 */
export interface RecordFacts {
  recordId: string;
  organizationId: string;
  unitId: string;
  personId: string;
  period: string;
  periodKind: PeriodKind;
  category: PersonCategory;
  participation: Participation;
  ruleSetId: string;
  ruleSetVersion: number;
  /** The current outcome (determined, finalised, revised or backfilled); null while undetermined. */
  outcome: Outcome | null;
  proposedGrade: GradeCode | null;
  democratic: { voters: number; votes: Record<GradeCode, number> | null } | null;
  /** The case whose closing backfilled the grade (补定), or left it ungraded for good. */
  caseSettlement: { caseId: string; caseOutcome: string; backfilled: boolean } | null;
  /** The latest objection (复核) and its ruling. */
  objection: { ruling: 'PENDING' | 'UPHELD' | 'REVISED' } | null;
  /** A correction of the grade after a late-recorded fact. */
  corrected: boolean;
}

type RecordEventOf<Type extends RecordEvent['type']> = Extract<RecordEvent, { type: Type }>;

/** The facts of a newly opened record. */
export function openedRecordFacts(data: RecordEventOf<'RecordOpened'>['data']): RecordFacts {
  return {
    recordId: data.recordId,
    organizationId: data.organizationId,
    unitId: data.unitId,
    personId: data.personId,
    period: data.period,
    periodKind: data.periodKind,
    category: data.category,
    participation: data.participation,
    ruleSetId: data.ruleSetId,
    ruleSetVersion: data.ruleSetVersion,
    outcome: null,
    proposedGrade: null,
    democratic: null,
    caseSettlement: null,
    objection: null,
    corrected: false,
  };
}

/**
 * The record's facts after one of its events, or undefined when the event changes nothing the
 * reports read (self summaries, scores, comments, notices, sign-offs …).
 */
export function evolveRecordFacts(facts: RecordFacts, event: Pick<RecordEvent, 'type' | 'data'>): RecordFacts | undefined {
  const { type, data } = event as RecordEvent;
  switch (type) {
    case 'GradeProposed':
      return { ...facts, proposedGrade: (data as RecordEventOf<'GradeProposed'>['data']).grade };
    case 'DemocraticEvaluationRecorded': {
      const evaluation = data as RecordEventOf<'DemocraticEvaluationRecorded'>['data'];
      return { ...facts, democratic: { voters: evaluation.voters, votes: evaluation.votes } };
    }
    case 'GradeDetermined':
      return { ...facts, outcome: (data as RecordEventOf<'GradeDetermined'>['data']).outcome };
    case 'GradeFinalized':
      return { ...facts, outcome: (data as RecordEventOf<'GradeFinalized'>['data']).outcome };
    case 'ObjectionFiled':
      return { ...facts, objection: { ruling: 'PENDING' } };
    case 'ObjectionRuled':
      // A REVISED ruling comes with its GradeRevised, which records both: one reissue, not two.
      return (data as RecordEventOf<'ObjectionRuled'>['data']).ruling === 'UPHELD' ? { ...facts, objection: { ruling: 'UPHELD' } } : undefined;
    case 'GradeRevised': {
      const revised = data as RecordEventOf<'GradeRevised'>['data'];
      return {
        ...facts,
        outcome: revised.to,
        objection: revised.cause === 'OBJECTION' ? { ruling: 'REVISED' } : facts.objection,
        corrected: facts.corrected || revised.cause === 'CORRECTION',
      };
    }
    case 'GradeBackfilled': {
      const backfill = data as RecordEventOf<'GradeBackfilled'>['data'];
      return { ...facts, outcome: backfill.outcome, caseSettlement: { caseId: backfill.caseId, caseOutcome: backfill.caseOutcome, backfilled: true } };
    }
    case 'RecordLeftUngraded': {
      const ungraded = data as RecordEventOf<'RecordLeftUngraded'>['data'];
      return {
        ...facts,
        outcome: { kind: 'WITHHELD_INVESTIGATION', reason: ungraded.reason },
        caseSettlement: { caseId: ungraded.caseId, caseOutcome: ungraded.caseOutcome, backfilled: false },
      };
    }
    default:
      return undefined;
  }
}

/** A post the person held from `effectiveDate` on. */
export interface PostFact {
  effectiveDate: string;
  organizationId: string;
  position: string;
  rank: string;
}

export interface MeasureFact extends Omit<MeasureData, 'authority' | 'documentNumber' | 'caseId'> {
  liftedOn: string | null;
  revoked: boolean;
}

/** What the reports read of a person: name, category, posts over time and disciplinary measures. */
export interface PersonFacts {
  personId: string;
  name: string;
  category: PersonCategory;
  posts: PostFact[];
  measures: MeasureFact[];
}

export type PersonFactEvent = PersonRegistered | PostChanged | DisciplineEvent;

export function registeredPersonFacts(data: PersonRegistered['data']): PersonFacts {
  return {
    personId: data.personId,
    name: data.name,
    category: data.category,
    posts: [{ effectiveDate: data.inPostSince, organizationId: data.organizationId, position: data.position, rank: data.rank }],
    measures: [],
  };
}

/** The person's facts after one of their events, or undefined when the event changes nothing the reports read. */
export function evolvePersonFacts(facts: PersonFacts, event: Pick<PersonFactEvent, 'type' | 'data'>): PersonFacts | undefined {
  const { type, data } = event as PersonFactEvent;
  switch (type) {
    case 'PostChanged': {
      const post = data as PostChanged['data'];
      const posts = [...facts.posts, { effectiveDate: post.effectiveDate, organizationId: post.organizationId, position: post.position, rank: post.rank }];
      return { ...facts, posts: posts.sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate)) };
    }
    case 'PenaltyImposed':
    case 'AdmonitionIssued':
    case 'OrganizationalActionTaken':
    case 'EfficiencyWarningIssued': {
      const measure = data as MeasureData;
      return {
        ...facts,
        measures: [
          ...facts.measures,
          {
            measureId: measure.measureId,
            measure: measure.measure,
            decisionDate: measure.decisionDate,
            effectiveDate: measure.effectiveDate,
            periodMonths: measure.periodMonths,
            termYears: measure.termYears,
            liftedOn: null,
            revoked: false,
          },
        ],
      };
    }
    case 'MeasureLifted': {
      const { measureId, date } = data as { measureId: string; date: string };
      return { ...facts, measures: facts.measures.map((measure) => (measure.measureId === measureId ? { ...measure, liftedOn: date } : measure)) };
    }
    case 'MeasureRevoked': {
      const { measureId } = data as { measureId: string };
      return { ...facts, measures: facts.measures.map((measure) => (measure.measureId === measureId ? { ...measure, revoked: true } : measure)) };
    }
    default:
      return undefined;
  }
}

/** The post in force on `date`: the latest one that took effect on or before it, else the first. */
export function postOn(facts: PersonFacts, date: string): PostFact | undefined {
  const inForce = facts.posts.filter((post) => post.effectiveDate <= date);
  return inForce.at(-1) ?? facts.posts[0];
}
