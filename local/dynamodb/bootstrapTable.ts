import { createDynamoClient } from "../../src/adapters/dynamodb/client.js";
import { ensureTable } from "../../src/adapters/dynamodb/ensureTable.js";

/**
 * The service's table on a DynamoDB Local, from the one definition (src/adapters/dynamodb/
 * tableDefinition.ts): created with its TTL if missing, given the indexes added since if kept from
 * an older definition. The local stack, the integration tests and the benchmark all make their
 * table here; in AWS Terraform owns it.
 */
export async function bootstrapTable(endpoint: string, tableName: string, region = "us-east-1"): Promise<void> {
  const client = createDynamoClient({ endpoint, region });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
}
