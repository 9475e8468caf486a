import { randomUUID } from "node:crypto";
import { systemActor } from "../../src/domain/activity.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { putOutboxEvent } from "../../src/adapters/dynamodb/outboxItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import { createEvent } from "../../src/domain/events.js";
import { startDynamoLocal } from "../../local/dynamodb/dynamoLocal.js";
import { startStack, type Stack } from "../../local/stack.js";

let dataDir = "";
let stack: Stack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** An outbox item written straight to the table, as a use case's transaction writes it. */
async function writeEvent(endpoint: string, tableName: string): Promise<string> {
  const raw = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const event = createEvent("user.reactivated", { userId: randomUUID() }, {
    correlationId: randomUUID(),
    environment: "local",
    now: new Date().toISOString(),
    newId: () => randomUUID(),
    actor: systemActor,
  }, 1);
  await transactWrite(DynamoDBDocumentClient.from(raw), [putOutboxEvent(tableName, event)]);
  raw.destroy();
  return event.detail.eventId;
}

async function publishedIds(apiUrl: string): Promise<string[]> {
  const { events } = (await (await fetch(`${apiUrl}/_local/events`)).json()) as { events: { detail: { eventId: string } }[] };
  return events.map((e) => e.detail.eventId);
}

const start = () => startStack({ port: 0, freePorts: true, persist: true, dataDir, requestLog: () => undefined });

describe("npm start with kept data", () => {
  it("publishes, after a restart, the outbox items written while the stack was down, and nothing twice", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "user-service-restart-"));
    stack = await start();
    const { tableName } = stack;
    const beforeStop = await writeEvent(stack.dynamoEndpoint, tableName);
    await vi.waitFor(async () => expect(await publishedIds(stack?.apiUrl ?? "")).toEqual([beforeStop]), { timeout: 15_000, interval: 100 });
    await stack.stop();
    stack = undefined;

    // The stack is down; the table is not (a deploy's writes, or a script against the kept data).
    const dynamo = await startDynamoLocal({ dbPath: join(dataDir, "dynamodb") });
    const whileDown = await writeEvent(dynamo.endpoint, tableName);
    await dynamo.stop();

    stack = await start();
    await vi.waitFor(async () => expect(await publishedIds(stack?.apiUrl ?? "")).toContain(whileDown), { timeout: 15_000, interval: 100 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a re-read of the first run's item would show by now
    expect(await publishedIds(stack.apiUrl)).toEqual([whileDown]);
  }, 90_000);
});
