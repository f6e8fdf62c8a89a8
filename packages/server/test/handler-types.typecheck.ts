// Type test (checked by `pnpm typecheck`, never run): handlers are bound to the spec's responses.
// If the generated routes ever stop constraining handlers, these directives become unused and tsc fails.
import type { OperationHandlers } from '../src/http/operations.js';

export const bodyTheSpecForbids: OperationHandlers['getContract'] = (c) =>
  // @ts-expect-error `id` must be a string, and required Contract fields are missing
  c.json({ id: 1 }, 200);

export const statusTheSpecForbids: OperationHandlers['getHealth'] = (c) =>
  // @ts-expect-error the spec declares 200 for getHealth, not 201
  c.json({ status: 'ok' as const }, 201);

export const enumValueTheSpecForbids: OperationHandlers['getHealth'] = (c) =>
  // @ts-expect-error Health.status only allows "ok"
  c.json({ status: 'fine' as const }, 200);

export const conforming: OperationHandlers['getHealth'] = (c) => c.json({ status: 'ok' as const }, 200);
