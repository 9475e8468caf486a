/**
 * Runs `load` on first call and hands every later caller the same promise. Adapters load their AWS
 * SDK client through it: a function that never sends an email or a queue message does not pay for
 * that client at cold start, and concurrent first calls still share one client. A failed load is
 * forgotten, so the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}
