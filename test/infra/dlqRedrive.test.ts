import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventBridgeServer, type EventBridgeServer } from "../../local/events/eventBridgeServer.js";
import type { BusEntry } from "../../local/events/eventBus.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { deadLetterMessage } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import { entryFromDeadLetter, redriveDeadLetters, type DeadLetterSource, type QueuedMessage } from "../../scripts/redriveDeadLetters.js";

/**
 * The redrive against the local PutEvents server (the real SDK client over HTTP). The queue is a
 * fake at the DeadLetterSource boundary: there is no local SQS engine to run it against.
 */
class FakeQueue implements DeadLetterSource {
  private visible: QueuedMessage[];
  readonly deleted: string[] = [];
  constructor(bodies: string[]) {
    this.visible = bodies.map((body, index) => ({ id: `m-${index}`, body }));
  }
  async receive(max: number) {
    const taken = this.visible.slice(0, max);
    this.visible = this.visible.slice(max);
    return taken;
  }
  async delete(ids: readonly string[]) {
    this.deleted.push(...ids);
  }
}

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
beforeAll(async () => {
  received = [];
  server = await startEventBridgeServer({
    onEvent: (entry) => received.push(entry),
    reject: (entry) => (entry.Detail ?? "").includes("refuse-me"),
  });
  client = new EventBridgeClient({ region: "us-east-1", ...localEndpoint(server.endpoint) });
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

describe("dlq:redrive", () => {
  it("puts every kind of dead letter back on the bus with its eventId, deleting only what the bus took", async () => {
    received.length = 0;
    const queue = new FakeQueue([
      relayLetter("11111111-1111-4111-8111-111111111111"),
      JSON.stringify(targetEvent("22222222-2222-4222-8222-222222222222")),
      JSON.stringify({ version: "1.0", requestContext: { condition: "RetriesExhausted" }, requestPayload: targetEvent("33333333-3333-4333-8333-333333333333") }),
      relayLetter("refuse-me"),
      "not json",
      ...Array.from({ length: 12 }, (_, i) => relayLetter(`44444444-4444-4444-8444-${String(i).padStart(12, "0")}`)),
    ]);
    const report = await redriveDeadLetters({ source: queue, eventBridge: client, eventBusName: BUS });

    expect(report.redriven).toBe(15);
    expect(report.failed.map((f) => f.id)).toEqual(["m-3"]);
    expect(report.failed[0]?.reason).toMatch(/^InternalFailure/);
    expect(report.unreadable).toEqual(["m-4"]);
    expect(queue.deleted).toHaveLength(15);
    expect(queue.deleted).not.toContain("m-3");
    expect(queue.deleted).not.toContain("m-4");

    const ids = received.map((e) => (JSON.parse(e.detail) as { eventId: string }).eventId);
    expect(ids.slice(0, 3)).toEqual([
      "11111111-1111-4111-8111-111111111111",
      "22222222-2222-4222-8222-222222222222",
      "33333333-3333-4333-8333-333333333333",
    ]);
    expect(received.map((e) => e.detailType).slice(0, 3)).toEqual(["user.reactivated", "user.suspended", "user.suspended"]);
    expect(received.every((e) => e.source === "user-service" && e.eventBusName === BUS)).toBe(true);
    // PutEvents takes at most 10 entries: 17 messages are at least two calls.
    expect(server.calls().every((call) => call.entries.length <= 10)).toBe(true);
  });

  it("changes nothing in a dry run", async () => {
    received.length = 0;
    const queue = new FakeQueue([relayLetter("55555555-5555-4555-8555-555555555555")]);
    const report = await redriveDeadLetters({ source: queue, eventBridge: client, eventBusName: BUS, dryRun: true });
    expect(report.redriven).toBe(1);
    expect(queue.deleted).toEqual([]);
    expect(received).toEqual([]);
  });

  it("keeps the relay's detail text byte for byte", () => {
    const body = relayLetter("66666666-6666-4666-8666-666666666666");
    const entry = entryFromDeadLetter(body, "other-bus");
    expect(entry?.Detail).toBe(JSON.stringify(detail("66666666-6666-4666-8666-666666666666")));
    expect(entry?.EventBusName).toBe("other-bus");
    expect(entry?.Time?.toISOString()).toBe("2026-01-21T10:30:00.000Z");
  });
});
