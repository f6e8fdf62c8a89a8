// Retry policy of the query hooks: a 4xx answer (not found, not logged in, invalid) will not change
// by asking again, so only connection failures, 5xx and rate limits are retried.
import { isCmsError } from '@cms/sdk';

const MAX_RETRIES = 3; // TanStack Query's default

export function retryCmsQuery(failureCount: number, error: Error): boolean {
  if (isCmsError(error) && error.status !== undefined && error.status < 500 && error.status !== 429) return false;
  return failureCount < MAX_RETRIES;
}
