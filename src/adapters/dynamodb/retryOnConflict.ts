import { setTimeout as sleep } from "node:timers/promises";
import { TransactionCanceledException, TransactionConflictException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConcurrentModificationError } from "../../domain/errors.js";
import { transactWrite, type NamedItem } from "./transact.js";

const MAX_TRIES = 8;

/**
 * DynamoDB cancels a transaction that touches an item another transaction is writing at that
 * moment ("TransactionConflict"), without judging any condition. Every item we write carries the
 * conditions that make it correct, so running the same items again is safe: the retry either
 * commits or fails on the condition that the winner broke, with that condition's domain error.
 */
export async function transactWriteRetryingConflicts(
  client: DynamoDBDocumentClient,
  items: readonly NamedItem[],
): Promise<void> {
  await retryingConflicts(() => transactWrite(client, items));
}

/** Runs `write` again while it loses to a concurrent transaction; 409 if it keeps losing. */
export async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= MAX_TRIES) throw new ConcurrentModificationError();
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

function isConflict(error: unknown): boolean {
  if (error instanceof TransactionConflictException) return true;
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === "TransactionConflict")
  );
}
