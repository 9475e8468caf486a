import { PutCommand, DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { systemActor } from "../../src/domain/activity.js";
import type { Context, DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { eventContext } from "../../src/usecases/eventContext.js";
import { createEvent, EVENT_TYPES, type DomainEvent, type EventType } from "../../src/domain/events.js";
import { handler } from "../../src/handlers/events/outboxRelay.js";
import type { DeadLetter, DeadLetterQueue } from "../../src/ports/deadLetterQueue.js";
import type { RetryPolicy } from "../../local/dynamodb/batchDelivery.js";
import type { PutEventsEntry } from "../../local/events/eventBridgeServer.js";
import type { ServiceOverrides } from "../../src/composition/services.js";
import { assertValidEvent } from "../support/eventSchemas.js";
import type { TestServices } from "../support/testServices.js";
import {
  eventIdsOnBus,
  relayTestHooks,
  sequencesByUser,
  sqsDeadLetterQueue,
  startRelayPipeline,
  userEvents,
  writeOutbox,
  type Refusals,
} from "../support/relayPipeline.js";

const context = { functionName: "outboxRelay", awsRequestId: "local", getRemainingTimeInMillis: () => 30_000 } as Context;

relayTestHooks();

async function startPipeline(refusals: Refusals, policy: RetryPolicy = { maxRetryAttempts: 2 }, overrides: ServiceOverrides = {}, start = true) {
  return startRelayPipeline(refusals, policy, overrides, { start });
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

const writeEvents = async (services: TestServices, countOrEvents: number | DomainEvent[]) =>
  writeOutbox(services, typeof countOrEvents === "number" ? sampleEvents(services, countOrEvents) : countOrEvents);

/**
 * The relay's dead-letter queue at the port boundary, for a queue that refuses what `refuse` says:
 * SQS lists single entries of a batch as Failed only on its own faults, which the local SQS server
 * gives on no request. The other relay tests use the real adapter on it (sqsDeadLetterQueue()).
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

const eventIdOf = (entry: PutEventsEntry) => (JSON.parse(entry.Detail ?? "{}") as { eventId?: string }).eventId ?? "";
const settle = () => new Promise((resolve) => setTimeout(resolve, 300)); // a repeat would have arrived by now

describe("outbox relay through DynamoDB Local's stream", () => {
  it("delivers every event exactly once, in per-user order, while EventBridge refuses ~30% of entries: through the relay's rounds and the stream's retries", async () => {
    const refusals = new Map<string, number>();
    const reject = (entry: PutEventsEntry) => {
      if (Math.random() >= 0.3) return false;
      refusals.set(eventIdOf(entry), (refusals.get(eventIdOf(entry)) ?? 0) + 1);
      return true;
    };
    // Written before the stream is read: one batch of 40 events, more than five rounds can get through.
    const { services, server, bus, poller, failures } = await startPipeline({ reject }, { maxRetryAttempts: -1 }, {}, false);
    const events = await writeOutbox(services, userEvents(services, 5, 8));
    await poller.start();

    await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus)).size).toBe(40), { timeout: 30_000, interval: 50 });
    await settle();
    expect(eventIdsOnBus(bus).sort()).toEqual(events.map((e) => e.detail.eventId).sort());
    for (const [user, sequences] of sequencesByUser(bus)) expect(sequences, user).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Both paths ran: entries refused and resent, and the stream handing the batch over again.
    expect(refusals.size).toBeGreaterThan(0);
    expect(poller.stats().reportedFailures).toBeGreaterThan(0);
    expect(poller.stats().retries).toBeGreaterThan(0);
    expect(Math.max(...server.calls().map((c) => c.entries.length))).toBeLessThanOrEqual(10);
    expect(server.calls().every((c) => c.entries.every((e) => e.EventBusName === "test-user-service"))).toBe(true);
    expect(failures).toEqual([]);
  });

  it("publishes every event type as written, each valid against its schema", async () => {
    const { services, bus } = await startPipeline({});
    const events = await writeEvents(services, EVENT_TYPES.length);
    await vi.waitFor(() => expect(bus.events()).toHaveLength(events.length), { timeout: 20_000, interval: 50 });
    for (const event of bus.events()) {
      expect(event.source).toBe("user-service");
      assertValidEvent(event["detail-type"], event.detail);
      expect(event.detail).toEqual(events.find((e) => e.detail.eventId === event.detail.eventId)?.detail);
    }
  });

  it("retries the stream from an event refused longer than the relay's rounds: later records come again, their events are not sent twice", async () => {
    let poisonId = "none yet";
    let refused = 0;
    // Refused 7 times: more than one invocation's 5 rounds, so only a stream retry gets it through.
    const reject = (entry: PutEventsEntry) => eventIdOf(entry) === poisonId && refused++ < 7;
    const { services, bus, delivered, poller, failures } = await startPipeline({ reject }, { maxRetryAttempts: 6 }, {}, false);
    const events = userEvents(services, 6, 1);
    poisonId = events[1]?.detail.eventId ?? "";
    await writeOutbox(services, events);
    await poller.start();

    await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus)).size).toBe(6), { timeout: 20_000, interval: 50 });
    await settle();
    expect(poller.stats().retries).toBeGreaterThan(0);
    expect(poller.stats().reportedFailures).toBe(poller.stats().retries);
    // The records after the refused one were handed over again, yet every event reached the bus once.
    expect(delivered.length).toBeGreaterThan(new Set(delivered).size);
    expect(eventIdsOnBus(bus).sort()).toEqual(events.map((e) => e.detail.eventId).sort());
    expect(failures).toEqual([]);
  });

  it("without a dead-letter queue, gives the rest of the batch to the on-failure destination when a refusal outlasts the mapping's retries", async () => {
    let poisonId = "none yet";
    const { services, bus, poller, failures } = await startPipeline({ reject: (entry) => eventIdOf(entry) === poisonId }, { maxRetryAttempts: 2 }, {}, false);
    const events = userEvents(services, 6, 1);
    poisonId = events[2]?.detail.eventId ?? "";
    await writeOutbox(services, events);
    await poller.start();

    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 20_000, interval: 50 });
    const [failure] = failures;
    // Lambda discards from the reported record to the end of the batch, not only the record.
    expect(failure?.records.find((r) => r.dynamodb?.NewImage?.eventId)?.dynamodb?.NewImage?.eventId?.S).toBe(poisonId);
    expect(failure?.attempts).toBe(3);
    expect(poller.stats()).toMatchObject({ retries: 2, reportedFailures: 3 });
    // The other users' events went out beside it: one event of each user per request.
    await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus))).toEqual(new Set(events.filter((e) => e.detail.eventId !== poisonId).map((e) => e.detail.eventId))), { timeout: 10_000, interval: 50 });
  });

  it("sends an entry EventBridge rejects for itself to the dead-letter queue at once and does not report its record", async () => {
    let poisonId = "none yet";
    const dlq = await sqsDeadLetterQueue();
    const refuse = (entry: PutEventsEntry) => (eventIdOf(entry) === poisonId ? "InvalidArgument" : undefined);
    const { services, server, bus, delivered, poller, failures } = await startPipeline({ refuse }, { maxRetryAttempts: 2 }, { deadLetterQueue: dlq.queue });
    const events = sampleEvents(services, 6);
    const poison = events[2] as DomainEvent;
    poisonId = poison.detail.eventId;
    await writeEvents(services, events);

    await vi.waitFor(() => expect(dlq.stored).toHaveLength(1), { timeout: 20_000, interval: 50 });
    await vi.waitFor(() => expect(bus.events()).toHaveLength(5), { timeout: 10_000, interval: 50 });
    await settle();
    expect(dlq.stored[0]).toEqual({
      eventId: poisonId,
      detailType: poison.detailType,
      detail: JSON.stringify(poison.detail),
      occurredAt: poison.detail.occurredAt,
      error: { code: "InvalidArgument", message: expect.any(String) },
    });
    // At once: sent a single time, not resent by the relay's rounds nor by a stream retry.
    expect(server.calls().flatMap((c) => c.entries).filter((e) => eventIdOf(e) === poisonId)).toHaveLength(1);
    expect(poller.stats()).toMatchObject({ retries: 0, reportedFailures: 0 });
    expect(delivered.length).toBe(new Set(delivered).size);
    expect(failures).toEqual([]);
    expect(eventIdsOnBus(bus)).not.toContain(poisonId);
  });

  it("reports the record when the dead-letter queue refuses it too, so the stream retries it", async () => {
    let poisonId = "none yet";
    const dlq = memoryDeadLetterQueue(() => true);
    const refuse = (entry: PutEventsEntry) => (eventIdOf(entry) === poisonId ? "MalformedDetail" : undefined);
    const { services, poller, failures } = await startPipeline({ refuse }, { maxRetryAttempts: 2 }, { deadLetterQueue: dlq.queue });
    const events = sampleEvents(services, 2);
    poisonId = events[1]?.detail.eventId ?? "";
    await writeEvents(services, events);

    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 20_000, interval: 50 });
    expect(failures[0]?.records.map((r) => r.dynamodb?.NewImage?.eventId?.S).filter(Boolean)).toEqual([poisonId]);
    expect(dlq.sends).toHaveLength(3);
    expect(dlq.stored).toEqual([]);
    expect(poller.stats()).toMatchObject({ retries: 2, reportedFailures: 3 });
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

  it("does not hold the stream for an unreadable outbox record: it is logged, not reported", async () => {
    const { server } = await startPipeline({});
    const event: DynamoDBStreamEvent = {
      Records: [{ eventName: "INSERT", dynamodb: { SequenceNumber: "7", NewImage: { PK: { S: "OUTBOX#broken" }, SK: { S: "EVENT" } } } }],
    };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(server.calls()).toEqual([]);
  });
});
