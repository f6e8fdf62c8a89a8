// Tenant isolation for organization-scoped paths: an access token works in exactly one organization,
// and any other organization id is `not_found`, indistinguishable from one that does not exist.
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';

export function assertOwnOrganization(principal: Principal, organizationId: string): void {
  if (principal.organizationId !== organizationId) throw new AppError('not_found', `No organization ${organizationId}.`);
}
