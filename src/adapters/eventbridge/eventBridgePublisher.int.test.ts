import { afterEach, describe, expect, it } from "vitest";
import { startEventBridgeServer, type EventBridgeServer, type EventBridgeServerOptions } from "../../../local/events/eventBridgeServer.js";
import type { PublishEntry } from "../../ports/eventPublisher.js";
import { createEventBridgePublisher, isRetryablePutEventsError } from "./eventBridgePublisher.js";

let server: EventBridgeServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function publisherOn(options: Pick<EventBridgeServerOptions, "refuse" | "failRequest"> = {}) {
  server = await startEventBridgeServer({ onEvent: () => undefined, ...options });
  return createEventBridgePublisher({ region: "us-east-1", eventBusName: "test-user-service", eventBridgeEndpoint: server.endpoint });
}

const entry = (n: number, pad = 0): PublishEntry => ({
  source: "user-service",
  detailType: "user.updated",
  detail: JSON.stringify({ n, pad: "x".repeat(pad) }),
  time: new Date("2026-03-01T10:00:00Z"),
});

describe("EventBridge publisher against the local PutEvents endpoint", () => {
  it("answers an entry over 256 KB EntryTooLarge without sending it, and sends the others", async () => {
    const publisher = await publisherOn();
    const outcomes = await publisher.publish([entry(1), entry(2, 256 * 1024), entry(3)]);
    expect(outcomes.map((o) => (o.ok ? "ok" : `${o.errorCode}:${o.retryable}`))).toEqual(["ok", "EntryTooLarge:false", "ok"]);
    expect(server?.calls().map((c) => c.entries.map((e) => JSON.parse(e.Detail ?? "{}").n))).toEqual([[1, 3]]);

    expect(await publisher.publish([entry(4, 300_000)])).toEqual([expect.objectContaining({ errorCode: "EntryTooLarge" })]);
    expect(server?.calls()).toHaveLength(1); // nothing left to send: no request
  });

  it("marks throttling and service errors retryable, and an entry rejected for itself not", async () => {
    const codes: Record<number, string> = { 1: "ThrottlingException", 2: "InternalFailure", 3: "InvalidArgument", 4: "MalformedDetail" };
    const publisher = await publisherOn({ refuse: (e) => codes[(JSON.parse(e.Detail ?? "{}") as { n: number }).n] });
    const outcomes = await publisher.publish([1, 2, 3, 4, 5].map((n) => entry(n)));
    expect(outcomes.map((o) => (o.ok ? "ok" : `${o.errorCode}:${o.retryable}`))).toEqual([
      "ThrottlingException:true",
      "InternalFailure:true",
      "InvalidArgument:false",
      "MalformedDetail:false",
      "ok",
    ]);
    expect(isRetryablePutEventsError("NotAuthorizedForSourceException")).toBe(false);
    expect(isRetryablePutEventsError("SomeCodeAddedLater")).toBe(true);
  });

  it("throws when the whole request fails, after the SDK's own retries", async () => {
    const publisher = await publisherOn({ failRequest: () => ({ status: 503, type: "ServiceUnavailable", message: "down" }) });
    await expect(publisher.publish([entry(1)])).rejects.toMatchObject({ name: "ServiceUnavailable" });
    expect(server?.calls().length).toBeGreaterThan(1);
  });
});
