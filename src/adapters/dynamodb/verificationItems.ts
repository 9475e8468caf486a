import { InvalidVerificationCodeError } from "../../domain/errors.js";
import type { StoredCode } from "../../ports/emailStore.js";
import { keys } from "./keys.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/**
 * One live code per address. Only the hash is stored; `attempts` counts confirmations tried
 * against this code. `expiresAt` is the table's TTL attribute, so dead codes clean themselves up.
 */
export interface VerificationCodeItem {
  PK: string;
  SK: string;
  userId: string;
  emailId: string;
  /** Removed once the code is used up by wrong attempts. */
  codeHash?: string;
  attempts: number;
  [TTL_ATTRIBUTE]: number;
  createdAt: string;
}

export function toStoredCode(item: Record<string, unknown>): StoredCode & { emailId: string } {
  const { emailId, codeHash, attempts, [TTL_ATTRIBUTE]: expiresAt } = item as unknown as VerificationCodeItem;
  return { emailId, codeHash, attempts, expiresAt };
}

/** Writes a fresh code; a Put on the same key, so the previous code dies with it. */
export function putVerificationCode(
  tableName: string,
  userId: string,
  emailId: string,
  code: { codeHash: string; expiresAt: number; createdAt: string },
): NamedItem {
  const item: VerificationCodeItem = {
    ...keys.verificationCode(userId, emailId),
    userId,
    emailId,
    codeHash: code.codeHash,
    attempts: 0,
    [TTL_ATTRIBUTE]: code.expiresAt,
    createdAt: code.createdAt,
  };
  return { name: "putVerificationCode", item: { Put: { TableName: tableName, Item: item } } };
}

/**
 * Deletes the code. With `codeHash`, only if it is still that code: a confirmation racing a
 * resend must not consume the new code.
 */
export function deleteVerificationCode(
  tableName: string,
  userId: string,
  emailId: string,
  options: { codeHash?: string } = {},
): NamedItem {
  return {
    name: "deleteVerificationCode",
    item: {
      Delete: {
        TableName: tableName,
        Key: keys.verificationCode(userId, emailId),
        ...(options.codeHash
          ? { ConditionExpression: "codeHash = :hash", ExpressionAttributeValues: { ":hash": options.codeHash } }
          : {}),
      },
    },
    onConditionFailed: () => new InvalidVerificationCodeError(),
  };
}
