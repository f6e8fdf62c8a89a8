// Bounds the event streams one user holds on this server instance: each holds a connection and wakes
// up to read the database, so an unbounded number per user would let one client exhaust both.

export interface StreamLimiter {
  /** A release function, or undefined when the user is at the limit. */
  acquire(userId: string): (() => void) | undefined;
  /** Streams open now (all users). */
  open(): number;
}

export function createStreamLimiter(maxPerUser: number): StreamLimiter {
  const counts = new Map<string, number>();
  let total = 0;
  return {
    acquire(userId) {
      const n = counts.get(userId) ?? 0;
      if (n >= maxPerUser) return undefined;
      counts.set(userId, n + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (counts.get(userId) ?? 1) - 1;
        if (left > 0) counts.set(userId, left);
        else counts.delete(userId);
      };
    },
    open: () => total,
  };
}
