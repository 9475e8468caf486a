import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AttemptOutcome } from "../../ports/emailStore.js";
import { keys } from "./keys.js";
import { retryingConflicts } from "./retryOnConflict.js";

/**
 * The code item's attempt counter, written on its own and not in a transaction: a try must be
 * spent even when the confirmation then fails, and before the code is compared.
 */
export async function spendCodeAttempt(
  db: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  emailId: string,
  codeHash: string,
  maxAttempts: number,
): Promise<AttemptOutcome> {
  try {
    const { Attributes } = await retryingConflicts(() =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.verificationCode(userId, emailId),
          UpdateExpression: "ADD attempts :one",
          ConditionExpression: "codeHash = :hash AND attempts < :max",
          ExpressionAttributeValues: { ":one": 1, ":hash": codeHash, ":max": maxAttempts },
          ReturnValues: "UPDATED_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    return { kind: "counted", attempts: Number(Attributes?.attempts) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The old item comes back in wire format. Same code, or one whose hash was removed
    // because its tries ran out: exhausted. Gone or another code: replaced.
    const old = error.Item;
    const usedUp = old !== undefined && (old.codeHash === undefined || old.codeHash.S === codeHash);
    return usedUp ? { kind: "exhausted" } : { kind: "replaced" };
  }
}

/**
 * Removes the hash of a code that used up its tries. Only that code: one sent meanwhile (a resend
 * racing the last wrong try) stays alive; a code already gone is left alone.
 */
export async function killVerificationCode(
  db: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  emailId: string,
  codeHash: string,
): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.verificationCode(userId, emailId),
        UpdateExpression: "REMOVE codeHash",
        ConditionExpression: "codeHash = :hash",
        ExpressionAttributeValues: { ":hash": codeHash },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
