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

/** Creates the profile; fails if it already exists (a replayed sign-up). */
export function putNewProfile(tableName: string, profile: UserProfile, emailCount: number): NamedItem {
  const item: ProfileItem = { ...keys.profile(profile.userId), ...profile, emailCount };
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
  options: { requireActive?: boolean } = {},
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
    onConditionFailed: (old) =>
      old && options.requireActive && old.status !== "active"
        ? new AccountNotActiveError()
        : new ConcurrentModificationError(),
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
  options: { max?: number; requireActive?: boolean } = {},
): NamedItem {
  const conditions = ["attribute_exists(PK)"];
  const values: Record<string, unknown> = { ":delta": delta };
  const names: Record<string, string> = { "#count": "emailCount" };
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
        UpdateExpression: "ADD #count :delta",
        ConditionExpression: conditions.join(" AND "),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    onConditionFailed: (old) => {
      if (!old) return new NotFoundError("User");
      if (options.requireActive && old.status !== "active") return new AccountNotActiveError();
      if (options.max !== undefined && Number(old.emailCount) >= options.max) return new EmailLimitReachedError(options.max);
      if (delta < 0 && Number(old.emailCount) <= 1) return new CannotDeleteLastEmailError();
      return new NotFoundError("Email");
    },
  };
}
