import { ListTablesCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createTestServices } from "../support/testServices.js";

describe("DynamoDB Local", () => {
  it("creates the table with GSI1 and a NEW_IMAGE stream from the one definition", async () => {
    const services = await createTestServices();
    const tables = await services.db.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(services.config.tableName);
    const { Table } = await services.db.send(new DescribeTableCommand({ TableName: services.config.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe("GSI1");
    expect(Table?.StreamSpecification?.StreamViewType).toBe("NEW_IMAGE");
  });
});
