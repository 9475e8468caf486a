import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { systemActor } from "../../src/domain/activity.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context, DynamoDBBatchResponse } from "aws-lambda";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { putOutboxEvent } from "../../src/adapters/dynamodb/outboxItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import { eventContext } from "../../src/usecases/eventContext.js";
import { createEvent, type DomainEvent } from "../../src/domain/events.js";
import { handler } from "../../src/handlers/events/outboxRelay.js";
import { startEventBridgeServer, type EventBridgeServer, type PutEventsEntry } from "../../local/events/eventBridgeServer.js";
import { createLocalEventBus, type LocalEventBus } from "../../local/events/eventBus.js";
import { fileStreamCheckpoint } from "../../local/dynamodb/streamCheckpoint.js";
import { createStreamPoller, type StreamFailure, type StreamPoller } from "../../local/dynamodb/streamPoller.js";
import { relayRetriesFast } from "../support/relayPipeline.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

const context = { functionName: "outboxRelay", awsRequestId: "local", getRemainingTimeInMillis: () => 30_000 } as Context;

let dir: string;
let services: TestServices;
let server: EventBridgeServer;
let bus: LocalEventBus;
let poller: StreamPoller | undefined;
let reject: (entry: PutEventsEntry) => boolean = () => false;
/** Sequence numbers handed to the relay, once per delivery, across every poller of a test. */
let delivered: string[];
let failures: StreamFailure[];

let restoreRetries: () => void;
beforeAll(() => {
  restoreRetries = relayRetriesFast();
});
afterAll(() => restoreRetries());

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "stream-checkpoint-"));
  bus = createLocalEventBus({ baseDelayMs: 5 });
  server = await startEventBridgeServer({ onEvent: (entry) => bus.put(entry), reject: (entry) => reject(entry) });
  services = await createTestServices({}, { eventBridgeEndpoint: server.endpoint, eventBusName: "test-user-service" });
  delivered = [];
  failures = [];
  reject = () => false;
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await server.stop();
  await bus.stop();
  rmSync(dir, { recursive: true, force: true });
});

const checkpointFile = () => join(dir, "stream-checkpoint.json");

/** The local stack's relay: LATEST on a first-ever start, the position in the file afterwards. */
async function startPoller() {
  poller = createStreamPoller({
    endpoint: services.config.dynamoEndpoint ?? "",
    tableName: services.config.tableName,
    startingPosition: "LATEST",
    checkpoint: fileStreamCheckpoint(checkpointFile()),
    pollIntervalMs: 50,
    retryDelayMs: 10,
    maxRetryAttempts: 1,
    handler: async (event) => {
      delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ""));
      return (await handler(event, context)) as DynamoDBBatchResponse;
    },
    onFailure: (failure) => void failures.push(failure),
  });
  await poller.start();
}

async function stopPoller() {
  await poller?.stop();
  poller = undefined;
}

let counter = 0;
/** Outbox events written as the use cases write them: beside a profile item, in one transaction. */
async function writeEvents(count: number): Promise<string[]> {
  const events: DomainEvent[] = [];
  for (let i = 0; i < count; i++) {
    const n = counter++;
    const event = createEvent("user.updated", { userId: `user-${n}`, changedFields: ["firstName"] }, eventContext(services, `corr-${n}`, systemActor), 1);
    await transactWrite(services.db, [
      { name: "profile", item: { Put: { TableName: services.config.tableName, Item: { ...keys.profile(`user-${n}`), version: n } } } },
      putOutboxEvent(services.config.tableName, event),
    ]);
    events.push(event);
  }
  return events.map((e) => e.detail.eventId);
}

const eventIdsOnBus = () => bus.events().map((e) => e.detail.eventId as string);
const settle = () => new Promise((resolve) => setTimeout(resolve, 400)); // a repeat would have arrived by now

describe("the local relay keeps its stream position between runs", () => {
  it("publishes exactly the events written while it was stopped: none lost, none repeated", async () => {
    const beforeFirstStart = await writeEvents(2);
    await startPoller();
    const firstRun = await writeEvents(5);
    await vi.waitFor(() => expect(eventIdsOnBus()).toHaveLength(5), { timeout: 10_000, interval: 50 });
    await stopPoller();

    const whileStopped = await writeEvents(4);
    await settle();
    expect(eventIdsOnBus()).toHaveLength(5);

    await startPoller();
    await vi.waitFor(() => expect(eventIdsOnBus()).toHaveLength(9), { timeout: 10_000, interval: 50 });
    const afterRestart = await writeEvents(1);
    await vi.waitFor(() => expect(eventIdsOnBus()).toHaveLength(10), { timeout: 10_000, interval: 50 });
    await settle();

    // A first-ever start begins at LATEST, as the stack always did; every later start resumes.
    expect(eventIdsOnBus()).toEqual([...firstRun, ...whileStopped, ...afterRestart]);
    expect(eventIdsOnBus()).not.toContain(beforeFirstStart[0]);
    expect(delivered).toHaveLength(20); // each transaction: the profile's record and the outbox item's
    expect(new Set(delivered).size).toBe(delivered.length);
    const saved = JSON.parse(readFileSync(checkpointFile(), "utf8")) as Record<string, string>;
    expect(Object.values(saved)).toContain(delivered.at(-1));
  });

  it("reads a shard from its start when the stack stopped before handling any of its records", async () => {
    await startPoller();
    await stopPoller();
    expect(JSON.parse(readFileSync(checkpointFile(), "utf8"))).toEqual({});

    const whileStopped = await writeEvents(3);
    await startPoller();
    await vi.waitFor(() => expect(eventIdsOnBus()).toHaveLength(3), { timeout: 10_000, interval: 50 });
    await settle();
    expect(eventIdsOnBus()).toEqual(whileStopped);
  });

  it("moves past records handed to the on-failure destination, so a restart does not retry them", async () => {
    const poisonUser = `"userId":"user-${counter + 1}"`;
    reject = (entry) => entry.Detail?.includes(poisonUser) === true;
    await startPoller();
    const [healthy, poison] = await writeEvents(2);
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(failures[0]?.records.map((r) => r.dynamodb?.NewImage?.eventId?.S).filter(Boolean)).toEqual([poison]);
    expect(failures[0]?.attempts).toBe(2); // the first delivery and the one retry the mapping allows
    expect(poller?.stats()).toMatchObject({ retries: 1, reportedFailures: 2 });
    expect(eventIdsOnBus()).toEqual([healthy]);
    await stopPoller();

    reject = () => false; // EventBridge is back: a record read again would now be published
    const later = await writeEvents(1);
    await startPoller();
    await vi.waitFor(() => expect(eventIdsOnBus()).toHaveLength(2), { timeout: 10_000, interval: 50 });
    await settle();
    expect(eventIdsOnBus()).toEqual([healthy, ...later]);
    expect(failures).toHaveLength(1);
  });
});

describe("fileStreamCheckpoint", () => {
  it("reports a first-ever start once, then the positions saved, written whole", async () => {
    const first = fileStreamCheckpoint(checkpointFile());
    expect(await first.load()).toBeUndefined();
    await Promise.all([first.save("shard-a", "000000000000000000004"), first.save("shard-b", "000000000000000000007")]);
    await first.save("shard-a", "000000000000000000009");

    expect(await fileStreamCheckpoint(checkpointFile()).load()).toEqual({
      "shard-a": "000000000000000000009",
      "shard-b": "000000000000000000007",
    });
    expect(readdirSync(dir)).toEqual(["stream-checkpoint.json"]); // no temporary file left behind
  });

  it("refuses a file that is not a checkpoint rather than starting over", async () => {
    writeFileSync(checkpointFile(), JSON.stringify({ "shard-a": 4 }));
    await expect(fileStreamCheckpoint(checkpointFile()).load()).rejects.toThrow("is not a stream checkpoint");
  });
});
