import type { Command, DecidedEvent, Decider } from '../../command/decider.js';
import { ApplicationError } from '../../shared/errors.js';

/** An organ (机关) or a unit below it (科室 / 处室); units nest to any depth. */
export type OrganizationKind = 'ORGAN' | 'UNIT';

/** One version of one rule set, as an organization adopts it for a year. */
export interface RuleSetRef {
  ruleSetId: string;
  ruleSetVersion: number;
}

export type RegisterOrganization = Command<
  'RegisterOrganization',
  { organizationId: string; name: string; kind: OrganizationKind; parentId?: string }
>;
export type RenameOrganization = Command<'RenameOrganization', { name: string }>;
/** `reason` is required only to replace the adoption already recorded for the year. */
export type AdoptRuleSet = Command<'AdoptRuleSet', { year: number; ruleSetId: string; ruleSetVersion: number; reason?: string }>;
export type OrganizationCommand = RegisterOrganization | RenameOrganization | AdoptRuleSet;

export type OrganizationRegistered = DecidedEvent<
  'OrganizationRegistered',
  { organizationId: string; name: string; kind: OrganizationKind; parentId?: string }
>;
export type OrganizationRenamed = DecidedEvent<'OrganizationRenamed', { organizationId: string; previousName: string; name: string }>;
export type RuleSetAdopted = DecidedEvent<'RuleSetAdopted', { organizationId: string; year: number; ruleSetId: string; ruleSetVersion: number }>;
export type RuleSetAdoptionReplaced = DecidedEvent<
  'RuleSetAdoptionReplaced',
  { organizationId: string; year: number; ruleSetId: string; ruleSetVersion: number; replaced: RuleSetRef; reason: string }
>;
export type OrganizationEvent = OrganizationRegistered | OrganizationRenamed | RuleSetAdopted | RuleSetAdoptionReplaced;

export type OrganizationState =
  | { status: 'UNREGISTERED' }
  | {
      status: 'REGISTERED';
      organizationId: string;
      name: string;
      kind: OrganizationKind;
      /** The adoption in force per year. */
      adoptions: Readonly<Record<number, RuleSetRef>>;
    };

/** The caller's check of the rule-set version named by AdoptRuleSet. */
export interface RuleSetCheck {
  ruleSetExists: boolean;
  /** First day (YYYY-MM-DD) the version may be used for. */
  effectiveFrom?: string;
}

/**
 * What the caller loads from other streams before deciding. The decider assumes nothing it was not
 * told: an absent parent kind reads as "no such parent", an absent rule-set check as "no such rule set".
 */
export interface OrganizationContext {
  /** RegisterOrganization with a parentId: the kind of that parent, absent when it is not registered. */
  parentKind?: OrganizationKind;
  /** AdoptRuleSet: whether the requested rule-set version exists, and from when it applies. */
  ruleSet?: RuleSetCheck;
}

type RegisteredOrganization = Extract<OrganizationState, { status: 'REGISTERED' }>;

export const streamIdOfOrganization = (organizationId: string): string => `organization-${organizationId}`;

/** The rule-set version the organization has in force for the year, if it adopted one. */
export function ruleSetAdoptedFor(state: OrganizationState, year: number): RuleSetRef | undefined {
  return state.status === 'REGISTERED' ? state.adoptions[year] : undefined;
}

/** The organization's kind, absent when it is not registered: what RegisterOrganization needs of a parent. */
export function organizationKindOf(state: OrganizationState): OrganizationKind | undefined {
  return state.status === 'REGISTERED' ? state.kind : undefined;
}

export const organizationDecider: Decider<OrganizationCommand, OrganizationEvent, OrganizationState, OrganizationContext> = {
  initialState: () => ({ status: 'UNREGISTERED' }),
  decide,
  evolve,
};

function decide(command: OrganizationCommand, state: OrganizationState, context: OrganizationContext): OrganizationEvent[] {
  switch (command.type) {
    case 'RegisterOrganization':
      return [registerOrganization(state, command.data, context.parentKind)];
    case 'RenameOrganization':
      return [renameOrganization(registered(state), command.data)];
    case 'AdoptRuleSet':
      return [adoptRuleSet(registered(state), command.data, context.ruleSet)];
    default:
      return rejectUnknownCommand(command);
  }
}

function registerOrganization(
  state: OrganizationState,
  data: RegisterOrganization['data'],
  parentKind: OrganizationKind | undefined,
): OrganizationRegistered {
  if (state.status === 'REGISTERED') {
    throw new ApplicationError('ORGANIZATION.ALREADY_REGISTERED', `organization ${state.organizationId} is already registered as "${state.name}"`, {
      organizationId: state.organizationId,
    });
  }
  requireText('organizationId', data.organizationId);
  requireText('name', data.name);
  requireFittingParent(data, parentKind);
  const { organizationId, name, kind, parentId } = data;
  return { type: 'OrganizationRegistered', data: { organizationId, name, kind, parentId } };
}

/** A unit sits under an organ or another unit; an organ stands alone or under another organ. */
function requireFittingParent(data: RegisterOrganization['data'], parentKind: OrganizationKind | undefined): void {
  const { organizationId, kind, parentId } = data;
  if (parentId === undefined) {
    if (kind === 'UNIT') {
      throw new ApplicationError('ORGANIZATION.PARENT_REQUIRED', `unit ${organizationId} needs a parent organization`, { organizationId, kind });
    }
    return;
  }
  if (parentKind === undefined) {
    throw new ApplicationError('ORGANIZATION.PARENT_NOT_FOUND', `parent organization ${parentId} of ${organizationId} is not registered`, {
      organizationId,
      parentId,
    });
  }
  if (kind === 'ORGAN' && parentKind === 'UNIT') {
    throw new ApplicationError(
      'ORGANIZATION.INVALID_PARENT_KIND',
      `organ ${organizationId} cannot sit under unit ${parentId}: an organ's parent must be an organ`,
      { organizationId, kind, parentId, parentKind },
    );
  }
}

function renameOrganization(organization: RegisteredOrganization, data: RenameOrganization['data']): OrganizationRenamed {
  requireText('name', data.name);
  if (data.name === organization.name) {
    throw new ApplicationError('ORGANIZATION.NAME_UNCHANGED', `organization ${organization.organizationId} is already named "${data.name}"`, {
      organizationId: organization.organizationId,
      name: data.name,
    });
  }
  return { type: 'OrganizationRenamed', data: { organizationId: organization.organizationId, previousName: organization.name, name: data.name } };
}

function adoptRuleSet(
  organization: RegisteredOrganization,
  data: AdoptRuleSet['data'],
  check: RuleSetCheck | undefined,
): RuleSetAdopted | RuleSetAdoptionReplaced {
  const { organizationId } = organization;
  const { year, ruleSetId, ruleSetVersion, reason } = data;
  requireYear(year);
  requireText('ruleSetId', ruleSetId);
  requireVersion(ruleSetVersion);
  requireApplicableRuleSet(data, check);

  const adopted = ruleSetAdoptedFor(organization, year);
  if (adopted === undefined) return { type: 'RuleSetAdopted', data: { organizationId, year, ruleSetId, ruleSetVersion } };

  const requested = { ruleSetId, ruleSetVersion };
  const details = { organizationId, year, adopted, requested };
  if (adopted.ruleSetId === ruleSetId && adopted.ruleSetVersion === ruleSetVersion) {
    throw new ApplicationError(
      'ORGANIZATION.RULE_SET_ALREADY_ADOPTED',
      `organization ${organizationId} already adopted ${ruleSetLabel(adopted)} for ${year}`,
      details,
    );
  }
  if (reason === undefined || reason.trim() === '') {
    throw new ApplicationError(
      'ORGANIZATION.REPLACEMENT_REASON_REQUIRED',
      `organization ${organizationId} already adopted ${ruleSetLabel(adopted)} for ${year}; replacing it with ${ruleSetLabel(requested)} needs a reason`,
      details,
    );
  }
  return { type: 'RuleSetAdoptionReplaced', data: { organizationId, year, ruleSetId, ruleSetVersion, replaced: adopted, reason } };
}

/** The rule set must exist and be in effect by the last day of the year it is adopted for. */
function requireApplicableRuleSet(data: AdoptRuleSet['data'], check: RuleSetCheck | undefined): void {
  const { year, ruleSetId, ruleSetVersion } = data;
  if (!check?.ruleSetExists) {
    throw new ApplicationError('ORGANIZATION.RULE_SET_NOT_FOUND', `rule set ${ruleSetLabel(data)} does not exist`, { ruleSetId, ruleSetVersion });
  }
  const lastDayOfYear = `${year}-12-31`;
  if (check.effectiveFrom !== undefined && check.effectiveFrom > lastDayOfYear) {
    throw new ApplicationError(
      'ORGANIZATION.RULE_SET_NOT_YET_EFFECTIVE',
      `rule set ${ruleSetLabel(data)} takes effect on ${check.effectiveFrom}, after the end of ${year}`,
      { ruleSetId, ruleSetVersion, year, effectiveFrom: check.effectiveFrom },
    );
  }
}

function registered(state: OrganizationState): RegisteredOrganization {
  if (state.status === 'UNREGISTERED') {
    throw new ApplicationError('ORGANIZATION.NOT_REGISTERED', 'no organization is registered in this stream: register it first');
  }
  return state;
}

/** Four digits, so that `${year}-12-31` is a date that compares correctly as text. */
function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new ApplicationError('ORGANIZATION.INVALID_YEAR', `year must be a four-digit year, got ${year}`, { year });
  }
}

function requireVersion(ruleSetVersion: number): void {
  if (!Number.isInteger(ruleSetVersion) || ruleSetVersion < 1) {
    throw new ApplicationError('ORGANIZATION.INVALID_RULE_SET_VERSION', `ruleSetVersion must be a positive integer, got ${ruleSetVersion}`, {
      ruleSetVersion,
    });
  }
}

function requireText(field: string, value: string): void {
  if (value.trim() === '') throw new ApplicationError('ORGANIZATION.EMPTY_FIELD', `${field} must not be empty`, { field });
}

const ruleSetLabel = (ruleSet: RuleSetRef): string => `${ruleSet.ruleSetId} v${ruleSet.ruleSetVersion}`;

function rejectUnknownCommand(command: never): never {
  const { type } = command as { type: string };
  throw new ApplicationError('ORGANIZATION.UNKNOWN_COMMAND', `unknown organization command ${type}`, { type });
}

function evolve(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  switch (event.type) {
    case 'OrganizationRegistered': {
      const { organizationId, name, kind } = event.data;
      return { status: 'REGISTERED', organizationId, name, kind, adoptions: {} };
    }
    case 'OrganizationRenamed':
      return state.status === 'REGISTERED' ? { ...state, name: event.data.name } : state;
    case 'RuleSetAdopted':
    case 'RuleSetAdoptionReplaced': {
      if (state.status !== 'REGISTERED') return state;
      const { year, ruleSetId, ruleSetVersion } = event.data;
      return { ...state, adoptions: { ...state.adoptions, [year]: { ruleSetId, ruleSetVersion } } };
    }
    default:
      return keepStateForUnknownEvent(event, state);
  }
}

/** History is the truth: an event this version does not know leaves the state as it was. */
const keepStateForUnknownEvent = (_event: never, state: OrganizationState): OrganizationState => state;
