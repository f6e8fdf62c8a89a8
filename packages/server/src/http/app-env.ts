import type { SessionPrincipal } from '../auth/principal.js';
import type { OperationId } from '../generated/routes.js';

/** Variables middleware puts on the Hono context. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The authenticated caller; set by the authorization middleware on non-public operations. */
    principal: SessionPrincipal;
    /** The spec operation the request was routed to; unset for docs, static files and unknown routes. */
    operationId?: OperationId;
    /** A read (GET) wrote on the primary (a party's first view): its write position is recorded like a write's. */
    wrote?: boolean;
  };
}
