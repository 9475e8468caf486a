import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventBridgeServer, type EventBridgeServer } from "../../local/events/eventBridgeServer.js";
import type { BusEntry } from "../../local/events/eventBus.js";
import { startSqsServer, type LocalSqs } from "../../local/sqs/sqsServer.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { deadLetterMessage } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import { entryFromDeadLetter, redriveDeadLetters } from "../../scripts/redriveDeadLetters.js";
import { createSqsDeadLetterSource } from "../../scripts/sqsDeadLetterSource.js";

/**
 * The redrive as npm run dlq:redrive runs it: its SQS source on a local SQS server (local-aws-sqs),
 * the local PutEvents server as the bus, both through the real SDK clients over HTTP.
 */
const BUS = "ci-user-service";
const detail = (eventId: string) => ({
  version: "1.0",
  eventId,
  occurredAt: "2026-01-21T10:30:00.000Z",
  userId: "u-1",
  metadata: { correlationId: "c-1", environment: "ci", timestamp: "2026-01-21T10:30:00.000Z" },
});
const relayLetter = (eventId: string) =>
  JSON.stringify(
    deadLetterMessage(
      { eventId, detailType: "user.reactivated", detail: JSON.stringify(detail(eventId)), occurredAt: "2026-01-21T10:30:00.000Z", error: { code: "InternalFailure", message: "down" } },
      BUS,
    ),
  );
const targetEvent = (eventId: string) => ({
  version: "0",
  id: "0f9d1c33-7c5d-4f35-9d8d-8c6a1b9e1a11",
  "detail-type": "user.suspended",
  source: "user-service",
  account: "123456789012",
  time: "2026-01-21T10:30:00Z",
  region: "us-east-1",
  resources: [],
  detail: { ...detail(eventId), reason: "abuse" },
});

let server: EventBridgeServer;
let received: (BusEntry & { eventBusName?: string })[];
let client: EventBridgeClient;
let sqs: LocalSqs;
let sqsClient: SQSClient;
beforeAll(async () => {
  received = [];
  server = await startEventBridgeServer({
    onEvent: (entry) => received.push(entry),
    reject: (entry) => (entry.Detail ?? "").includes("refuse-me"),
  });
  client = new EventBridgeClient({ region: "us-east-1", ...localEndpoint(server.endpoint) });
  sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "redrive-dlq" }, { QueueName: "dry-run-dlq" }] });
  sqsClient = new SQSClient({ region: "us-east-1", ...localEndpoint(sqs.endpoint) });
});
afterAll(async () => {
  client.destroy();
  sqsClient.destroy();
  await sqs.stop();
  await server.stop();
});

/** Sends each body to the queue, one SendMessage each; the message ids, in the bodies' order. */
async function enqueue(queue: string, bodies: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) {
    const { MessageId } = await sqsClient.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl(queue), MessageBody: body }));
    ids.push(MessageId ?? "");
  }
  return ids;
}

describe("dlq:redrive", () => {
  it("puts every kind of dead letter back on the bus with its eventId, deleting only what the bus took", async () => {
    received.length = 0;
    const bodies = [
      relayLetter("11111111-1111-4111-8111-111111111111"),
      JSON.stringify(targetEvent("22222222-2222-4222-8222-222222222222")),
      JSON.stringify({ version: "1.0", requestContext: { condition: "RetriesExhausted" }, requestPayload: targetEvent("33333333-3333-4333-8333-333333333333") }),
      relayLetter("refuse-me"),
      "not json",
      ...Array.from({ length: 12 }, (_, i) => relayLetter(`44444444-4444-4444-8444-${String(i).padStart(12, "0")}`)),
    ];
    const ids = await enqueue("redrive-dlq", bodies);
    const source = createSqsDeadLetterSource(sqsClient, sqs.queueUrl("redrive-dlq"));
    const report = await redriveDeadLetters({ source, eventBridge: client, eventBusName: BUS });

    expect(report.redriven).toBe(15);
    expect(report.failed.map((f) => f.id)).toEqual([ids[3]]);
    expect(report.failed[0]?.reason).toMatch(/^InternalFailure/);
    expect(report.unreadable).toEqual([ids[4]]);
    // Only the refused and the unreadable message are left in the queue (hidden until released).
    await source.release();
    expect((await sqs.browse("redrive-dlq")).map((m) => m.Body).sort()).toEqual([bodies[3], bodies[4]].sort());

    // A standard queue does not keep order: each event is checked by its eventId.
    const typeById = new Map(received.map((e) => [(JSON.parse(e.detail) as { eventId: string }).eventId, e.detailType]));
    expect(typeById.size).toBe(15);
    expect(typeById.get("11111111-1111-4111-8111-111111111111")).toBe("user.reactivated");
    expect(typeById.get("22222222-2222-4222-8222-222222222222")).toBe("user.suspended");
    expect(typeById.get("33333333-3333-4333-8333-333333333333")).toBe("user.suspended");
    expect(received.every((e) => e.source === "user-service" && e.eventBusName === BUS)).toBe(true);
    // PutEvents takes at most 10 entries: 17 messages are at least two calls.
    expect(server.calls().every((call) => call.entries.length <= 10)).toBe(true);
  });

  it("changes nothing in a dry run", async () => {
    received.length = 0;
    const body = relayLetter("55555555-5555-4555-8555-555555555555");
    await enqueue("dry-run-dlq", [body]);
    const source = createSqsDeadLetterSource(sqsClient, sqs.queueUrl("dry-run-dlq"));
    const report = await redriveDeadLetters({ source, eventBridge: client, eventBusName: BUS, dryRun: true });
    expect(report.redriven).toBe(1);
    expect(received).toEqual([]);
    // The dry run's messages are made visible again at once, as the script does, for the real run after it.
    await source.release();
    expect((await sqs.browse("dry-run-dlq")).map((m) => m.Body)).toEqual([body]);
  });

  it("keeps the relay's detail text byte for byte", () => {
    const body = relayLetter("66666666-6666-4666-8666-666666666666");
    const entry = entryFromDeadLetter(body, "other-bus");
    expect(entry?.Detail).toBe(JSON.stringify(detail("66666666-6666-4666-8666-666666666666")));
    expect(entry?.EventBusName).toBe("other-bus");
    expect(entry?.Time?.toISOString()).toBe("2026-01-21T10:30:00.000Z");
  });
});
