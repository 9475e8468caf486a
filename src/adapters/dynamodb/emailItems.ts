import type { EmailRecord } from "../../domain/email.js";
import {
  CannotDeletePrimaryEmailError,
  ConcurrentModificationError,
  EmailAlreadyVerifiedError,
  EmailNotAvailableError,
  EmailNotVerifiedError,
  NotFoundError,
} from "../../domain/errors.js";
import { keys } from "./keys.js";
import type { NamedItem } from "./transact.js";

/** The email item: the record plus keys; GSI1 finds its owner by address. */
export interface EmailItem extends EmailRecord {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  userId: string;
  /**
   * A copy of the address's send count that earlier versions kept here; no longer written or read
   * (the count is folded over tagged variants now, which one item cannot mirror), only kept out of
   * the record for items written before.
   */
  codeSendWindow?: number;
  codeSends?: number;
}

export function toEmailRecord(item: Record<string, unknown>): EmailRecord {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1,
    GSI1SK: _g2,
    userId: _u,
    codeSendWindow: _w,
    codeSends: _s,
    ...record
  } = item as unknown as EmailItem;
  return record;
}

export function putEmail(tableName: string, userId: string, record: EmailRecord): NamedItem {
  const item: EmailItem = {
    ...keys.email(userId, record.emailId),
    ...keys.emailIndex(record.email, userId),
    userId,
    ...record,
  };
  return {
    name: "putEmail",
    item: { Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" } },
  };
}

/** Deletes an email item; `onlyIfUnverified` guards a takeover against a just-verified address. */
export function deleteEmail(
  tableName: string,
  userId: string,
  emailId: string,
  options: { onlyIfUnverified?: boolean; onlyIfNotPrimary?: boolean } = {},
): NamedItem {
  const conditions = ["attribute_exists(PK)"];
  const values: Record<string, unknown> = {};
  if (options.onlyIfUnverified) {
    conditions.push("isVerified = :false");
    values[":false"] = false;
  }
  if (options.onlyIfNotPrimary) {
    conditions.push("isPrimary = :false");
    values[":false"] = false;
  }
  return {
    name: "deleteEmail",
    item: {
      Delete: {
        TableName: tableName,
        Key: keys.email(userId, emailId),
        ConditionExpression: conditions.join(" AND "),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      },
    },
    onConditionFailed: (old) => {
      if (!old) return new NotFoundError("Email");
      if (options.onlyIfNotPrimary && old.isPrimary === true) return new CannotDeletePrimaryEmailError();
      return new EmailNotAvailableError();
    },
  };
}

/** Marks an address verified; refuses one already verified or gone. */
export function markEmailVerified(tableName: string, userId: string, emailId: string, verifiedAt: string): NamedItem {
  return {
    name: "markEmailVerified",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.email(userId, emailId),
        UpdateExpression: "SET isVerified = :true, verifiedAt = :at",
        ConditionExpression: "attribute_exists(PK) AND isVerified = :false",
        ExpressionAttributeValues: { ":true": true, ":false": false, ":at": verifiedAt },
      },
    },
    onConditionFailed: (old) => (old ? new EmailAlreadyVerifiedError() : new NotFoundError("Email")),
  };
}

/** Demotes the primary read before the switch; fails if another switch got there first. */
export function unsetEmailPrimary(tableName: string, userId: string, emailId: string): NamedItem {
  return {
    name: "unsetEmailPrimary",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.email(userId, emailId),
        UpdateExpression: "SET isPrimary = :false",
        ConditionExpression: "isPrimary = :true",
        ExpressionAttributeValues: { ":true": true, ":false": false },
      },
    },
    onConditionFailed: () => new ConcurrentModificationError(),
  };
}

/** Promotes an address: it must still exist, be verified and not already be primary. */
export function setEmailPrimary(tableName: string, userId: string, emailId: string): NamedItem {
  return {
    name: "setEmailPrimary",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.email(userId, emailId),
        UpdateExpression: "SET isPrimary = :true",
        ConditionExpression: "attribute_exists(PK) AND isVerified = :true AND isPrimary = :false",
        ExpressionAttributeValues: { ":true": true, ":false": false },
      },
    },
    onConditionFailed: (old) => {
      if (!old) return new NotFoundError("Email");
      if (old.isVerified !== true) return new EmailNotVerifiedError();
      return new ConcurrentModificationError();
    },
  };
}

/** A resend's guard: the address still exists and is unverified (a code for a verified one is pointless). */
export function requireUnverifiedEmail(tableName: string, userId: string, emailId: string): NamedItem {
  return {
    name: "requireUnverifiedEmail",
    item: {
      ConditionCheck: {
        TableName: tableName,
        Key: keys.email(userId, emailId),
        ConditionExpression: "attribute_exists(PK) AND isVerified = :false",
        ExpressionAttributeValues: { ":false": false },
      },
    },
    onConditionFailed: (old) => (old ? new EmailAlreadyVerifiedError() : new NotFoundError("Email")),
  };
}
