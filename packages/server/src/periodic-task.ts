// The one periodic loop of the server's background chores (contract expiry, unreferenced-file cleanup):
// a run every `intervalMs`, never two at once, a failure reported and retried on the next tick; `stop`
// clears the timer and waits for the run in progress.
export function startPeriodicTask(
  run: () => Promise<unknown>,
  o: { intervalMs: number; onError: (e: unknown) => void },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = run()
      .catch(o.onError)
      .finally(() => {
        busy = false;
      });
  }, o.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
