import type { DomainEvent } from "../domain/events.js";

/** What one purge of one account came to. */
export type PurgeOutcome =
  /** Erased now: the final transaction deleted the profile and wrote `user.purged`. */
  | "purged"
  /** No profile: never existed, or an earlier (or concurrent) run already finished. */
  | "absent"
  /** `dueOnly` and the account is not a deleted one whose purgeAt has passed (restored, or not yet due). */
  | "not-due";

/**
 * Erasure of accounts (SPEC 12.2). The profile (with a purge marker) is kept until the very end, so
 * a run that stops half way leaves the account findable and the next run finishes it.
 */
export interface AccountPurgeStore {
  /** Deleted accounts whose purgeAt is at or before `now`, oldest first (the sparse status index; no scan). */
  dueForPurge(now: string, limit: number): Promise<string[]>;
  /**
   * Erases every item of the user: partition (profile, addresses, codes, activity, link pointers
   * and the tokens they name), address claims the user holds, idempotency records and the user's
   * rate windows; the last step deletes the profile and writes the event in one transaction:
   * `event(sequence)` builds it with the next number of the user's order (SPEC 12.7), the one
   * after the sequence the deleted profile holds (the deletion is conditioned on it).
   * `dueOnly` (the scheduled job) purges only a deleted account whose purgeAt has passed; without
   * it (an admin) any account is purged, a live one first marked deleted so that it takes no write.
   */
  purge(userId: string, options: { now: string; dueOnly: boolean; event: (sequence: number) => DomainEvent<"user.purged"> }): Promise<PurgeOutcome>;
}
