import { setTimeout as sleep } from "node:timers/promises";
import { ConcurrentModificationError } from "../domain/errors.js";
import { SequenceConflictError } from "../domain/events.js";

/** Reads and writes a change may take before a lost sequence race is answered 409. */
export const MAX_SEQUENCE_TRIES = 8;

/**
 * Runs a change (its read and its transaction) again while it loses the race on the user's event
 * sequence (SPEC 12.7): another change committed an event for the user between this one's read
 * and its write. The failed transaction wrote nothing and consumed no number; the next run reads
 * the new counter. A change that keeps losing is 409 "Resource was modified".
 */
export async function retryingSequenceConflicts<T>(change: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof SequenceConflictError)) throw error;
      if (attempt >= MAX_SEQUENCE_TRIES) throw new ConcurrentModificationError();
      await sleep(Math.random() * 10 * 2 ** Math.min(attempt, 5));
    }
  }
}
