// Retry policy of the query hooks: most 4xx answers (not found, not logged in, invalid) will not
// change by asking again, so only connection failures, timeouts, rate limits and 5xx are retried.
import { isCmsError } from '@cms/sdk';

const MAX_RETRIES = 3; // TanStack Query's default

export function retryCmsQuery(failureCount: number, error: Error): boolean {
  if (
    isCmsError(error) &&
    error.status !== undefined &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  )
    return false;
  return failureCount < MAX_RETRIES;
}
