import type { ActivityItem, ActivityPage, ActivityPosition } from "../domain/activity.js";
import type { EmailRecord } from "../domain/email.js";
import type { DomainEvent } from "../domain/events.js";
import type { LinkTokenRecord } from "../domain/linkToken.js";
import type { UserProfile } from "../domain/user.js";
import type { SignUpMarkers } from "./signUpMarkers.js";

export interface ProfileWithEmails {
  profile: UserProfile;
  /** Unsorted; callers order them with sortEmails. */
  emails: EmailRecord[];
}

/** Who holds an address's uniqueness claim. */
export interface AddressClaim {
  userId: string;
  emailId: string;
  verified: boolean;
  /** Epoch seconds from which another account may take over an unverified claim (claimBlockAfterSend). */
  releaseAt?: number;
}

/** Everything a confirmed sign-up writes, in one transaction. */
export interface NewUser {
  profile: UserProfile;
  primaryEmail: EmailRecord;
  event: DomainEvent<"user.created">;
  /** Set when another account holds the address unverified: its claim and email item go. */
  takeOver?: { claim: AddressClaim; event: DomainEvent<"email.removed"> };
  /** The pool's username whose pending sign-up marker (SPEC 14.2) goes in the same transaction. */
  signUpMarker?: string;
}

/** Everything kept in a user's partition that may be shown to them, read in one consistent Query. */
export interface AccountData {
  profile: UserProfile;
  /** Unsorted. */
  emails: EmailRecord[];
  /** Newest first. */
  activity: ActivityItem[];
}

/**
 * Persistence of profiles and account status. Every write carries its outbox event and, beside
 * it, the activity item of the change (SPEC 12.5).
 */
export interface ProfileStore extends SignUpMarkers {
  get(userId: string): Promise<UserProfile | undefined>;
  /**
   * The profile with the sequence of the user's last event (SPEC 12.7; 0 if none recorded), in
   * the same single read: a change's events carry the next numbers.
   */
  getForChange(userId: string): Promise<{ profile: UserProfile; sequence: number } | undefined>;
  /** Profile and its email records in one read of the user's partition. */
  getWithEmails(userId: string): Promise<ProfileWithEmails | undefined>;
  /**
   * The account whose partition holds an email item for a normalized address (verified or not),
   * as a consistent read shows it now: the address index may lag, the answer never does.
   */
  findByAddress(address: string): Promise<ProfileWithEmails | undefined>;
  claimOf(address: string): Promise<AddressClaim | undefined>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion` (else
   * ConcurrentModificationError); `requireActive` also refuses non-active accounts. `issueLink`
   * writes the deletion's restore link token in the same transaction (no older one can exist).
   */
  saveAtVersion(
    next: UserProfile,
    expectedVersion: number,
    event: DomainEvent,
    options?: { requireActive?: boolean; issueLink?: LinkTokenRecord },
  ): Promise<void>;
  /** Fails if the profile or the address claim already exists. */
  createUser(newUser: NewUser): Promise<void>;
  /** One page of the user's activity, newest first, starting after `after` (exclusive). */
  activityPage(userId: string, page: { limit: number; after?: ActivityPosition }): Promise<ActivityPage>;
  /** Undefined when the user has no profile. Secrets (codes and their hashes) are never part of it. */
  accountData(userId: string): Promise<AccountData | undefined>;
}
