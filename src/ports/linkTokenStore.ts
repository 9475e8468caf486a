import type { EmailRecord } from "../domain/email.js";
import type { DomainEvent } from "../domain/events.js";
import type { LinkTokenRecord } from "../domain/linkToken.js";
import type { UserProfile } from "../domain/user.js";

/** POST /account/restore's write: the deleted profile made active again, the link spent. */
export interface RestoreChange {
  /** The profile as it becomes (status active, no deletedAt or purgeAt). */
  profile: UserProfile;
  expectedVersion: number;
  token: LinkTokenRecord;
  event: DomainEvent<"user.restored">;
}

/**
 * How the revert makes the old address primary again: `promote` an address the account still
 * holds (marked verified if it was re-added unverified), `readd` a removed one (claimed on
 * condition that nobody holds it), or `already` when it is primary again.
 */
export type RevertTarget =
  | { kind: "promote"; record: EmailRecord; verifiedAt: string }
  | { kind: "readd"; record: EmailRecord }
  | { kind: "already"; record: EmailRecord };

/** POST /account/revert's write, one transaction with the link spent. */
export interface RevertChange {
  /** The profile as it becomes (email: the restored address). */
  profile: UserProfile;
  expectedVersion: number;
  /** The primary being demoted; undefined when the target is primary already. */
  currentPrimary: EmailRecord | undefined;
  target: RevertTarget;
  token: LinkTokenRecord;
  event: DomainEvent<"email.primary.changed">;
}

/**
 * Link tokens and the two changes only a link authorizes. Tokens are issued inside the
 * transactions of the changes that mail them (account deletion, primary change: see their
 * stores); here they are found by the digest of the token a public route received, and spent in
 * the same transaction as the change they authorize (a used, replaced or racing token fails it
 * with InvalidLinkError).
 */
export interface LinkTokenStore {
  /** The token record, or undefined (unknown, consumed, replaced, or deleted by TTL). */
  find(digest: string): Promise<LinkTokenRecord | undefined>;
  restore(change: RestoreChange): Promise<void>;
  revert(change: RevertChange): Promise<void>;
}
