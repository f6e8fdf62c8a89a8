// Authorization for one operation, from its `x-cms-permission`: public, or a valid bearer token of a
// live session whose roles grant the permission; `operator`: a live session of a DID the deployment names
// as an operator (CMS_OPERATOR_DIDS), whatever its roles.
import type { MiddlewareHandler } from 'hono';
import type { Authenticate } from '../auth/authenticate.js';
import { rolesGrant } from '../auth/permissions.js';
import { AppError } from '../errors/app-error.js';
import type { Permission } from '../generated/routes.js';
import type { AppEnv } from './app-env.js';

export function authorize(
  permission: Permission,
  authenticate: Authenticate,
  operators: ReadonlySet<string> = new Set(),
): MiddlewareHandler<AppEnv> {
  if (permission === 'public') return (_c, next) => next();
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header)
      throw new AppError('unauthenticated', 'Send an access token as "Authorization: Bearer <token>".', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new AppError('invalid_token', 'The Authorization header must be "Bearer <token>".', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    const principal = await authenticate(match[1]!);
    if (permission === 'operator' ? !operators.has(principal.did) : !rolesGrant(principal.roles, permission))
      throw new AppError('forbidden', `This operation needs the ${permission} permission.`);
    c.set('principal', principal);
    await next();
  };
}
