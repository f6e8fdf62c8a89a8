// Role-based access control: which permissions (the spec's `x-cms-permission` values) each role grants.
import type { Permission } from '../generated/routes.js';

export const ROLES = ['owner', 'admin', 'member', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

type GrantedPermission = Exclude<Permission, 'public'>;

// `contracts:participate` (sign, decline) is checked again per contract: only its parties may use it.
const READ: GrantedPermission[] = ['contracts:read', 'contracts:participate', 'ledger:read'];
const WRITE: GrantedPermission[] = [...READ, 'contracts:create', 'contracts:update', 'contracts:send', 'contracts:void'];
const MANAGE: GrantedPermission[] = [...WRITE, 'contracts:terminate'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<GrantedPermission>> = {
  owner: new Set(MANAGE),
  admin: new Set(MANAGE),
  member: new Set(WRITE),
  auditor: new Set(READ),
  viewer: new Set(READ),
};

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  if (permission === 'public') return true;
  return roles.some((role) => ROLE_PERMISSIONS[role]?.has(permission));
}
