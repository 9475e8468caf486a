import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ProfileStore } from "../../ports/profileStore.js";

export function createDynamoProfileStore(_db: DynamoDBDocumentClient, _tableName: string): ProfileStore {
  return {};
}
