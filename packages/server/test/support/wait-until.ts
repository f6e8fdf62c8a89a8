// Polls `check` until it holds: for state another process or a background task changes (a delivery that
// arrives, a failover that completes). A check that throws counts as "not yet" when `ignoreErrors` is set
// (a connection that is still failing over); otherwise the error fails the wait at once.
export interface WaitOptions {
  timeoutMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
  intervalMs?: number;
  ignoreErrors?: boolean;
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, what = 'the condition', intervalMs = 50, ignoreErrors = false }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const holds = ignoreErrors ? async () => await Promise.resolve(check()).catch(() => false) : check;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
