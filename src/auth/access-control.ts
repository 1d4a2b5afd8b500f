import type { Actor } from '../event-store/event.js';
import type { AccessDenialLog } from './access-denial-log.js';
import { ForbiddenError, type Denial, type ForbiddenReason } from './auth-errors.js';
import { POLICY, type Access, type OperationRule, type TargetRule } from './policy.js';
import { EVERY_ORGANIZATION, isRole, type Principal, type Role } from './roles.js';
import type { ScopeDirectory } from './scope-directory.js';

/** What a request proves and asks: its principal (verified on first use) and the role it asks to act in. */
export interface Credentials {
  principal(): Promise<Principal>;
  /** The `x-acting-role` header; absent → the token's first role. */
  actingRole?: string;
}

/** A target as the request named it and where it was found in the organization tree. */
interface Target {
  /** e.g. `record bureau.p1.2025Q2`; null when the rule names nothing. */
  label: string | null;
  /** No organization: the role alone decides. */
  unscoped?: boolean;
  /** Every organization (an optional organization argument left out): only `*` covers it. */
  every?: boolean;
  /** The organizations it lies in: one of them inside the scope suffices. Empty when not found. */
  organizations: string[];
  /** Whose it is, for OWN. */
  ownerId?: string;
  /**
   * Not found (no such record, person, case or assessment): nothing to protect, so the operation
   * runs and answers NOT_FOUND itself. Organizations are never "not found": an unregistered one
   * is in scope only for an actor at that very id or `*`.
   */
  missing?: boolean;
}

function valueAt(args: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = args;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** `<org>.<period>.<kind>`: period and kind hold no dot, so the organization is what precedes them. */
function organizationOfReport(reportId: string): string | undefined {
  const match = /^(.+)\.[^.]+\.[^.]+$/.exec(reportId);
  return match?.[1];
}

/**
 * The edge's access decisions: the policy table applied to one operation with its arguments.
 * A refusal is written to the denial log, then thrown as FORBIDDEN naming the operation and why.
 */
export class AccessControl {
  constructor(
    private readonly directory: ScopeDirectory,
    private readonly denials: AccessDenialLog,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** The rule of an operation, if it has one. */
  rule(operation: string): OperationRule | undefined {
    return Object.prototype.hasOwnProperty.call(POLICY, operation) ? POLICY[operation] : undefined;
  }

  isPublic(operation: string): boolean {
    return this.rule(operation)?.public === true;
  }

  /**
   * The actor the operation runs as (the token's subject and organization, in the role it acts in),
   * or FORBIDDEN. Public operations need no credentials and run as nobody (null).
   */
  async authorize(operation: string, args: Record<string, unknown>, credentials: Credentials): Promise<Actor | null> {
    const rule = this.rule(operation);
    if (rule?.public) return null;
    const principal = await credentials.principal();
    const requested = credentials.actingRole?.trim() || undefined;
    const role: string = requested ?? principal.roles[0];
    const actor: Actor = { id: principal.id, role, organizationId: principal.organizationId };
    const deny = (reason: ForbiddenReason, why: string, target: Target | null = null, targets?: Target[]) =>
      this.deny(actor, operation, rule, reason, why, target, targets ?? (rule ? undefined : []), args);

    if (!rule) return deny('NO_ACCESS_RULE', 'it has no access rule');
    if (requested && !(isRole(requested) && principal.roles.includes(requested))) {
      return deny('ROLE_NOT_HELD', `the token does not grant the role ${requested} (it grants ${principal.roles.join(', ')})`);
    }
    const access: Access | undefined = rule.roles[role as Role];
    if (!access) return deny('ROLE_NOT_ALLOWED', `role ${role} may not run it`);

    const targets = await Promise.all(rule.targets.map((target) => this.resolve(target, args)));
    for (const target of targets) {
      if (access === 'OWN') {
        if (target.missing) continue;
        if (target.ownerId !== principal.id) return deny('NOT_OWN_RECORD', `${target.label ?? 'the target'} is not ${principal.id}'s own`, target, targets);
        continue;
      }
      if (target.unscoped || target.missing) continue;
      if (target.every) {
        if (principal.organizationId === EVERY_ORGANIZATION) continue;
        return deny('OUTSIDE_SCOPE', `it would cover every organization, and the token's scope is ${principal.organizationId} and below`, target, targets);
      }
      let inside = false;
      for (const organizationId of target.organizations) {
        if (await this.directory.contains(principal.organizationId, organizationId)) {
          inside = true;
          break;
        }
      }
      if (!inside) return deny('OUTSIDE_SCOPE', `${target.label} lies outside ${principal.organizationId} and the organizations below it`, target, targets);
    }
    return actor;
  }

  private async deny(
    actor: Actor,
    operation: string,
    rule: OperationRule | undefined,
    reason: ForbiddenReason,
    why: string,
    target: Target | null,
    targets: Target[] | undefined,
    args: Record<string, unknown>,
  ): Promise<never> {
    // Where a refusal by role points is still worth knowing to the auditors of that organization.
    const resolved = targets ?? (await Promise.all((rule?.targets ?? []).map((candidate) => this.resolve(candidate, args))).catch(() => [] as Target[]));
    const named = target ?? resolved.find((candidate) => candidate.label !== null) ?? null;
    const allowedRoles = Object.keys(rule?.roles ?? {});
    const denial: Denial = {
      operation,
      reason,
      target: named?.label ?? null,
      message: `${operation} is not allowed: ${why}${reason === 'ROLE_NOT_ALLOWED' ? ` (allowed: ${allowedRoles.join(', ')})` : ''}`,
      allowedRoles,
    };
    try {
      await this.denials.record({
        actorId: actor.id,
        actorRole: actor.role,
        actorOrganizationId: actor.organizationId,
        operation,
        target: denial.target,
        targetOrganizationIds: [...new Set(resolved.flatMap((candidate) => candidate.organizations))],
        reason,
        message: denial.message,
      });
    } catch (error) {
      // The refusal stands even when it cannot be written down.
      this.log(`access denial of ${operation} to ${actor.id} could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw new ForbiddenError(denial, actor.role);
  }

  private async resolve(rule: TargetRule, args: Record<string, unknown>): Promise<Target> {
    if (rule.kind === 'none') return { label: null, unscoped: true, organizations: [] };
    if (rule.kind === 'newOrganization') {
      const parentId = valueAt(args, 'input.parentId');
      const organizationId = valueAt(args, 'input.organizationId') ?? '';
      return parentId ? { label: `organization ${parentId}`, organizations: [parentId] } : { label: `organization ${organizationId}`, organizations: [organizationId] };
    }
    const id = valueAt(args, rule.path);
    if (rule.kind === 'organization') {
      if (id === undefined) return rule.absent === 'every' ? { label: 'every organization', every: true, organizations: [] } : { label: null, missing: true, organizations: [] };
      return { label: `organization ${id}`, organizations: [id] };
    }
    if (id === undefined) return { label: null, missing: true, organizations: [] };
    switch (rule.kind) {
      case 'record':
        return this.recordTarget(id);
      case 'person':
        return this.personTarget(id, `person ${id}`, id);
      case 'case': {
        const personId = await this.directory.personOfCase(id);
        if (!personId) return { label: `case ${id}`, missing: true, organizations: [] };
        return { ...(await this.personTarget(personId, `case ${id}`, undefined)), label: `case ${id}` };
      }
      case 'report': {
        const organizationId = organizationOfReport(id);
        return organizationId ? { label: `report ${id}`, organizations: [organizationId] } : { label: `report ${id}`, missing: true, organizations: [] };
      }
      case 'assessment': {
        const organizationId = await this.directory.organizationOfAssessment(id);
        return organizationId ? { label: `unit assessment ${id}`, organizations: [organizationId] } : { label: `unit assessment ${id}`, missing: true, organizations: [] };
      }
      case 'stream':
        return this.streamTarget(id);
    }
  }

  private async recordTarget(recordId: string): Promise<Target> {
    const place = await this.directory.record(recordId);
    if (!place) return { label: `record ${recordId}`, missing: true, organizations: [] };
    return { label: `record ${recordId}`, organizations: [place.organizationId, place.unitId], ownerId: place.personId };
  }

  private async personTarget(personId: string, label: string, ownerId: string | undefined): Promise<Target> {
    const post = await this.directory.postOf(personId);
    if (!post) return { label, missing: true, organizations: [], ownerId };
    return { label, organizations: [post], ownerId };
  }

  /** A stream's target by its kind; a stream of a kind not listed needs the `*` scope. */
  private async streamTarget(streamId: string): Promise<Target> {
    const label = `stream ${streamId}`;
    const after = (prefix: string) => (streamId.startsWith(prefix) ? streamId.slice(prefix.length) : undefined);
    let id: string | undefined;
    if ((id = after('appraisal-')) !== undefined) return { ...(await this.recordTarget(id)), label };
    if ((id = after('unit-assessment-')) !== undefined) {
      const organizationId = await this.directory.organizationOfAssessment(id);
      return organizationId ? { label, organizations: [organizationId] } : { label, missing: true, organizations: [] };
    }
    if ((id = after('person-')) !== undefined) return this.personTarget(id, label, id);
    if ((id = after('case-')) !== undefined) {
      const personId = await this.directory.personOfCase(id);
      return personId ? { ...(await this.personTarget(personId, label, undefined)), label } : { label, missing: true, organizations: [] };
    }
    if ((id = after('cycle-')) !== undefined) {
      const organizationId = /^(.+)\.[^.]+$/.exec(id)?.[1];
      return organizationId ? { label, organizations: [organizationId] } : { label, every: true, organizations: [] };
    }
    if ((id = after('organization-')) !== undefined) return { label, organizations: [id] };
    if ((id = after('report-')) !== undefined) {
      const organizationId = organizationOfReport(id);
      return organizationId ? { label, organizations: [organizationId] } : { label, every: true, organizations: [] };
    }
    if (after('ruleset-') !== undefined) return { label, unscoped: true, organizations: [] };
    return { label, every: true, organizations: [] };
  }
}
