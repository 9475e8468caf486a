import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EmailStore } from "../../ports/emailStore.js";

export function createDynamoEmailStore(_db: DynamoDBDocumentClient, _tableName: string): EmailStore {
  return {};
}
