import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ListedStatus, ListedUser, UserStatusListing } from "../../ports/userStatusListing.js";
import { keys } from "./keys.js";
import { GSI2 } from "./tableDefinition.js";

/**
 * The admin listing from the sparse status index (GSI2): one Query per page on the status's
 * partition, newest first, never a scan. The index projects exactly the listed fields. It is
 * eventually consistent (a GSI): an account suspended a moment ago may show a moment later.
 */
export function createDynamoStatusListing(db: DynamoDBDocumentClient, tableName: string): UserStatusListing {
  return {
    async page(status, { limit, after }) {
      // One more than asked: a next position only when another account really follows.
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI2,
          KeyConditionExpression: "GSI2PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.statusIndexPartition(status) },
          ScanIndexForward: false,
          Limit: limit + 1,
          ...(after ? { ExclusiveStartKey: { ...keys.statusIndex(status, after.sortKey), ...keys.profile(after.userId) } } : {}),
        }),
      );
      const page = Items.slice(0, limit);
      const items = page.map((item) => toListedUser(item, status));
      const last = page.at(-1);
      return Items.length > limit && last ? { items, next: { sortKey: String(last.GSI2SK), userId: String(last.userId) } } : { items };
    },
  };
}

function toListedUser(item: Record<string, unknown>, status: ListedStatus): ListedUser {
  return {
    userId: String(item.userId),
    email: String(item.email),
    status,
    updatedAt: String(item.updatedAt),
    ...(typeof item.purgeAt === "string" ? { purgeAt: item.purgeAt } : {}),
  };
}
