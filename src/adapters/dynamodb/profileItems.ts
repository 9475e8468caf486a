import type { UserProfile } from "../../domain/user.js";
import { ConcurrentModificationError, AccountNotActiveError } from "../../domain/errors.js";
import { keys } from "./keys.js";
import type { NamedItem } from "./transact.js";

/** The profile item: the domain profile plus keys and the email counter. */
export interface ProfileItem extends UserProfile {
  PK: string;
  SK: string;
  /** Addresses held; kept in the same transactions that add or remove them, capped by condition. */
  emailCount: number;
}

export function toProfile(item: Record<string, unknown>): UserProfile {
  const { PK: _pk, SK: _sk, emailCount: _count, ...profile } = item as unknown as ProfileItem;
  return profile;
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
  const fields = ["email", "firstName", "lastName", "phone", "status", "version", "updatedAt", "deletedAt", "suspendedReason"] as const;
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
