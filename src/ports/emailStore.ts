import type { EmailRecord } from "../domain/email.js";
import type { DomainEvent } from "../domain/events.js";
import type { RateWindow } from "../domain/rateLimit.js";
import type { UserProfile } from "../domain/user.js";
import type { AddressClaim } from "./profileStore.js";

export type { AddressClaim };

/** A stored verification code: its hash (gone once used up), tries so far, expiry (epoch seconds). */
export interface StoredCode {
  codeHash?: string;
  attempts: number;
  expiresAt: number;
}

/** A user's partition read in one Query: the profile, the addresses and their live codes. */
export interface EmailAccount {
  profile: UserProfile;
  emails: EmailRecord[];
  codes: Map<string, StoredCode>;
}

/** A counted send of a code for one address. */
export interface CodeSend {
  address: string;
  window: RateWindow;
  nowEpoch: number;
  /** Sends of this address already counted in the window, as read before this one. */
  sendsBefore: number;
}

/** What an add needs to know about the address, read in one round trip. */
export interface AddressState {
  claim?: AddressClaim;
  /** Sends of the address counted so far in the window. */
  sends: number;
}

/** What a resend needs, read in one round trip; either part is missing when it does not exist. */
export interface ResendTarget {
  profile?: UserProfile;
  email?: EmailRecord;
  /** Sends of the address counted so far in the window, as of the address's last send. */
  sends: number;
}

export interface NewCode {
  codeHash: string;
  expiresAt: number;
}

export interface AddEmailChange {
  userId: string;
  record: EmailRecord;
  maxEmails: number;
  claimReleaseAt: number;
  code: NewCode;
  send: CodeSend;
  /** A stale unverified claim of someone else, taken over in the same transaction. */
  takeOver?: { claim: AddressClaim; nowEpoch: number };
  events: DomainEvent[];
}

export type AttemptOutcome = { kind: "counted"; attempts: number } | { kind: "exhausted" } | { kind: "replaced" };

/**
 * Persistence of addresses, their uniqueness claims, verification codes and send counters.
 * Every change is one transaction carrying its outbox events; a broken condition surfaces as the
 * domain error it stands for.
 */
export interface EmailStore {
  list(userId: string): Promise<EmailRecord[]>;
  /** Undefined when the user has no profile. */
  account(userId: string): Promise<EmailAccount | undefined>;
  addressState(address: string, window: RateWindow): Promise<AddressState>;
  resendTarget(userId: string, emailId: string, window: RateWindow): Promise<ResendTarget>;

  add(change: AddEmailChange): Promise<void>;
  remove(change: { userId: string; record: EmailRecord; events: DomainEvent[] }): Promise<void>;
  /** Replaces the address's code with a new one, counting the send against the window. */
  replaceCode(change: { userId: string; emailId: string; code: NewCode; send: CodeSend }): Promise<void>;
  /**
   * Spends one of the code's tries before it is compared, so parallel guesses cannot outrun the
   * limit. "replaced": the code is no longer the one read; "exhausted": no tries left.
   */
  spendAttempt(userId: string, emailId: string, codeHash: string, maxAttempts: number): Promise<AttemptOutcome>;
  /** Removes the hash of a code that has used up its tries. */
  killCode(userId: string, emailId: string): Promise<void>;
  confirm(change: {
    userId: string;
    record: EmailRecord;
    codeHash: string;
    verifiedAt: string;
    events: DomainEvent[];
  }): Promise<void>;
  switchPrimary(change: {
    profile: UserProfile;
    expectedVersion: number;
    oldPrimary: EmailRecord | undefined;
    newPrimary: EmailRecord;
    events: DomainEvent[];
  }): Promise<void>;
}
