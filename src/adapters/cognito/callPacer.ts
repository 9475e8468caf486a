/**
 * Spaces the calls of one Lambda container at most `callsPerSecond` apart: with the function's
 * reserved concurrency, this caps the account's rate for the category (docs/capacity.md), so a
 * burst queues in Lambda instead of being throttled by Cognito. Unset or 0: no pacing.
 */
export function callPacer(
  callsPerSecond: number | undefined,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): () => Promise<void> {
  if (!callsPerSecond || callsPerSecond <= 0) return () => Promise.resolve();
  const spacing = 1000 / callsPerSecond;
  let nextSlot = 0;
  return async () => {
    // Take a slot now, synchronously, so concurrent callers line up one spacing apart.
    const now = clock.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacing;
    if (slot > now) await clock.sleep(slot - now);
  };
}
