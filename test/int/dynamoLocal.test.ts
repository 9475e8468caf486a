import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { GSI1, GSI2, TTL_ATTRIBUTE } from "../../src/adapters/dynamodb/tableDefinition.js";
import { createTestServices } from "../support/testServices.js";

describe("DynamoDB Local", () => {
  it("creates the table from the one definition: keys, GSI1, GSI2, NEW_IMAGE stream and TTL", async () => {
    const services = await createTestServices();
    const TableName = services.config.tableName;
    const { Table } = await services.db.send(new DescribeTableCommand({ TableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([GSI1, GSI2].sort());
    expect(Table?.StreamSpecification?.StreamViewType).toBe("NEW_IMAGE");
    const ttl = await services.db.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(TTL_ATTRIBUTE);
  });
});
