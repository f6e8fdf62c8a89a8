// Role-based access control: which roles grant each permission (the spec's `x-cms-permission` values).
// The table is exhaustive over the spec's permissions, so an operation with a new permission does not
// compile until someone decides here who may use it.
import type { Permission } from '../generated/routes.js';

export const ROLES = ['owner', 'admin', 'member', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

type GrantedPermission = Exclude<Permission, 'public'>;

const EVERYONE: readonly Role[] = ROLES;
const MANAGERS: readonly Role[] = ['owner', 'admin'];
const WRITERS: readonly Role[] = ['owner', 'admin', 'member'];

export const PERMISSION_ROLES: Record<GrantedPermission, readonly Role[]> = {
  // The caller's own account, sessions, organizations and invitations: any authenticated caller.
  account: EVERYONE,
  'organization:read': EVERYONE,
  'members:read': ['owner', 'admin', 'member', 'auditor'],
  'members:manage': MANAGERS,
  // Parties of a contract read it from their own organization: object-level checks in contracts/ decide.
  'contracts:read': EVERYONE,
  // Sign and decline are checked again per contract: only its parties may use them.
  'contracts:participate': EVERYONE,
  'contracts:create': WRITERS,
  'contracts:update': WRITERS,
  'contracts:send': WRITERS,
  'contracts:void': WRITERS,
  'contracts:terminate': MANAGERS,
  // Templates: everyone reads (and previews) them; owners and admins curate the organization's wording.
  'templates:read': EVERYONE,
  'templates:manage': MANAGERS,
  // Files: everyone reads the organization's documents; those who write contracts upload them.
  'files:read': EVERYONE,
  'files:upload': WRITERS,
  // Anchoring status and Merkle proofs of the caller's own organization's events.
  'ledger:read': EVERYONE,
  // Webhook endpoints and their delivery logs (payloads name contracts and parties): managers; auditors read.
  'webhooks:read': ['owner', 'admin', 'auditor'],
  'webhooks:manage': MANAGERS,
  // The organization's audit trail (every actor, action and resource): owners, admins and auditors.
  'audit:read': ['owner', 'admin', 'auditor'],
  // Across organizations: no role grants it, only being named in CMS_OPERATOR_DIDS (http/authorize.ts).
  operator: [],
};

/** Each role's permissions, derived from the table above. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<GrantedPermission>> = Object.fromEntries(
  ROLES.map((role) => [
    role,
    new Set((Object.keys(PERMISSION_ROLES) as GrantedPermission[]).filter((p) => PERMISSION_ROLES[p].includes(role))),
  ]),
) as unknown as Record<Role, ReadonlySet<GrantedPermission>>;

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  if (permission === 'public') return true;
  return roles.some((role) => ROLE_PERMISSIONS[role]?.has(permission));
}
