import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DomainError } from "../../domain/errors.js";

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]
>[number];

/**
 * One element of a transaction, built by a named function (putEmail, putEmailClaim, ...).
 * `onConditionFailed` turns this element's failed condition into the domain's answer, so a
 * cancelled transaction says *which* rule was broken.
 */
export interface NamedItem {
  name: string;
  item: TransactItem;
  onConditionFailed?: (oldItem: Record<string, unknown> | undefined) => DomainError;
}

/** Runs one TransactWriteItems; maps the first failed condition to its item's domain error. */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  items: readonly NamedItem[],
): Promise<void> {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: items.map((named) => withOldItemOnFailure(named.item)),
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    for (const [index, reason] of reasons.entries()) {
      if (reason.Code !== "ConditionalCheckFailed") continue;
      const named = items[index];
      if (named?.onConditionFailed) {
        // The old item arrives in wire format: lib-dynamodb converts outputs, not errors.
        throw named.onConditionFailed(reason.Item && unmarshall(reason.Item));
      }
    }
    throw error;
  }
}

function withOldItemOnFailure(item: TransactItem): TransactItem {
  const [kind, body] = Object.entries(item)[0] as [string, Record<string, unknown>];
  if (!body.ConditionExpression) return item;
  return { [kind]: { ...body, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } } as TransactItem;
}
