import type { AddressSendCount, CodeSendWindows, SendLimitState } from "../domain/codeSendLimits.js";
import type { EmailRecord } from "../domain/email.js";
import type { DomainEvent } from "../domain/events.js";
import type { LinkTokenRecord } from "../domain/linkToken.js";
import type { UserProfile } from "../domain/user.js";
import type { AddressClaim } from "./profileStore.js";

export type { AddressClaim, SendLimitState };

/** A stored verification code: its hash (gone once used up), tries so far, expiry (epoch seconds). */
export interface StoredCode {
  codeHash?: string;
  attempts: number;
  expiresAt: number;
}

/** A user's partition read in one Query: the profile, the addresses and their live codes. */
export interface EmailAccount {
  profile: UserProfile;
  /** The sequence of the user's last event (SPEC 12.7; 0 if none recorded): a change's events carry the next ones. */
  sequence: number;
  emails: EmailRecord[];
  codes: Map<string, StoredCode>;
  /** The digest of the user's live revert link, if any (its pointer is in the partition): a new one replaces it. */
  revertLinkDigest?: string;
}

/** A code send, counted in the address's window and the user's, refused while the address is locked. */
export interface CodeSend {
  userId: string;
  /** The stored address; the store counts it under its sendLimitKey. */
  address: string;
  windows: CodeSendWindows;
  count: AddressSendCount;
  nowEpoch: number;
}

/** What an add needs to know about the address, read in one round trip. */
export interface AddressState {
  claim?: AddressClaim;
  limits: SendLimitState;
  /** The adding user's primary address (the profile's), read in the same round trip: the "address added" notice goes there. */
  primaryAddress?: string;
  /** The adding user's event sequence, from the same profile read (absent: no profile). */
  sequence?: number;
}

/** What a resend needs; profile or email is missing when it does not exist. */
export interface ResendTarget {
  profile?: UserProfile;
  email?: EmailRecord;
  limits: SendLimitState;
}

export interface NewCode {
  codeHash: string;
  expiresAt: number;
}

export interface AddEmailChange {
  userId: string;
  record: EmailRecord;
  maxEmails: number;
  /** Epoch seconds until which the new claim keeps other accounts out (claimBlockAfterSend). */
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
  addressState(address: string, send: Pick<CodeSend, "userId" | "windows">): Promise<AddressState>;
  resendTarget(userId: string, emailId: string, windows: CodeSendWindows): Promise<ResendTarget>;
  /** A user's event sequence alone (a takeover's stale owner); undefined without a profile. */
  sequenceOf(userId: string): Promise<number | undefined>;

  add(change: AddEmailChange): Promise<void>;
  remove(change: { userId: string; record: EmailRecord; events: DomainEvent[] }): Promise<void>;
  /**
   * Replaces the address's code with a new one, counting the send against the windows; with
   * `claimBlocksUntil`, the address's claim keeps other accounts out until then.
   */
  replaceCode(change: { userId: string; emailId: string; code: NewCode; send: CodeSend; claimBlocksUntil?: number }): Promise<void>;
  /**
   * Spends one of the code's tries before it is compared, so parallel guesses cannot outrun the
   * limit. "replaced": the code is no longer the one read; "exhausted": no tries left.
   */
  spendAttempt(userId: string, emailId: string, codeHash: string, maxAttempts: number): Promise<AttemptOutcome>;
  /** Removes the hash of a code that has used up its tries, if it is still that code. */
  killCode(userId: string, emailId: string, codeHash: string): Promise<void>;
  /** Counts a killed code against the address (all its tagged variants); returns every kill on record. */
  recordCodeKill(address: string, nowEpoch: number): Promise<number[]>;
  /** No code for the address, or its tagged variants, until `lockedUntil` (epoch seconds). */
  lockAddress(address: string, lockedUntil: number): Promise<void>;
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
    /**
     * The revert link mailed to the old primary, issued in the switch's transaction; `replaces`
     * is the live one read with the account (EmailAccount.revertLinkDigest), deleted in it.
     */
    revertLink?: { token: LinkTokenRecord; replaces?: string };
  }): Promise<void>;
}
