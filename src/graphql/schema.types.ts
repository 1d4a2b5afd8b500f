
/*
 * -------------------------------------------------------
 * THIS FILE WAS AUTOMATICALLY GENERATED (DO NOT MODIFY)
 * -------------------------------------------------------
 */

/* tslint:disable */
/* eslint-disable */

// Generated from schema/*.graphql by scripts/generate-graphql-types.mjs. Do not edit.
export type AccessDenialReason = "ROLE_NOT_HELD" | "ROLE_NOT_ALLOWED" | "OUTSIDE_SCOPE" | "NOT_OWN_RECORD" | "NO_ACCESS_RULE";
export type RaterRole = "SUPERIOR" | "PEER" | "SUBORDINATE" | "COLLEAGUE" | "UNIT_HEAD";
export type AdjustmentKind = "BONUS" | "DEDUCTION";
export type Ruling = "UPHELD" | "REVISED";
export type NotificationMethod = "WRITTEN" | "IN_PERSON";
export type DirectTrigger = "COMMENDATION" | "OUTSTANDING_IN_URGENT_TASK" | "REFUSED_ORDERS_AT_CRITICAL_MOMENT" | "SERIOUS_PARTY_WARNING_OR_HEAVIER";
export type RecordStatus = "NONE" | "OPEN" | "AWAITING_NOTICE" | "FINAL" | "PUBLISHED";
export type OutcomeKind = "GRADE" | "WITHHELD_INVESTIGATION" | "COMMENT_ONLY" | "NOT_PARTICIPATING";
export type ObjectionStatus = "NONE" | "PENDING" | "RULED";
export type AppealStatus = "NONE" | "PENDING" | "DECIDED";
export type DeterminationKind = "DETERMINED" | "REVISED" | "BACKFILLED";
export type TraceStepKind = "PARTICIPATION" | "DISCIPLINE" | "DIRECT_DETERMINATION" | "SCORE" | "BAND" | "ANNUAL_LINKAGE" | "EXCELLENT_RATE" | "QUOTA" | "DETERMINATION";
export type GradeHistoryKind = "DETERMINED" | "REVISED" | "BACKFILLED" | "LEFT_UNGRADED";
export type PeriodKind = "QUARTERLY" | "MONTHLY" | "ANNUAL";
export type SubjectRole = "SECTION_HEAD" | "STAFF";
export type ParticipationOutcome = "GRADED" | "COMMENT_ONLY" | "NOT_PARTICIPATING";
export type CycleStatus = "NONE" | "OPEN" | "CLOSED";
export type DigestProblem = "MALFORMED_DIGEST" | "UNKNOWN_KEY_ID" | "BAD_SIGNATURE" | "LOG_SHORTER" | "CHAIN_HASH_DIFFERS" | "LOG_ALTERED";
export type MeasureCode = "GOVERNMENT_WARNING" | "GOVERNMENT_DEMERIT" | "GOVERNMENT_MAJOR_DEMERIT" | "GOVERNMENT_DEMOTION" | "GOVERNMENT_REMOVAL" | "GOVERNMENT_DISMISSAL" | "PARTY_WARNING" | "PARTY_SERIOUS_WARNING" | "PARTY_POST_REMOVAL" | "PARTY_PROBATION" | "PARTY_EXPULSION" | "ADMONITION" | "ORGANIZATIONAL_ADJUSTMENT" | "ORGANIZATIONAL_RESIGNATION" | "ORGANIZATIONAL_REMOVAL" | "ORGANIZATIONAL_DEMOTION" | "EFFICIENCY_WARNING";
export type CaseOutcome = "NO_PENALTY" | "EXEMPTED" | "WARNING" | "HEAVIER";
export type GradeChangeKind = "NEW" | "REVISED" | "BACKFILLED" | "FLAGGED";
export type OrganizationKind = "ORGAN" | "UNIT";
export type PersonCategory = "CIVIL_SERVANT" | "REFERENCE_MANAGED" | "PUBLIC_INSTITUTION" | "OTHER";
export type LeaveKind = "SICK_OR_PERSONAL" | "STATUTORY" | "WORK_INJURY";
export type DepartureReason = "LEFT" | "RETIRED" | "DIED" | "DISMISSED";
export type ReportKind = "QUARTERLY_FILING" | "QUARTERLY_SUMMARY" | "REGISTRATION_SUMMARY" | "ANNUAL_REGISTRATION" | "ROSTER" | "SANCTIONED_LIST";
export type UnitAssessmentStatus = "NONE" | "OPEN" | "DETERMINED";

export interface AsOfInput {
    recordedAt?: Nullable<string>;
    globalPosition?: Nullable<string>;
}

export interface SubmitSelfSummaryInput {
    commandId?: Nullable<string>;
    recordId: string;
    text: string;
    attendance: AttendanceInput;
}

export interface AttendanceInput {
    daysPresent: number;
    sickLeaveDays: number;
    personalLeaveDays: number;
    lateCount: number;
    earlyLeaveCount: number;
    trainings: string[];
}

export interface RecordScoresInput {
    commandId?: Nullable<string>;
    recordId: string;
    raterId: string;
    raterRole: RaterRole;
    scores: IndicatorScoreInput[];
}

export interface IndicatorScoreInput {
    indicatorId: string;
    points: number;
}

export interface RecordScoreAdjustmentInput {
    commandId?: Nullable<string>;
    recordId: string;
    kind: AdjustmentKind;
    matter: string;
    points: number;
    basis: string;
}

export interface WriteCommentInput {
    commandId?: Nullable<string>;
    recordId: string;
    text: string;
}

export interface RecordDemocraticEvaluationInput {
    commandId?: Nullable<string>;
    recordId: string;
    voters: number;
    votes?: Nullable<GradeVotesInput[]>;
    averageScore?: Nullable<number>;
}

export interface GradeVotesInput {
    grade: string;
    votes: number;
}

export interface RecordDirectTriggerInput {
    commandId?: Nullable<string>;
    recordId: string;
    trigger: DirectTrigger;
    basis: string;
}

export interface ProposeGradeInput {
    commandId?: Nullable<string>;
    recordId: string;
    grade: string;
    reason: string;
}

export interface ReviewProposalInput {
    commandId?: Nullable<string>;
    recordId: string;
    agrees: boolean;
    grade?: Nullable<string>;
    reason: string;
}

export interface DetermineGradeInput {
    commandId?: Nullable<string>;
    recordId: string;
    grade?: Nullable<string>;
}

export interface RecordReceivingOrganizationResultInput {
    commandId?: Nullable<string>;
    recordId: string;
    receivingOrganizationId: string;
    grade: string;
    document: string;
}

export interface StartPublicNoticeInput {
    commandId?: Nullable<string>;
    recordId: string;
    startDate: string;
}

export interface FinalizeGradeInput {
    commandId?: Nullable<string>;
    recordId: string;
}

export interface PublishResultInput {
    commandId?: Nullable<string>;
    recordId: string;
}

export interface NotifyPersonInput {
    commandId?: Nullable<string>;
    recordId: string;
    method: NotificationMethod;
}

export interface SignOffInput {
    commandId?: Nullable<string>;
    recordId: string;
    agrees: boolean;
    opinion: string;
}

export interface RecordRefusalToSignInput {
    commandId?: Nullable<string>;
    recordId: string;
    note: string;
}

export interface FileObjectionInput {
    commandId?: Nullable<string>;
    recordId: string;
    reasons: string;
}

export interface RuleOnObjectionInput {
    commandId?: Nullable<string>;
    recordId: string;
    ruling: Ruling;
    grade?: Nullable<string>;
    reasons: string;
}

export interface FileAppealInput {
    commandId?: Nullable<string>;
    recordId: string;
    reasons: string;
}

export interface CorrectFlaggedGradeInput {
    commandId?: Nullable<string>;
    recordId: string;
    grade?: Nullable<string>;
    reasons: string;
}

export interface DecideAppealInput {
    commandId?: Nullable<string>;
    recordId: string;
    decision: Ruling;
    grade?: Nullable<string>;
    reasons: string;
    authority: string;
}

export interface OpenCycleInput {
    commandId?: Nullable<string>;
    organizationId: string;
    period: string;
    personIds: string[];
}

export interface LogDigestInput {
    format: string;
    sealPosition: string;
    globalPosition: string;
    eventId: string;
    chainHash: string;
    signedAt: string;
    keyId: string;
    signature: string;
}

export interface RecordDisciplinaryMeasureInput {
    commandId?: Nullable<string>;
    personId: string;
    measureId: string;
    measure: MeasureCode;
    decisionDate: string;
    effectiveDate: string;
    periodMonths?: Nullable<number>;
    termYears?: Nullable<number>;
    authority: string;
    documentNumber: string;
    caseId?: Nullable<string>;
}

export interface LiftMeasureInput {
    commandId?: Nullable<string>;
    personId: string;
    measureId: string;
    date: string;
}

export interface RevokeMeasureInput {
    commandId?: Nullable<string>;
    personId: string;
    measureId: string;
    date: string;
    reason: string;
}

export interface OpenCaseInput {
    commandId?: Nullable<string>;
    caseId: string;
    personId: string;
    openedOn: string;
    authority: string;
}

export interface CasePenaltyInput {
    measureId: string;
    measure: MeasureCode;
    decisionDate: string;
    effectiveDate: string;
    periodMonths?: Nullable<number>;
    termYears?: Nullable<number>;
    authority: string;
    documentNumber: string;
}

export interface CloseCaseInput {
    commandId?: Nullable<string>;
    caseId: string;
    closedOn: string;
    outcome: CaseOutcome;
    penalty?: Nullable<CasePenaltyInput>;
}

export interface RegisterOrganizationInput {
    commandId?: Nullable<string>;
    organizationId: string;
    name: string;
    kind: OrganizationKind;
    parentId?: Nullable<string>;
}

export interface RenameOrganizationInput {
    commandId?: Nullable<string>;
    organizationId: string;
    name: string;
}

export interface AdoptRuleSetInput {
    commandId?: Nullable<string>;
    organizationId: string;
    year: number;
    ruleSetId: string;
    ruleSetVersion: number;
    reason?: Nullable<string>;
}

export interface RegisterPersonInput {
    commandId?: Nullable<string>;
    personId: string;
    name: string;
    category: PersonCategory;
    organizationId: string;
    position: string;
    rank: string;
    isSectionHead: boolean;
    inPostSince: string;
}

export interface ChangePostInput {
    commandId?: Nullable<string>;
    personId: string;
    organizationId: string;
    position: string;
    rank: string;
    isSectionHead: boolean;
    effectiveDate: string;
}

export interface StartProbationInput {
    commandId?: Nullable<string>;
    personId: string;
    startDate: string;
    endDate: string;
}

export interface RecordLeaveInput {
    commandId?: Nullable<string>;
    personId: string;
    kind: LeaveKind;
    from: string;
    to: string;
}

export interface StartSecondmentInput {
    commandId?: Nullable<string>;
    personId: string;
    receivingOrganizationId: string;
    from: string;
    to?: Nullable<string>;
}

export interface EndSecondmentInput {
    commandId?: Nullable<string>;
    personId: string;
    date: string;
}

export interface RecordDepartureInput {
    commandId?: Nullable<string>;
    personId: string;
    reason: DepartureReason;
    date: string;
}

export interface FileReportInput {
    commandId?: Nullable<string>;
    organizationId: string;
    period: string;
    kind: ReportKind;
}

export interface PublishRuleSetInput {
    commandId?: Nullable<string>;
    document: JSON;
}

export interface PublishPresetRuleSetInput {
    commandId?: Nullable<string>;
    id: string;
}

export interface OpenUnitAssessmentInput {
    commandId?: Nullable<string>;
    organizationId: string;
    year: number;
    schemeId: string;
    scaleId: string;
}

export interface RecordUnitScoresInput {
    commandId?: Nullable<string>;
    assessmentId: string;
    raterId: string;
    scores: IndicatorScoreInput[];
}

export interface RecordUnitBonusInput {
    commandId?: Nullable<string>;
    assessmentId: string;
    matter: string;
    points: number;
    basis: string;
}

export interface DetermineUnitResultInput {
    commandId?: Nullable<string>;
    assessmentId: string;
}

export interface IQuery {
    accessDenials(organizationId?: Nullable<string>, after?: Nullable<string>, first?: Nullable<number>): AccessDenialConnection | Promise<AccessDenialConnection>;
    appraisalRecord(recordId: string): AppraisalRecord | Promise<AppraisalRecord>;
    recordHistory(recordId: string, after?: Nullable<string>, first?: Nullable<number>): EventConnection | Promise<EventConnection>;
    recordAsOf(recordId: string, at: AsOfInput): AppraisalRecord | Promise<AppraisalRecord>;
    recordDiff(recordId: string, from: AsOfInput, to: AsOfInput): RecordDiff | Promise<RecordDiff>;
    gradeTrace(recordId: string): GradeTrace | Promise<GradeTrace>;
    grades(organizationId: string, period: string, after?: Nullable<string>, first?: Nullable<number>): GradeViewConnection | Promise<GradeViewConnection>;
    gradeConsequences(personId: string): GradeConsequence[] | Promise<GradeConsequence[]>;
    cycle(organizationId: string, period: string): Cycle | Promise<Cycle>;
    logDigest(sealPosition?: Nullable<string>): LogDigest | Promise<LogDigest>;
    verifyDigest(digest: LogDigestInput): DigestVerification | Promise<DigestVerification>;
    health(): Health | Promise<Health>;
    events(streamId: string, after?: Nullable<string>, first?: Nullable<number>): EventConnection | Promise<EventConnection>;
    verifyIntegrity(): IntegrityReport | Promise<IntegrityReport>;
    peopleUnderDiscipline(from: string, to: string, organizationId?: Nullable<string>, after?: Nullable<string>, first?: Nullable<number>): PersonUnderDisciplineConnection | Promise<PersonUnderDisciplineConnection>;
    conflictingGrades(organizationId?: Nullable<string>, after?: Nullable<string>, first?: Nullable<number>): ConflictingGradeConnection | Promise<ConflictingGradeConnection>;
    gradeActors(recordId: string): GradeActors | Promise<GradeActors>;
    reports(organizationId: string, period?: Nullable<string>, kind?: Nullable<ReportKind>, after?: Nullable<string>, first?: Nullable<number>): ReportConnection | Promise<ReportConnection>;
    report(reportId: string, revision?: Nullable<number>): ReportRevision | Promise<ReportRevision>;
    reportDiff(reportId: string, fromRevision: number, toRevision: number): ReportRevisionDiff | Promise<ReportRevisionDiff>;
    presetRuleSets(): RuleSetSummary[] | Promise<RuleSetSummary[]>;
    ruleSet(id: string, version: number): JSON | Promise<JSON>;
    gradeSummary(organizationId: string, period: string): GradeSummary | Promise<GradeSummary>;
    unitAssessment(assessmentId: string): UnitAssessment | Promise<UnitAssessment>;
}

export interface AccessDenial {
    position: string;
    deniedAt: string;
    actorId: string;
    actorRole: string;
    actorOrganizationId: string;
    operation: string;
    target?: Nullable<string>;
    targetOrganizationIds: string[];
    reason: AccessDenialReason;
    message: string;
}

export interface AccessDenialEdge {
    cursor: string;
    node: AccessDenial;
}

export interface AccessDenialConnection {
    edges: AccessDenialEdge[];
    pageInfo: PageInfo;
}

export interface IMutation {
    submitSelfSummary(input: SubmitSelfSummaryInput): CommandOutcome | Promise<CommandOutcome>;
    recordScores(input: RecordScoresInput): CommandOutcome | Promise<CommandOutcome>;
    recordScoreAdjustment(input: RecordScoreAdjustmentInput): CommandOutcome | Promise<CommandOutcome>;
    writeComment(input: WriteCommentInput): CommandOutcome | Promise<CommandOutcome>;
    recordDemocraticEvaluation(input: RecordDemocraticEvaluationInput): CommandOutcome | Promise<CommandOutcome>;
    recordDirectTrigger(input: RecordDirectTriggerInput): CommandOutcome | Promise<CommandOutcome>;
    proposeGrade(input: ProposeGradeInput): CommandOutcome | Promise<CommandOutcome>;
    reviewProposal(input: ReviewProposalInput): CommandOutcome | Promise<CommandOutcome>;
    determineGrade(input: DetermineGradeInput): CommandOutcome | Promise<CommandOutcome>;
    recordReceivingOrganizationResult(input: RecordReceivingOrganizationResultInput): CommandOutcome | Promise<CommandOutcome>;
    startPublicNotice(input: StartPublicNoticeInput): CommandOutcome | Promise<CommandOutcome>;
    finalizeGrade(input: FinalizeGradeInput): CommandOutcome | Promise<CommandOutcome>;
    publishResult(input: PublishResultInput): CommandOutcome | Promise<CommandOutcome>;
    notifyPerson(input: NotifyPersonInput): CommandOutcome | Promise<CommandOutcome>;
    signOff(input: SignOffInput): CommandOutcome | Promise<CommandOutcome>;
    recordRefusalToSign(input: RecordRefusalToSignInput): CommandOutcome | Promise<CommandOutcome>;
    fileObjection(input: FileObjectionInput): CommandOutcome | Promise<CommandOutcome>;
    ruleOnObjection(input: RuleOnObjectionInput): CommandOutcome | Promise<CommandOutcome>;
    fileAppeal(input: FileAppealInput): CommandOutcome | Promise<CommandOutcome>;
    decideAppeal(input: DecideAppealInput): CommandOutcome | Promise<CommandOutcome>;
    correctFlaggedGrade(input: CorrectFlaggedGradeInput): CommandOutcome | Promise<CommandOutcome>;
    openCycle(input: OpenCycleInput): CommandOutcome | Promise<CommandOutcome>;
    recordDisciplinaryMeasure(input: RecordDisciplinaryMeasureInput): CommandOutcome | Promise<CommandOutcome>;
    liftMeasure(input: LiftMeasureInput): CommandOutcome | Promise<CommandOutcome>;
    revokeMeasure(input: RevokeMeasureInput): CommandOutcome | Promise<CommandOutcome>;
    openCase(input: OpenCaseInput): CommandOutcome | Promise<CommandOutcome>;
    closeCase(input: CloseCaseInput): CommandOutcome | Promise<CommandOutcome>;
    registerOrganization(input: RegisterOrganizationInput): CommandOutcome | Promise<CommandOutcome>;
    renameOrganization(input: RenameOrganizationInput): CommandOutcome | Promise<CommandOutcome>;
    adoptRuleSet(input: AdoptRuleSetInput): CommandOutcome | Promise<CommandOutcome>;
    registerPerson(input: RegisterPersonInput): CommandOutcome | Promise<CommandOutcome>;
    changePost(input: ChangePostInput): CommandOutcome | Promise<CommandOutcome>;
    startProbation(input: StartProbationInput): CommandOutcome | Promise<CommandOutcome>;
    recordLeave(input: RecordLeaveInput): CommandOutcome | Promise<CommandOutcome>;
    startSecondment(input: StartSecondmentInput): CommandOutcome | Promise<CommandOutcome>;
    endSecondment(input: EndSecondmentInput): CommandOutcome | Promise<CommandOutcome>;
    recordDeparture(input: RecordDepartureInput): CommandOutcome | Promise<CommandOutcome>;
    fileReport(input: FileReportInput): CommandOutcome | Promise<CommandOutcome>;
    publishRuleSet(input: PublishRuleSetInput): CommandOutcome | Promise<CommandOutcome>;
    publishPresetRuleSet(input: PublishPresetRuleSetInput): CommandOutcome | Promise<CommandOutcome>;
    openUnitAssessment(input: OpenUnitAssessmentInput): CommandOutcome | Promise<CommandOutcome>;
    recordUnitScores(input: RecordUnitScoresInput): CommandOutcome | Promise<CommandOutcome>;
    recordUnitBonus(input: RecordUnitBonusInput): CommandOutcome | Promise<CommandOutcome>;
    determineUnitResult(input: DetermineUnitResultInput): CommandOutcome | Promise<CommandOutcome>;
}

export interface GradeFlag {
    factEventId: string;
    factType: string;
    code: string;
    reason: string;
    resolved: boolean;
}

export interface Outcome {
    kind: OutcomeKind;
    grade?: Nullable<string>;
    reason?: Nullable<string>;
    label: string;
}

export interface RuleSetReference {
    id: string;
    version: number;
    name: string;
}

export interface AppraisalRecord {
    recordId: string;
    cycleId: string;
    organizationId: string;
    unitId: string;
    personId: string;
    period: string;
    periodKind: PeriodKind;
    category: PersonCategory;
    participation: Participation;
    status: RecordStatus;
    outcome?: Nullable<Outcome>;
    publicNoticeFinalFrom?: Nullable<string>;
    publishedOn?: Nullable<string>;
    signedOff: boolean;
    objectionStatus: ObjectionStatus;
    appealStatus: AppealStatus;
    ruleSet: RuleSetReference;
    lastGlobalPosition?: Nullable<string>;
    flags: GradeFlag[];
    lastRecordedAt?: Nullable<string>;
}

export interface RecordDiff {
    recordId: string;
    from: AppraisalRecord;
    to: AppraisalRecord;
    changes: FieldChange[];
    events: Event[];
}

export interface FieldChange {
    field: string;
    before?: Nullable<JSON>;
    after?: Nullable<JSON>;
}

export interface GradeTrace {
    recordId: string;
    current?: Nullable<TracedDetermination>;
    history: TracedDetermination[];
}

export interface TracedDetermination {
    eventId: string;
    globalPosition: string;
    recordedAt: string;
    kind: DeterminationKind;
    determinedBy: string;
    outcome: Outcome;
    score?: Nullable<number>;
    suggestedGrade?: Nullable<string>;
    ruleSet: RuleSetReference;
    steps: TraceStep[];
}

export interface TraceStep {
    kind: TraceStepKind;
    kindLabel: string;
    rule: RuleCitation;
    inputs: EventReference[];
    conclusion: string;
    explanation: string;
    values: JSON;
}

export interface RuleCitation {
    ruleSetId: string;
    ruleSetVersion: number;
    clause: string;
}

export interface GradeViewConnection {
    edges: GradeViewEdge[];
    pageInfo: PageInfo;
}

export interface GradeViewEdge {
    cursor: string;
    node: GradeView;
}

export interface GradeView {
    recordId: string;
    organizationId: string;
    unitId: string;
    personId: string;
    period: string;
    periodKind: PeriodKind;
    category: PersonCategory;
    status: RecordStatus;
    outcome?: Nullable<Outcome>;
    score?: Nullable<number>;
    ruleSet: RuleSetReference;
    flagged: boolean;
    lastGlobalPosition: string;
    flags: GradeFlag[];
    history: GradeHistoryEntry[];
}

export interface GradeHistoryEntry {
    eventId: string;
    globalPosition: string;
    recordedAt: string;
    kind: GradeHistoryKind;
    actorId: string;
    outcome: Outcome;
    score?: Nullable<number>;
    steps: TraceStep[];
}

export interface PageInfo {
    endCursor?: Nullable<string>;
    hasNextPage: boolean;
}

export interface CommandOutcome {
    commandId: string;
    streamId: string;
    replayed: boolean;
    events: Event[];
}

export interface EventReference {
    eventId: string;
    globalPosition: string;
}

export interface GradeConsequence {
    year: number;
    kind: string;
    label: string;
    detail: string;
    basisYears: number[];
}

export interface Cycle {
    cycleId: string;
    organizationId: string;
    period: string;
    status: CycleStatus;
    participants: Participant[];
    topGradesReserved: number;
}

export interface Participant {
    personId: string;
    recordId: string;
    unitId: string;
    category: PersonCategory;
    subjectRole: SubjectRole;
    participation: Participation;
}

export interface Participation {
    outcome: ParticipationOutcome;
    reason: string;
    appraisedBy?: Nullable<string>;
    fixedGrade?: Nullable<string>;
}

export interface LogDigest {
    format: string;
    sealPosition: string;
    globalPosition: string;
    eventId: string;
    chainHash: string;
    signedAt: string;
    keyId: string;
    signature: string;
}

export interface DigestVerification {
    ok: boolean;
    problem?: Nullable<DigestProblem>;
    reason?: Nullable<string>;
    keyId?: Nullable<string>;
    sealPosition?: Nullable<string>;
    globalPosition?: Nullable<string>;
    checkedEvents: number;
    firstBadPosition?: Nullable<string>;
}

export interface Health {
    store: string;
    lastGlobalPosition?: Nullable<string>;
    oldestOpenTransactionSeconds?: Nullable<number>;
    projections: ProjectionHealth[];
}

export interface ProjectionHealth {
    name: string;
    version: number;
    checkpoint?: Nullable<string>;
    lag: number;
    lastError?: Nullable<string>;
}

export interface EventConnection {
    edges: EventEdge[];
    pageInfo: PageInfo;
}

export interface EventEdge {
    cursor: string;
    node: Event;
}

export interface Event {
    eventId: string;
    streamId: string;
    streamRevision: number;
    globalPosition: string;
    type: string;
    schemaVersion: number;
    data: JSON;
    metadata: EventMetadata;
    recordedAt: string;
    hash: string;
}

export interface EventMetadata {
    commandId: string;
    actor: Actor;
    correlationId: string;
    causationId: string;
    effectiveAt: string;
    ruleSetId?: Nullable<string>;
}

export interface Actor {
    id: string;
    role: string;
    organizationId: string;
}

export interface IntegrityReport {
    ok: boolean;
    checkedEvents: number;
    sealedEvents: number;
    firstBadPosition?: Nullable<string>;
    reason?: Nullable<string>;
}

export interface ISubscription {
    gradeChanged(organizationId: string): GradeChange | Promise<GradeChange>;
}

export interface GradeChange {
    recordId: string;
    organizationId: string;
    personId: string;
    period: string;
    kind: GradeChangeKind;
    outcomeKind?: Nullable<string>;
    grade?: Nullable<string>;
    eventId: string;
    globalPosition: string;
}

export interface PersonUnderDisciplineConnection {
    edges: PersonUnderDisciplineEdge[];
    pageInfo: PageInfo;
}

export interface PersonUnderDisciplineEdge {
    cursor: string;
    node: PersonUnderDiscipline;
}

export interface PersonUnderDiscipline {
    personId: string;
    measures: MeasureInWindow[];
    investigations: InvestigationInWindow[];
    grades: GradeInWindow[];
}

export interface MeasureInWindow {
    measureId: string;
    measure: string;
    family: string;
    decisionDate: string;
    effectiveDate: string;
    effectEnds: string;
    liftedOn?: Nullable<string>;
    caseId?: Nullable<string>;
    authority: string;
    documentNumber: string;
}

export interface InvestigationInWindow {
    caseId: string;
    openedOn: string;
    closedOn?: Nullable<string>;
    outcome?: Nullable<string>;
}

export interface GradeInWindow {
    recordId: string;
    organizationId: string;
    period: string;
    outcomeKind?: Nullable<string>;
    grade?: Nullable<string>;
    reason?: Nullable<string>;
    flagged: boolean;
}

export interface ConflictingGradeConnection {
    edges: ConflictingGradeEdge[];
    pageInfo: PageInfo;
}

export interface ConflictingGradeEdge {
    cursor: string;
    node: ConflictingGrade;
}

export interface ConflictingGrade {
    recordId: string;
    organizationId: string;
    personId: string;
    period: string;
    outcomeKind?: Nullable<string>;
    grade?: Nullable<string>;
    flags: OpenGradeFlag[];
}

export interface OpenGradeFlag {
    factType: string;
    code: string;
    reason: string;
}

export interface GradeActors {
    recordId: string;
    proposed: ActorStamp[];
    reviewed: ActorStamp[];
    determined: ActorStamp[];
    signed: ActorStamp[];
}

export interface ActorStamp {
    eventType: string;
    actorId: string;
    actorRole: string;
    recordedAt: string;
}

export interface ReportConnection {
    edges: ReportEdge[];
    pageInfo: PageInfo;
}

export interface ReportEdge {
    cursor: string;
    node: Report;
}

export interface Report {
    reportId: string;
    kind: ReportKind;
    title: string;
    organizationId: string;
    period: string;
    filedOn: string;
    filedBy: string;
    latestRevision: number;
    revisions: ReportRevision[];
}

export interface ReportRevision {
    reportId: string;
    revision: number;
    kind: ReportKind;
    title: string;
    organizationId: string;
    period: string;
    issuedOn: string;
    checksum: string;
    rowCount: number;
    columns: ReportColumn[];
    summary: JSON;
    rows: ReportRowConnection;
    causedBy: ReportCause;
    diff?: Nullable<ReportDiff>;
    exports: ReportExports;
}

export interface ReportExports {
    xlsx: string;
    csv: string;
}

export interface ReportColumn {
    key: string;
    header: string;
}

export interface ReportRowConnection {
    edges: ReportRowEdge[];
    pageInfo: PageInfo;
}

export interface ReportRowEdge {
    cursor: string;
    node: ReportRow;
}

export interface ReportRow {
    ordinal: number;
    key: string;
    cells: JSON;
}

export interface ReportCause {
    eventId: string;
    type: string;
    streamId: string;
    globalPosition: string;
    recordedAt: string;
}

export interface ReportDiff {
    added: ReportDiffRow[];
    removed: ReportDiffRow[];
    changed: ReportRowChange[];
    columnsAdded: ReportColumn[];
    columnsRemoved: ReportColumn[];
}

export interface ReportRevisionDiff {
    reportId: string;
    fromRevision: number;
    toRevision: number;
    added: ReportDiffRow[];
    removed: ReportDiffRow[];
    changed: ReportRowChange[];
    columnsAdded: ReportColumn[];
    columnsRemoved: ReportColumn[];
    causedBy: ReportCause[];
}

export interface ReportDiffRow {
    key: string;
    cells: JSON;
}

export interface ReportRowChange {
    key: string;
    before: JSON;
    after: JSON;
    cells: ReportCellChange[];
}

export interface ReportCellChange {
    column: string;
    header: string;
    before?: Nullable<JSON>;
    after?: Nullable<JSON>;
}

export interface RuleSetSummary {
    id: string;
    version: number;
    name: string;
    effectiveFrom: string;
}

export interface GradeSummary {
    organizationId: string;
    period: string;
    organizations: number;
    records: number;
    undetermined: number;
    outcomes: OutcomeCount[];
}

export interface OutcomeCount {
    outcomeKind: string;
    grade?: Nullable<string>;
    count: number;
}

export interface UnitAssessment {
    assessmentId: string;
    organizationId: string;
    year: number;
    schemeId: string;
    scaleId: string;
    ruleSetId: string;
    ruleSetVersion: number;
    status: UnitAssessmentStatus;
    result?: Nullable<UnitAssessmentResult>;
}

export interface UnitAssessmentResult {
    result: string;
    label: string;
    score: number;
    eventId: string;
    steps: TraceStep[];
}

export type JSON = unknown;
type Nullable<T> = T | null;
