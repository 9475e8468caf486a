import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys.js";
import { queryAll } from "./queryAll.js";

/**
 * A user's partition (profile, addresses, codes), strongly consistent, every page: a read that
 * follows the user's own write must see it. `sortKeyPrefix` narrows it to one kind of item.
 */
export async function queryUserPartition(
  db: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  sortKeyPrefix?: string,
): Promise<Record<string, unknown>[]> {
  return queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: sortKeyPrefix ? "PK = :pk AND begins_with(SK, :prefix)" : "PK = :pk",
    ExpressionAttributeValues: {
      ":pk": keys.userPartition(userId),
      ...(sortKeyPrefix ? { ":prefix": sortKeyPrefix } : {}),
    },
    ConsistentRead: true,
  });
}
