import type { Role } from './permissions.js';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  userId: string;
  did: string;
  organizationId: string;
  roles: Role[];
}
