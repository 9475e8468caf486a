import { SequenceConflictError, type DomainEvent } from "../../domain/events.js";
import type { UserProfile } from "../../domain/user.js";
import {
  AccountNotActiveError,
  CannotDeleteLastEmailError,
  ConcurrentModificationError,
  EmailLimitReachedError,
  NotFoundError,
} from "../../domain/errors.js";
import { keys } from "./keys.js";
import type { NamedItem } from "./transact.js";

/** The profile item: the domain profile plus keys and the email counter. */
export interface ProfileItem extends UserProfile {
  PK: string;
  SK: string;
  /** Addresses held; kept in the same transactions that add or remove them, capped by condition. */
  emailCount: number;
  /** The sparse status index (keys.statusIndex): present only while suspended or deleted. */
  GSI2PK?: string;
  GSI2SK?: string;
  /** The sequence of the user's last event (SPEC 12.7); moved only with the events, in their transaction. */
  sequence?: number;
  /** Set by the purge when it starts erasing the account (the purge marker; see accountPurgeItems.ts). */
  purgeStartedAt?: string;
  /** Normalized addresses whose claims the purge releases, recorded before any email item goes. */
  purgeAddresses?: Set<string>;
}

export function toProfile(item: Record<string, unknown>): UserProfile {
  const {
    PK: _pk,
    SK: _sk,
    emailCount: _count,
    GSI2PK: _gsi2pk,
    GSI2SK: _gsi2sk,
    purgeStartedAt: _purging,
    purgeAddresses: _addresses,
    sequence: _sequence,
    ...profile
  } = item as unknown as ProfileItem;
  return profile;
}

/**
 * The profile's place in the sparse status index (GSI2), derived from its status: a deleted
 * profile sorts by purgeAt (the purge job's due accounts), a suspended one by updatedAt (the admin
 * listing); an active profile has none. Every profile write through putProfileAtVersion keeps it in
 * step, so suspend, reactivate, delete and restore need nothing else.
 */
export function statusIndexOf(profile: Pick<UserProfile, "status" | "updatedAt" | "purgeAt" | "deletedAt">): { GSI2PK: string; GSI2SK: string } | undefined {
  if (profile.status === "deleted") return keys.statusIndex("deleted", profile.purgeAt ?? profile.deletedAt ?? profile.updatedAt);
  if (profile.status === "suspended") return keys.statusIndex("suspended", profile.updatedAt);
  return undefined;
}

/** The sequence of the user's last event, as a stored profile holds it (0: none recorded yet). */
export function sequenceOfItem(item: Record<string, unknown>): number {
  return typeof item.sequence === "number" ? item.sequence : 0;
}

/**
 * What a transaction does to a user's event counter: it read `read`, its events about the user
 * carry read+1..next, and the profile is moved to `next` only if it still holds `read`.
 */
export interface SequenceStep {
  userId: string;
  read: number;
  next: number;
}

/**
 * The step of `userId`'s counter that `events` (those about that user) make. They must carry
 * consecutive sequences: a change builds them from one read of the profile.
 */
export function sequenceStepOf(events: readonly DomainEvent[], userId: string): SequenceStep | undefined {
  const sequences = events.filter((event) => event.detail.userId === userId).map((event) => event.detail.sequence);
  if (sequences.length === 0) return undefined;
  const first = Math.min(...sequences);
  const last = Math.max(...sequences);
  if (last - first + 1 !== sequences.length || new Set(sequences).size !== sequences.length) {
    throw new Error(`Events about ${userId} carry non-consecutive sequences ${sequences.join(",")}`);
  }
  return { userId, read: first - 1, next: last };
}

/** The update's part of a step: SET the counter, on condition it holds what was read (absent counts as 0). */
function sequenceClauses(step: SequenceStep): { set: string; condition: string; names: Record<string, string>; values: Record<string, unknown> } {
  return {
    set: "#sequence = :sequenceNext",
    condition: step.read === 0 ? "(attribute_not_exists(#sequence) OR #sequence = :sequenceRead)" : "#sequence = :sequenceRead",
    names: { "#sequence": "sequence" },
    values: { ":sequenceRead": step.read, ":sequenceNext": step.next },
  };
}

/** True when the stored profile's counter moved since `step` read it: the change must read again. */
export function sequenceMoved(old: Record<string, unknown>, step: SequenceStep | undefined): boolean {
  return step !== undefined && sequenceOfItem(old) !== step.read;
}

/** Creates the profile; fails if it already exists (a replayed sign-up). `sequence`: its user.created's (1). */
export function putNewProfile(tableName: string, profile: UserProfile, emailCount: number, sequence: number): NamedItem {
  const item: ProfileItem = { ...keys.profile(profile.userId), ...profile, emailCount, sequence };
  return {
    name: "putNewProfile",
    item: { Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" } },
  };
}

/**
 * Replaces the profile's own fields, conditioned on the version the caller read: the
 * optimistic lock. `requireActive` adds the status check for user-initiated writes.
 */
export function putProfileAtVersion(
  tableName: string,
  next: UserProfile,
  expectedVersion: number,
  options: { requireActive?: boolean; sequence?: SequenceStep } = {},
): NamedItem {
  const fields = ["email", "firstName", "lastName", "phone", "status", "version", "updatedAt", "deletedAt", "purgeAt", "suspendedReason"] as const;
  const sets: string[] = [];
  const removes: string[] = [];
  const values: Record<string, unknown> = { ":expected": expectedVersion };
  const names: Record<string, string> = { "#version": "version" };
  for (const field of fields) {
    names[`#${field}`] = field;
    const value = next[field];
    if (value === undefined) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  const index = statusIndexOf(next);
  if (index) {
    sets.push("GSI2PK = :gsi2pk", "GSI2SK = :gsi2sk");
    values[":gsi2pk"] = index.GSI2PK;
    values[":gsi2sk"] = index.GSI2SK;
  } else removes.push("GSI2PK", "GSI2SK");
  let condition = "attribute_exists(PK) AND #version = :expected";
  if (options.requireActive) {
    condition += " AND #status = :active";
    values[":active"] = "active";
  }
  if (options.sequence) {
    // The version condition alone would not do: an address add or a verification moves the
    // counter without a new version.
    const clauses = sequenceClauses(options.sequence);
    sets.push(clauses.set);
    condition += ` AND ${clauses.condition}`;
    Object.assign(names, clauses.names);
    Object.assign(values, clauses.values);
  }
  return {
    name: "putProfileAtVersion",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.profile(next.userId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    onConditionFailed: (old) => {
      if (old && options.requireActive && old.status !== "active") return new AccountNotActiveError();
      // Same version, another event in between: read again and retry (not the client's stale copy).
      if (old && old.version === expectedVersion && sequenceMoved(old, options.sequence)) return new SequenceConflictError();
      return new ConcurrentModificationError();
    },
  };
}

/**
 * The profile's part in a change that writes no other field of it (a verification): it must be
 * there (and active, for the user's own writes) and its counter moves by the change's events.
 */
export function advanceSequence(tableName: string, step: SequenceStep, options: { requireActive?: boolean } = {}): NamedItem {
  const clauses = sequenceClauses(step);
  const names: Record<string, string> = { ...clauses.names };
  const values: Record<string, unknown> = { ...clauses.values };
  let condition = `attribute_exists(PK) AND ${clauses.condition}`;
  if (options.requireActive) {
    names["#status"] = "status";
    values[":active"] = "active";
    condition += " AND #status = :active";
  }
  return {
    name: "advanceSequence",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.profile(step.userId),
        UpdateExpression: `SET ${clauses.set}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    onConditionFailed: (old) => {
      if (!old) return new NotFoundError("User");
      if (options.requireActive && old.status !== "active") return new AccountNotActiveError();
      return new SequenceConflictError();
    },
  };
}

/** Writes by suspended or deleted users are refused even with a valid token. */
export function requireActiveProfile(tableName: string, userId: string): NamedItem {
  return {
    name: "requireActiveProfile",
    item: {
      ConditionCheck: {
        TableName: tableName,
        Key: keys.profile(userId),
        ConditionExpression: "#status = :active",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":active": "active" },
      },
    },
    onConditionFailed: () => new AccountNotActiveError(),
  };
}

/**
 * Moves the profile's email counter in the same transaction as the add or remove: this is what
 * makes "at most five" and "at least one" hold under concurrency.
 */
export function adjustEmailCount(
  tableName: string,
  userId: string,
  delta: 1 | -1,
  options: { max?: number; requireActive?: boolean; sequence?: SequenceStep } = {},
): NamedItem {
  const conditions = ["attribute_exists(PK)"];
  const values: Record<string, unknown> = { ":delta": delta };
  const names: Record<string, string> = { "#count": "emailCount" };
  let update = "ADD #count :delta";
  if (options.sequence) {
    const clauses = sequenceClauses(options.sequence);
    update = `SET ${clauses.set} ${update}`;
    conditions.push(clauses.condition);
    Object.assign(names, clauses.names);
    Object.assign(values, clauses.values);
  }
  if (options.max !== undefined) {
    conditions.push("#count < :max");
    values[":max"] = options.max;
  }
  if (delta < 0) {
    conditions.push("#count > :one");
    values[":one"] = 1;
  }
  if (options.requireActive) {
    names["#status"] = "status";
    conditions.push("#status = :active");
    values[":active"] = "active";
  }
  return {
    name: "adjustEmailCount",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.profile(userId),
        UpdateExpression: update,
        ConditionExpression: conditions.join(" AND "),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    onConditionFailed: (old) => {
      if (!old) return new NotFoundError("User");
      if (options.requireActive && old.status !== "active") return new AccountNotActiveError();
      // Another event came first: the count read with it may be stale too, so read again.
      if (sequenceMoved(old, options.sequence)) return new SequenceConflictError();
      if (options.max !== undefined && Number(old.emailCount) >= options.max) return new EmailLimitReachedError(options.max);
      if (delta < 0 && Number(old.emailCount) <= 1) return new CannotDeleteLastEmailError();
      return new NotFoundError("Email");
    },
  };
}
