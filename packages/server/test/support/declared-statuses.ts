// What a validating proxy in front of the server would check: every answer's status is one the spec
// declares for that operation. `request()` in api-helpers checks each response it sees, so a handler
// or middleware answering an undeclared status fails the test that provoked it.
import { openapiDocument } from '../../src/generated/openapi-document.js';

type Operation = { operationId: string; responses: Record<string, unknown> };
const operations = Object.entries(openapiDocument.paths as Record<string, Record<string, Operation>>).flatMap(
  ([template, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      op,
    })),
);

/** The operation `method path` reaches, if the spec has one (unknown routes and methods are the router's). */
export function operationFor(method: string, path: string): Operation | undefined {
  const pathname = new URL(path, 'http://x').pathname;
  return operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(pathname))?.op;
}

export function assertDeclaredStatus(method: string, path: string, status: number, body: string): void {
  const op = operationFor(method, path);
  if (!op || String(status) in op.responses || 'default' in op.responses) return;
  throw new Error(
    `${method} ${path} answered ${status}, which openapi/cms.yaml does not declare for ${op.operationId} (declared: ${Object.keys(op.responses).join(', ')}): ${body.slice(0, 300)}`,
  );
}
