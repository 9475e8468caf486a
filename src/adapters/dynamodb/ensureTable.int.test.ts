import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it, inject } from "vitest";
import { createDynamoClient } from "./client.js";
import { ensureTable } from "./ensureTable.js";
import { GSI1, GSI2, tableDefinition } from "./tableDefinition.js";

describe("ensureTable", () => {
  it("adds the indexes a table kept from an older definition lacks (the local stack's data folder)", async () => {
    const client = createDynamoClient({ region: "us-east-1", endpoint: inject("dynamoEndpoint") });
    const tableName = `old-${randomUUID()}`;
    const current = tableDefinition(tableName);
    // The table as it was before GSI2: GSI1 only, and only the attributes its keys use.
    await client.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: current.AttributeDefinitions?.filter((a) => !a.AttributeName?.startsWith("GSI2")),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.filter((index) => index.IndexName === GSI1),
      }),
    );
    try {
      await ensureTable(client, tableName);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([GSI1, GSI2]);
      const gsi2 = Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === GSI2);
      expect(gsi2?.Projection).toEqual(current.GlobalSecondaryIndexes?.find((index) => index.IndexName === GSI2)?.Projection);
      // A second start finds nothing to add.
      await ensureTable(client, tableName);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    }
  });
});
