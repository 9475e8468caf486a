import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { createDynamoClient, type DynamoConfig } from "./client.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";

/** Opens the persistence layer for one partition (one caller's records). */
export type IdempotencyStoreFactory = (partitionKey: string) => BasePersistenceLayer;

/**
 * Powertools idempotency records live in the one table: PK is the caller's partition, SK the
 * hashed key, and `expiresAt` is the table's TTL attribute, so old records expire on their own.
 * One low-level client serves every layer; a layer is cheap and per request.
 */
export function createIdempotencyStoreFactory(config: DynamoConfig): IdempotencyStoreFactory {
  const client = createDynamoClient(config);
  return (partitionKey) =>
    new DynamoDBPersistenceLayer({
      tableName: config.tableName,
      keyAttr: "PK",
      sortKeyAttr: "SK",
      staticPkValue: partitionKey,
      expiryAttr: TTL_ATTRIBUTE,
      awsSdkV3Client: client,
    });
}
