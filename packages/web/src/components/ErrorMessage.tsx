// A failed call as the user should see it: the problem's title, its field errors (422) and the request id to quote.
import { isCmsError } from '@cms/sdk';

export function fieldErrorsOf(error: unknown): { path: string; message: string }[] {
  if (!isCmsError(error)) return [];
  const errors = (error.details as { errors?: { path: string; message: string }[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors : [];
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = fieldErrorsOf(error);
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path + f.message}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {isCmsError(error) && error.requestId && <p className="muted small">Request {error.requestId}</p>}
    </div>
  );
}
