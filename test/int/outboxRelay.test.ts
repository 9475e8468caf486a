import { PutCommand, DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { systemActor } from "../../src/domain/activity.js";
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { putOutboxEvent } from "../../src/adapters/dynamodb/outboxItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import type { ServiceOverrides } from "../../src/composition/services.js";
import { eventContext } from "../../src/usecases/eventContext.js";
import { createEvent, EVENT_TYPES, type DomainEvent, type EventType } from "../../src/domain/events.js";
import { handler } from "../../src/handlers/events/outboxRelay.js";
import type { DeadLetter, DeadLetterQueue } from "../../src/ports/deadLetterQueue.js";
import { createSqsDeadLetterQueue } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import { startSqsServer, type LocalSqs } from "../../local/sqs/sqsServer.js";
import { startEventBridgeServer, type EventBridgeServer, type PutEventsEntry } from "../../local/events/eventBridgeServer.js";
import { createLocalEventBus, type LocalEventBus } from "../../local/events/eventBus.js";
import { createStreamPoller, type StreamFailure, type StreamPoller } from "../../local/dynamodb/streamPoller.js";
import { assertValidEvent } from "../support/eventSchemas.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

const context = { functionName: "outboxRelay", awsRequestId: "local", getRemainingTimeInMillis: () => 30_000 } as Context;

interface Pipeline {
  services: TestServices;
  server: EventBridgeServer;
  bus: LocalEventBus;
  poller: StreamPoller;
  failures: StreamFailure[];
  /** Sequence numbers of every record handed to the relay, once per delivery. */
  delivered: string[];
}

let running: Pipeline | undefined;
let sqs: LocalSqs | undefined;

afterEach(async () => {
  await sqs?.stop();
  sqs = undefined;
  await running?.poller.stop();
  await running?.server.stop();
  await running?.bus.stop();
  running = undefined;
});

/** DynamoDB Local's stream -> the real relay handler -> the local PutEvents endpoint -> the local bus. */
async function startPipeline(
  refuse: { failureRate?: number; reject?: (entry: PutEventsEntry) => boolean },
  maxRetryAttempts = 2,
  overrides: ServiceOverrides = {},
): Promise<Pipeline> {
  const bus = createLocalEventBus({ baseDelayMs: 5 });
  const server = await startEventBridgeServer({ onEvent: (entry) => bus.put(entry), ...refuse });
  const services = await createTestServices(overrides, { eventBridgeEndpoint: server.endpoint, eventBusName: "test-user-service" });
  const failures: StreamFailure[] = [];
  const delivered: string[] = [];
  const poller = createStreamPoller({
    endpoint: services.config.dynamoEndpoint ?? "",
    tableName: services.config.tableName,
    startingPosition: "TRIM_HORIZON",
    pollIntervalMs: 50,
    retryDelayMs: 20,
    maxRetryAttempts,
    handler: async (event) => {
      delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ""));
      return (await handler(event, context)) as DynamoDBBatchResponse;
    },
    onFailure: (failure) => {
      failures.push(failure);
    },
  });
  await poller.start();
  running = { services, server, bus, poller, failures, delivered };
  return running;
}

function sampleEvent(services: TestServices, type: EventType, i: number): DomainEvent {
  const ctx = eventContext(services, `corr-${i}`, systemActor);
  const userId = `user-${i}`;
  const email = `person${i}@example.com`;
  const payloads: { [T in EventType]: DomainEvent<T>["detail"] extends infer D ? Omit<D, "version" | "eventId" | "occurredAt" | "sequence" | "metadata"> : never } = {
    "user.created": { userId, email },
    "user.updated": { userId, changedFields: ["firstName"] },
    "user.deleted": { userId, deletedAt: ctx.now },
    "user.suspended": { userId, reason: "abuse report" },
    "user.reactivated": { userId },
    "user.restored": { userId },
    "user.purged": { userId, purgedAt: ctx.now },
    "email.added": { userId, emailId: `e-${i}`, email },
    "email.verified": { userId, emailId: `e-${i}`, email },
    "email.removed": { userId, emailId: `e-${i}`, email },
    "email.primary.changed": { userId, emailId: `e-${i}`, oldEmail: email, newEmail: `new${i}@example.com` },
  };
  return createEvent(type, payloads[type], ctx, 1);
}

const sampleEvents = (services: TestServices, count: number) =>
  Array.from({ length: count }, (_, i) => sampleEvent(services, EVENT_TYPES[i % EVENT_TYPES.length] as EventType, i));

/** Writes the events, two per transaction beside a profile item, as the use cases do. */
async function writeEvents(services: TestServices, countOrEvents: number | DomainEvent[]): Promise<DomainEvent[]> {
  const events = typeof countOrEvents === "number" ? sampleEvents(services, countOrEvents) : countOrEvents;
  for (let i = 0; i < events.length; i += 2) {
    const pair = events.slice(i, i + 2);
    await transactWrite(services.db, [
      { name: "profile", item: { Put: { TableName: services.config.tableName, Item: { ...keys.profile(`user-${i}`), version: 1 } } } },
      ...pair.map((event) => putOutboxEvent(services.config.tableName, event)),
    ]);
  }
  return events;
}

/**
 * The relay's dead-letter queue at the port boundary: there is no local SQS engine to run the SQS
 * adapter against, so what the relay hands the port is what these tests check.
 */
function memoryDeadLetterQueue(refuse: (entry: DeadLetter) => boolean = () => false) {
  const sends: DeadLetter[][] = [];
  const stored: DeadLetter[] = [];
  const queue: DeadLetterQueue = {
    async send(entries) {
      sends.push([...entries]);
      stored.push(...entries.filter((e) => !refuse(e)));
      return { failed: entries.filter(refuse).map((e) => ({ eventId: e.eventId, reason: "KmsThrottled: refused" })) };
    },
  };
  return { queue, sends, stored };
}

/**
 * The relay's real SQS adapter on a local SQS server (SendMessageBatch over the wire, as in AWS, and
 * recorded for the IAM evidence test); `stored` keeps what the queue took.
 */
async function sqsDeadLetterQueue() {
  sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "test-user-service-dlq" }] });
  const real = createSqsDeadLetterQueue({
    region: "us-east-1",
    eventBusName: "test-user-service",
    sqsEndpoint: sqs.endpoint,
    queueUrl: sqs.queueUrl("test-user-service-dlq"),
  });
  const stored: DeadLetter[] = [];
  const queue: DeadLetterQueue = {
    async send(entries) {
      const answer = await real.send(entries);
      const failed = new Set(answer.failed.map((f) => f.eventId));
      stored.push(...entries.filter((e) => !failed.has(e.eventId)));
      return answer;
    },
  };
  return { queue, stored };
}

const eventIdsOnBus = (bus: LocalEventBus) => bus.events().map((e) => e.detail.eventId as string);

describe("outbox relay through DynamoDB Local's stream", () => {
  it("delivers every event exactly once while EventBridge refuses ~30% of entries", async () => {
    const refusals = new Map<string, number>();
    // Refused at random, but never more often than the relay resends within one invocation.
    const reject = (entry: PutEventsEntry) => {
      const id = (JSON.parse(entry.Detail ?? "{}") as { eventId: string }).eventId;
      const count = refusals.get(id) ?? 0;
      if (count >= 3 || Math.random() >= 0.3) return false;
      refusals.set(id, count + 1);
      return true;
    };
    const { services, server, bus, failures } = await startPipeline({ reject });
    const events = await writeEvents(services, 45);

    await vi.waitFor(() => expect(bus.events().length).toBeGreaterThanOrEqual(45), { timeout: 20_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything late would be a duplicate

    expect(eventIdsOnBus(bus).sort()).toEqual(events.map((e) => e.detail.eventId).sort());
    expect(refusals.size).toBeGreaterThan(0);
    expect(server.calls().some((c) => c.failedEntryCount > 0)).toBe(true);
    expect(Math.max(...server.calls().map((c) => c.entries.length))).toBeLessThanOrEqual(10);
    expect(server.calls().every((c) => c.entries.every((e) => e.EventBusName === "test-user-service"))).toBe(true);
    expect(failures).toEqual([]);
    for (const event of bus.events()) {
      expect(event.source).toBe("user-service");
      assertValidEvent(event["detail-type"], event.detail);
    }
    const created = bus.events().find((e) => e["detail-type"] === "user.created");
    const original = events.find((e) => e.detail.eventId === created?.detail.eventId);
    expect(created?.detail).toEqual(original?.detail);
  });

  it("loses nothing when refusals outlast the relay's resends: the stream record is retried", async () => {
    const { services, bus, delivered, failures } = await startPipeline({ failureRate: 0.5 }, 6);
    const events = await writeEvents(services, 20);

    await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus)).size).toBe(20), { timeout: 25_000, interval: 50 });
    expect([...new Set(eventIdsOnBus(bus))].sort()).toEqual(events.map((e) => e.detail.eventId).sort());
    // At least once: an event arrives twice only if Lambda-style retry re-delivered its record.
    const counts = new Map<string, number>();
    for (const id of eventIdsOnBus(bus)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const redelivered = delivered.length - new Set(delivered).size;
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(redelivered);
    expect(failures).toEqual([]);
  });

  it("without a dead-letter queue, reports an entry that always fails as a batch item failure, then to the on-failure destination", async () => {
    let poisonId = "none yet";
    const { services, bus, failures } = await startPipeline({ reject: (entry) => entry.Detail?.includes(poisonId) === true });
    const events = sampleEvents(services, 6);
    poisonId = events[2]?.detail.eventId ?? "";
    await writeEvents(services, events);
    const others = events.filter((e) => e.detail.eventId !== poisonId).map((e) => e.detail.eventId);

    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 20_000, interval: 50 });
    const [failure] = failures as [StreamFailure];
    expect(failure.records).toHaveLength(1);
    expect(failure.records[0]?.dynamodb?.NewImage?.eventId?.S).toBe(poisonId);
    expect(failure.attempts).toBe(3);
    // Records after the poisoned one are handed over again once it is given up on.
    await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus))).toEqual(new Set(others)), { timeout: 10_000, interval: 50 });
    expect(eventIdsOnBus(bus)).not.toContain(poisonId);
  });

  it("sends an entry that always fails to the dead-letter queue and does not report its record", async () => {
    let poisonId = "none yet";
    const dlq = await sqsDeadLetterQueue();
    const { services, bus, delivered, failures } = await startPipeline(
      { reject: (entry) => entry.Detail?.includes(poisonId) === true },
      2,
      { deadLetterQueue: dlq.queue },
    );
    const events = sampleEvents(services, 6);
    const poison = events[2] as DomainEvent;
    poisonId = poison.detail.eventId;
    await writeEvents(services, events);

    await vi.waitFor(() => expect(dlq.stored).toHaveLength(1), { timeout: 20_000, interval: 50 });
    await vi.waitFor(() => expect(bus.events()).toHaveLength(5), { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a reported record would be redelivered by now
    expect(dlq.stored[0]).toEqual({
      eventId: poisonId,
      detailType: poison.detailType,
      detail: JSON.stringify(poison.detail),
      occurredAt: poison.detail.occurredAt,
      error: { code: "InternalFailure", message: expect.any(String) },
    });
    expect(delivered.length).toBe(new Set(delivered).size);
    expect(failures).toEqual([]);
    expect(eventIdsOnBus(bus)).not.toContain(poisonId);
  });

  it("reports the record when the dead-letter queue refuses it too, so the stream retries it", async () => {
    let poisonId = "none yet";
    const dlq = memoryDeadLetterQueue(() => true);
    const { services, failures } = await startPipeline({ reject: (entry) => entry.Detail?.includes(poisonId) === true }, 2, { deadLetterQueue: dlq.queue });
    const events = sampleEvents(services, 2);
    poisonId = events[1]?.detail.eventId ?? "";
    await writeEvents(services, events);

    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 20_000, interval: 50 });
    expect(failures[0]?.records.map((r) => r.dynamodb?.NewImage?.eventId?.S)).toEqual([poisonId]);
    expect(dlq.sends).toHaveLength(3);
    expect(dlq.stored).toEqual([]);
  });

  it("publishes nothing for non-outbox records, outbox updates or TTL deletions", async () => {
    const { services, server } = await startPipeline({});
    const table = services.config.tableName;
    const [event] = await writeEvents(services, 1);
    await vi.waitFor(() => expect(server.calls()).toHaveLength(1), { timeout: 10_000, interval: 50 });

    const outboxKey = keys.outboxEvent(event?.detail.eventId ?? "");
    await services.db.send(new UpdateCommand({ TableName: table, Key: outboxKey, UpdateExpression: "SET note = :n", ExpressionAttributeValues: { ":n": "x" } }));
    await services.db.send(new DeleteCommand({ TableName: table, Key: outboxKey }));
    await services.db.send(new PutCommand({ TableName: table, Item: { PK: "OUTBOXED#x", SK: "EVENT", detailType: "user.created", detail: "{}" } }));
    await services.db.send(new PutCommand({ TableName: table, Item: { ...keys.profile("u-late"), version: 1 } }));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.calls()).toHaveLength(1);
  });

  it("ignores a hand-made batch with no outbox inserts without calling EventBridge", async () => {
    const { server } = await startPipeline({});
    const record = (eventName: "INSERT" | "MODIFY" | "REMOVE", pk: string, seq: string) => ({
      eventName,
      dynamodb: { SequenceNumber: seq, NewImage: { PK: { S: pk }, SK: { S: "EVENT" }, eventId: { S: "x" }, detailType: { S: "user.created" }, detail: { S: "{}" }, createdAt: { S: "2026-01-01T00:00:00.000Z" } } },
    });
    const event: DynamoDBStreamEvent = {
      Records: [record("MODIFY", "OUTBOX#a", "1"), record("REMOVE", "OUTBOX#b", "2"), record("INSERT", "USER#c", "3")],
    };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(server.calls()).toEqual([]);
  });
});
