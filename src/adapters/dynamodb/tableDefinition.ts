import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The one table, defined once: tests and the local stack create it from this, and a test checks
 * that terraform/dynamodb.tf declares the same keys, index, stream and TTL attribute.
 */
export const GSI1 = "GSI1";
/**
 * The sparse status index: suspended and deleted profiles only (keys.statusIndex). Projects what
 * the admin listing shows, so neither the listing nor the purge job reads the profiles themselves.
 */
export const GSI2 = "GSI2";
export const GSI2_PROJECTED = ["userId", "email", "status", "updatedAt", "purgeAt"];
export const TTL_ATTRIBUTE = "expiresAt";

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "PK", AttributeType: "S" },
      { AttributeName: "SK", AttributeType: "S" },
      { AttributeName: "GSI1PK", AttributeType: "S" },
      { AttributeName: "GSI1SK", AttributeType: "S" },
      { AttributeName: "GSI2PK", AttributeType: "S" },
      { AttributeName: "GSI2SK", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1,
        KeySchema: [
          { AttributeName: "GSI1PK", KeyType: "HASH" },
          { AttributeName: "GSI1SK", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: GSI2,
        KeySchema: [
          { AttributeName: "GSI2PK", KeyType: "HASH" },
          { AttributeName: "GSI2SK", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: GSI2_PROJECTED },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  };
}
