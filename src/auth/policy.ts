import type { Role } from './roles.js';

/**
 * How an operation finds the organizations it touches, from its arguments (`path` is dotted, e.g.
 * `input.recordId`). Every target of an operation must lie in the actor's scope.
 *
 * - `none`: no organization (rule sets, the log's integrity): the role alone decides.
 * - `organization`: an organization id; with `absent: 'every'` an absent argument means every
 *   organization, which only a token scoped to `*` covers.
 * - `newOrganization`: registerOrganization — the parent, or the new organization itself for a root.
 * - `record`: an appraisal record `<org>.<person>.<period>` — its organization or its unit (read from
 *   the record's stream); its person for OWN.
 * - `person`: the organization of the person's current post; the person for OWN.
 * - `case`: the case's person, as for `person` (never OWN: a case is not its subject's to read).
 * - `report`: a report `<org>.<period>.<kind>` — its organization.
 * - `assessment`: a unit assessment `<org>.<year>.<scheme>` — its organization.
 * - `stream`: an event stream, by its kind (`appraisal-`, `person-`, `case-`, `cycle-`,
 *   `organization-`, `unit-assessment-`, `report-`; `ruleset-` has none; any other needs `*`).
 */
export type TargetRule =
  | { kind: 'none' }
  | { kind: 'organization'; path: string; absent?: 'every' }
  | { kind: 'newOrganization' }
  | { kind: 'record' | 'person' | 'case' | 'report' | 'assessment' | 'stream'; path: string };

/**
 * SCOPE: every target lies in the subtree of the token's organization (`org`).
 * OWN: every target is the actor's own — the appraised person's records (the record's person is `sub`).
 */
export type Access = 'SCOPE' | 'OWN';

export interface OperationRule {
  /** The GraphQL root type of the field, or `http` for a route outside GraphQL. */
  type: 'Query' | 'Mutation' | 'Subscription' | 'http';
  /** Served without a token. */
  public?: true;
  targets: TargetRule[];
  /** The roles that may run it, and how their scope is checked; any other role is FORBIDDEN. */
  roles: Partial<Record<Role, Access>>;
}

const none: TargetRule = { kind: 'none' };
const organization = (path: string): TargetRule => ({ kind: 'organization', path });
const organizationOrEvery = (path: string): TargetRule => ({ kind: 'organization', path, absent: 'every' });
const record = (path: string): TargetRule => ({ kind: 'record', path });
const person = (path: string): TargetRule => ({ kind: 'person', path });
const report = (path: string): TargetRule => ({ kind: 'report', path });
const assessment = (path: string): TargetRule => ({ kind: 'assessment', path });

const scoped = (...roles: Role[]): Partial<Record<Role, Access>> => Object.fromEntries(roles.map((role) => [role, 'SCOPE' as const]));
const own: Partial<Record<Role, Access>> = { APPRAISED: 'OWN' };

/** Everyone who works on appraisal records inside an organization, and the auditors. */
const RECORD_READERS = scoped('HR', 'UNIT_HEAD', 'SUPERVISING_LEADER', 'HEAD_OF_ORGAN', 'COMMITTEE', 'DISCIPLINE_INSPECTION', 'AUDITOR');
/** Discipline data: measures, investigations, cases and the inspection queries. */
const DISCIPLINE_READERS = scoped('DISCIPLINE_INSPECTION', 'AUDITOR');
const RATERS = scoped('UNIT_HEAD', 'SUPERVISING_LEADER', 'HEAD_OF_ORGAN');
const EVERY_ROLE = scoped('APPRAISED', 'UNIT_HEAD', 'SUPERVISING_LEADER', 'HEAD_OF_ORGAN', 'COMMITTEE', 'HR', 'DISCIPLINE_INSPECTION', 'REGULATOR', 'AUDITOR');

const query = (targets: TargetRule[], roles: Partial<Record<Role, Access>>): OperationRule => ({ type: 'Query', targets, roles });
const mutation = (targets: TargetRule[], roles: Partial<Record<Role, Access>>): OperationRule => ({ type: 'Mutation', targets, roles });

/**
 * Who may run what (the points 1 and 2): one entry per root field of the schema — a test
 * fails when a field has none, and the edge refuses a field without one — plus the HTTP exports.
 */
export const POLICY: Readonly<Record<string, OperationRule>> = {
  // The log (auditors read it and verify it; they write nothing).
  health: { type: 'Query', public: true, targets: [], roles: {} },
  events: query([{ kind: 'stream', path: 'streamId' }], { AUDITOR: 'SCOPE', ...own }),
  verifyIntegrity: query([none], scoped('AUDITOR')),
  logDigest: query([none], scoped('AUDITOR')),
  verifyDigest: query([none], scoped('AUDITOR')),
  accessDenials: query([organizationOrEvery('organizationId')], scoped('AUDITOR')),

  // Rule sets are public norms: anyone signed in reads them; HR publishes them.
  presetRuleSets: query([none], EVERY_ROLE),
  ruleSet: query([none], EVERY_ROLE),
  publishRuleSet: mutation([none], scoped('HR')),
  publishPresetRuleSet: mutation([none], scoped('HR')),

  // Organizations and people: HR.
  registerOrganization: mutation([{ kind: 'newOrganization' }], scoped('HR')),
  renameOrganization: mutation([organization('input.organizationId')], scoped('HR')),
  adoptRuleSet: mutation([organization('input.organizationId')], scoped('HR')),
  registerPerson: mutation([organization('input.organizationId')], scoped('HR')),
  changePost: mutation([person('input.personId'), organization('input.organizationId')], scoped('HR')),
  startProbation: mutation([person('input.personId')], scoped('HR')),
  recordLeave: mutation([person('input.personId')], scoped('HR')),
  startSecondment: mutation([person('input.personId')], scoped('HR')),
  endSecondment: mutation([person('input.personId')], scoped('HR')),
  recordDeparture: mutation([person('input.personId')], scoped('HR')),

  // Cycles: HR opens them.
  cycle: query([organization('organizationId')], scoped('HR', 'UNIT_HEAD', 'SUPERVISING_LEADER', 'HEAD_OF_ORGAN', 'COMMITTEE', 'AUDITOR')),
  openCycle: mutation([organization('input.organizationId')], scoped('HR')),

  // Appraisal records: reads.
  appraisalRecord: query([record('recordId')], { ...RECORD_READERS, REGULATOR: 'SCOPE', ...own }),
  gradeTrace: query([record('recordId')], { ...RECORD_READERS, REGULATOR: 'SCOPE', ...own }),
  recordHistory: query([record('recordId')], { ...RECORD_READERS, ...own }),
  recordAsOf: query([record('recordId')], { ...RECORD_READERS, ...own }),
  recordDiff: query([record('recordId')], { ...RECORD_READERS, ...own }),
  grades: query([organization('organizationId')], RECORD_READERS),
  gradeSummary: query([organization('organizationId')], scoped('HEAD_OF_ORGAN', 'COMMITTEE', 'HR', 'REGULATOR', 'AUDITOR')),
  gradeConsequences: query([person('personId')], { ...scoped('HR', 'HEAD_OF_ORGAN', 'COMMITTEE', 'AUDITOR'), ...own }),

  // Appraisal records: the appraised person.
  submitSelfSummary: mutation([record('input.recordId')], own),
  signOff: mutation([record('input.recordId')], own),
  fileObjection: mutation([record('input.recordId')], own),
  fileAppeal: mutation([record('input.recordId')], own),

  // Appraisal records: raters, for the records of their unit (or organization).
  recordScores: mutation([record('input.recordId')], RATERS),
  recordScoreAdjustment: mutation([record('input.recordId')], RATERS),
  writeComment: mutation([record('input.recordId')], RATERS),
  proposeGrade: mutation([record('input.recordId')], RATERS),
  reviewProposal: mutation([record('input.recordId')], scoped('SUPERVISING_LEADER', 'HEAD_OF_ORGAN', 'COMMITTEE')),

  // Appraisal records: HR runs the procedure around the grade.
  recordDemocraticEvaluation: mutation([record('input.recordId')], scoped('HR', 'COMMITTEE')),
  recordDirectTrigger: mutation([record('input.recordId')], scoped('HR', 'COMMITTEE')),
  recordReceivingOrganizationResult: mutation([record('input.recordId')], scoped('HR')),
  startPublicNotice: mutation([record('input.recordId')], scoped('HR')),
  finalizeGrade: mutation([record('input.recordId')], scoped('HR', 'COMMITTEE')),
  publishResult: mutation([record('input.recordId')], scoped('HR')),
  notifyPerson: mutation([record('input.recordId')], scoped('HR')),
  recordRefusalToSign: mutation([record('input.recordId')], scoped('HR')),

  // Appraisal records: the committee determines and rules; the regulator decides appeals.
  determineGrade: mutation([record('input.recordId')], scoped('COMMITTEE')),
  ruleOnObjection: mutation([record('input.recordId')], scoped('COMMITTEE')),
  correctFlaggedGrade: mutation([record('input.recordId')], scoped('COMMITTEE')),
  decideAppeal: mutation([record('input.recordId')], scoped('REGULATOR')),

  // Discipline: recorded by discipline inspection, read by it and the auditors.
  recordDisciplinaryMeasure: mutation([person('input.personId')], scoped('DISCIPLINE_INSPECTION')),
  liftMeasure: mutation([person('input.personId')], scoped('DISCIPLINE_INSPECTION')),
  revokeMeasure: mutation([person('input.personId')], scoped('DISCIPLINE_INSPECTION')),
  openCase: mutation([person('input.personId')], scoped('DISCIPLINE_INSPECTION')),
  closeCase: mutation([{ kind: 'case', path: 'input.caseId' }], scoped('DISCIPLINE_INSPECTION')),
  peopleUnderDiscipline: query([organizationOrEvery('organizationId')], DISCIPLINE_READERS),
  conflictingGrades: query([organizationOrEvery('organizationId')], DISCIPLINE_READERS),
  gradeActors: query([record('recordId')], DISCIPLINE_READERS),

  // Reports: HR files them; regulators read those of their jurisdiction.
  fileReport: mutation([organization('input.organizationId')], scoped('HR')),
  reports: query([organization('organizationId')], scoped('HR', 'REGULATOR', 'AUDITOR')),
  report: query([report('reportId')], scoped('HR', 'REGULATOR', 'AUDITOR')),
  reportDiff: query([report('reportId')], scoped('HR', 'REGULATOR', 'AUDITOR')),
  exportReport: { type: 'http', targets: [report('reportId')], roles: scoped('HR', 'REGULATOR', 'AUDITOR') },

  // Organizations as subjects of an assessment: HR.
  unitAssessment: query([assessment('assessmentId')], scoped('HR', 'HEAD_OF_ORGAN', 'COMMITTEE', 'AUDITOR')),
  openUnitAssessment: mutation([organization('input.organizationId')], scoped('HR')),
  recordUnitScores: mutation([assessment('input.assessmentId')], scoped('HR')),
  recordUnitBonus: mutation([assessment('input.assessmentId')], scoped('HR')),
  determineUnitResult: mutation([assessment('input.assessmentId')], scoped('HR')),

  // Other systems follow grade changes.
  gradeChanged: { type: 'Subscription', targets: [organization('organizationId')], roles: scoped('HR', 'HEAD_OF_ORGAN', 'COMMITTEE', 'AUDITOR') },
};
