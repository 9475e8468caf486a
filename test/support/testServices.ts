import { randomBytes, randomUUID } from "node:crypto";
import { inject } from "vitest";
import { bootstrapTable } from "../../local/dynamodb/bootstrapTable.js";
import { createHmacHasher } from "../../src/adapters/secrets/hmacHasher.js";
import { configFromEnv, type AppConfig } from "../../src/composition/config.js";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../src/composition/factories/dynamo.js";
import { createServices, setServices, type ServiceGraph, type ServiceOverrides } from "../../src/composition/services.js";
import { SesTestMailbox } from "./sesMailbox.js";

/**
 * Installs a graph for every entry point of this process, as createTestServices does with its own:
 * tests that run handlers on a changed graph reach the composition root through here, so use case
 * folders need not import it.
 */
export { setServices };

export interface TestServices extends ServiceGraph {
  /** The graph's own DynamoDB client, for a test's direct reads and writes (not a port: use cases never see it). */
  db: DynamoDBDocumentClient;
  /** What the graph mailed, as the file's local SES server received it (SESv2 over HTTP). */
  mailbox: SesTestMailbox;
}

/**
 * A fresh table on the shared DynamoDB Local and the real service graph over it. Also installed as
 * the process-wide graph, so Lambda entry points under test use the same table and mailbox.
 */
export async function createTestServices(overrides: ServiceOverrides = {}, config: Partial<AppConfig> = {}): Promise<TestServices> {
  const endpoint = inject("dynamoEndpoint");
  const tableName = `test-${randomUUID()}`;
  await bootstrapTable(endpoint, tableName);
  const mailbox = await SesTestMailbox.create();
  const services = createServices(
    { ...configFromEnv(), dynamoEndpoint: endpoint, tableName, environment: "test", ...config },
    // Each test graph has a code secret of its own, as each deployment does.
    { mailer: mailbox, keyedHasher: createHmacHasher(() => Promise.resolve(randomBytes(32))), ...overrides },
  );
  setServices(services);
  return { ...services, db: documentClient(services.config), mailbox };
}
