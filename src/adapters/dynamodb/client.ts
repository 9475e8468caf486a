import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { traced } from "../../observability.js";
import { localEndpoint } from "../localEndpoint.js";

export interface DynamoConfig {
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
}

export function createDynamoClient(config: Omit<DynamoConfig, "tableName">): DynamoDBClient {
  return traced(new DynamoDBClient({ region: config.region, ...localEndpoint(config.endpoint) }));
}

export function createDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
