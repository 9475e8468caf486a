/**
 * Runs `load` on first call and hands every later caller the same promise. Adapters create their
 * AWS SDK client through it: an invocation that never sends an email or a queue message does not
 * build that client, and concurrent first calls still share one client. (Whether a function bundles
 * a client at all is decided by its composition: src/composition/factories/.) A failed load is
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
