import type { SessionPrincipal } from '../auth/principal.js';

/** Variables middleware puts on the Hono context. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The authenticated caller; set by the authorization middleware on non-public operations. */
    principal: SessionPrincipal;
  };
}
