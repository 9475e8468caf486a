import type { Context, DynamoDBBatchResponse } from "aws-lambda";
import { afterAll, afterEach, beforeAll } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { putOutboxEvent } from "../../src/adapters/dynamodb/outboxItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import { createSqsDeadLetterQueue } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import type { ServiceOverrides } from "../../src/composition/services.js";
import { systemActor } from "../../src/domain/activity.js";
import { createEvent, type DomainEvent } from "../../src/domain/events.js";
import { handler } from "../../src/handlers/events/outboxRelay.js";
import type { DeadLetter, DeadLetterQueue } from "../../src/ports/deadLetterQueue.js";
import { eventContext } from "../../src/usecases/eventContext.js";
import type { RetryPolicy, StreamFailure } from "../../local/dynamodb/batchDelivery.js";
import { createStreamPoller, type StreamPoller } from "../../local/dynamodb/streamPoller.js";
import { startEventBridgeServer, type EventBridgeServer, type EventBridgeServerOptions } from "../../local/events/eventBridgeServer.js";
import { createLocalEventBus, type LocalEventBus } from "../../local/events/eventBus.js";
import { startSqsServer, type LocalSqs } from "../../local/sqs/sqsServer.js";
import { createTestServices, type TestServices } from "./testServices.js";

const context = { functionName: "outboxRelay", awsRequestId: "local", getRemainingTimeInMillis: () => 30_000 } as Context;

export interface RelayPipeline {
  services: TestServices;
  server: EventBridgeServer;
  bus: LocalEventBus;
  poller: StreamPoller;
  failures: StreamFailure[];
  /** Sequence numbers of every record handed to the relay, once per delivery. */
  delivered: string[];
  stop(): Promise<void>;
}

export type Refusals = Pick<EventBridgeServerOptions, "failureRate" | "reject" | "refuse" | "failRequest">;

/**
 * DynamoDB Local's stream -> the local event source mapping (retries as serverless.yml's, shorter)
 * -> the real relay handler -> the local PutEvents endpoint -> the local bus. The relay's own
 * rounds are shortened with RELAY_RETRY_BASE_MS (relayRetriesFast).
 */
export async function startRelayPipeline(
  refusals: Refusals,
  policy: RetryPolicy = { maxRetryAttempts: 2 },
  overrides: ServiceOverrides = {},
  { start = true } = {},
): Promise<RelayPipeline> {
  const bus = createLocalEventBus({ baseDelayMs: 5 });
  const server = await startEventBridgeServer({ onEvent: (entry) => bus.put(entry), ...refusals });
  const services = await createTestServices(overrides, { eventBridgeEndpoint: server.endpoint, eventBusName: "test-user-service" });
  const failures: StreamFailure[] = [];
  const delivered: string[] = [];
  const poller = createStreamPoller({
    endpoint: services.config.dynamoEndpoint ?? "",
    tableName: services.config.tableName,
    startingPosition: "TRIM_HORIZON",
    pollIntervalMs: 50,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
    ...policy,
    handler: async (event) => {
      delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ""));
      return (await handler(event, context)) as DynamoDBBatchResponse;
    },
    onFailure: (failure) => void failures.push(failure),
  });
  if (start) await poller.start();
  const stop = async () => {
    await poller.stop();
    await server.stop();
    await bus.stop();
  };
  started.push(stop);
  return { services, server, bus, poller, failures, delivered, stop };
}

/** What this file's tests started (pipelines, SQS servers), stopped after each test. */
const started: (() => Promise<void>)[] = [];

/** A relay test file's hooks: fast relay rounds for the file, and everything a test started stopped after it. */
export function relayTestHooks(): void {
  let restoreRetries: () => void = () => undefined;
  beforeAll(() => {
    restoreRetries = relayRetriesFast();
  });
  afterAll(() => restoreRetries());
  afterEach(async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  });
}

/**
 * Sets RELAY_RETRY_BASE_MS for a test file, before its graphs are built (their config reads it);
 * returns the function that puts the old value back.
 */
export function relayRetriesFast(ms = 5): () => void {
  const previous = process.env.RELAY_RETRY_BASE_MS;
  process.env.RELAY_RETRY_BASE_MS = String(ms);
  return () => {
    if (previous === undefined) delete process.env.RELAY_RETRY_BASE_MS;
    else process.env.RELAY_RETRY_BASE_MS = previous;
  };
}

/** `perUser` user.updated events for each of `users` users, interleaved, each user's numbered 1..perUser. */
export function userEvents(services: TestServices, users: number, perUser: number, pad = 0): DomainEvent[] {
  const run = Math.random().toString(36).slice(2, 8);
  const events: DomainEvent[] = [];
  for (let n = 1; n <= perUser; n++) {
    for (let u = 0; u < users; u++) {
      const ctx = eventContext(services, `corr-${run}-${u}-${n}`, systemActor);
      const event = createEvent("user.updated", { userId: `user-${run}-${u}`, changedFields: ["firstName"] }, ctx, n);
      // A padded event is bigger than any real one: the schema has no such field, the relay sends it as it is.
      events.push(pad > 0 ? ({ ...event, detail: { ...event.detail, pad: "x".repeat(pad) } } as DomainEvent) : event);
    }
  }
  return events;
}

/** Writes the events in order, two per transaction beside a profile item, as the use cases do. */
export async function writeOutbox(services: TestServices, events: DomainEvent[]): Promise<DomainEvent[]> {
  for (let i = 0; i < events.length; i += 2) {
    const pair = events.slice(i, i + 2);
    await transactWrite(services.db, [
      { name: "profile", item: { Put: { TableName: services.config.tableName, Item: { ...keys.profile(`profile-${i}`), version: 1 } } } },
      ...pair.map((event) => putOutboxEvent(services.config.tableName, event)),
    ]);
  }
  return events;
}

export const eventIdsOnBus = (bus: LocalEventBus) => bus.events().map((e) => e.detail.eventId as string);

/** Each user's sequence numbers in the order the bus received them. */
export function sequencesByUser(bus: LocalEventBus): Map<string, number[]> {
  const byUser = new Map<string, number[]>();
  for (const { detail } of bus.events()) {
    const list = byUser.get(detail.userId as string) ?? [];
    list.push(detail.sequence as number);
    byUser.set(detail.userId as string, list);
  }
  return byUser;
}

/** The relay's real SQS adapter on a local SQS server; `stored` keeps what the queue took. */
export async function sqsDeadLetterQueue(): Promise<{ sqs: LocalSqs; queue: DeadLetterQueue; stored: DeadLetter[] }> {
  const sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "test-user-service-dlq" }] });
  started.push(() => sqs.stop());
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
  return { sqs, queue, stored };
}
