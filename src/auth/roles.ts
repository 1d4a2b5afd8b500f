/**
 * The roles a token may grant (DOMAIN.md §1). A request acts in one of them: the role is recorded
 * in the metadata of every event the request appends.
 */
export const ROLES = [
  'APPRAISED',
  'UNIT_HEAD',
  'SUPERVISING_LEADER',
  'HEAD_OF_ORGAN',
  'COMMITTEE',
  'HR',
  'DISCIPLINE_INSPECTION',
  'REGULATOR',
  'AUDITOR',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The `org` claim that scopes a token to every organization (a national regulator or auditor). */
export const EVERY_ORGANIZATION = '*';

/** Who a verified token says the caller is. */
export interface Principal {
  /** `sub`: the actor id; for the appraised person, the person id. */
  id: string;
  /** `roles`, in the token's order, the ones this service knows. */
  roles: Role[];
  /** `org`: the root of the subtree the caller may act in, or `*` for every organization. */
  organizationId: string;
}
