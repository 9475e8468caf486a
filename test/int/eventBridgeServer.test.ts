import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { startEventBridgeServer, type EventBridgeServer, type EventBridgeServerOptions } from "../../local/events/eventBridgeServer.js";
import type { BusEntry } from "../../local/events/eventBus.js";

let server: EventBridgeServer | undefined;
let client: EventBridgeClient | undefined;
afterEach(async () => {
  client?.destroy();
  await server?.stop();
});

async function start(options: Pick<EventBridgeServerOptions, "failureRate" | "reject" | "refuse" | "failRequest"> = {}) {
  const received: BusEntry[] = [];
  server = await startEventBridgeServer({ onEvent: (e) => received.push(e), ...options });
  client = new EventBridgeClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
  return received;
}

const entry = (n: number) => ({ Source: "user-service", DetailType: "user.updated", Detail: JSON.stringify({ n }), EventBusName: "local-user-service", Time: new Date("2026-03-01T10:00:00Z") });

describe("local PutEvents endpoint, driven by the real EventBridge client", () => {
  it("accepts entries and hands them to the bus with their time", async () => {
    const received = await start();
    const out = await client?.send(new PutEventsCommand({ Entries: [entry(1), entry(2)] }));
    expect(out?.FailedEntryCount).toBe(0);
    expect(out?.Entries?.map((e) => typeof e.EventId)).toEqual(["string", "string"]);
    expect(received.map((e) => [e.detail, e.time?.toISOString()])).toEqual([
      ['{"n":1}', "2026-03-01T10:00:00.000Z"],
      ['{"n":2}', "2026-03-01T10:00:00.000Z"],
    ]);
  });

  it("refuses entries on purpose, answering entry by entry in order", async () => {
    const received = await start({ reject: (e) => e.Detail === '{"n":2}' });
    const out = await client?.send(new PutEventsCommand({ Entries: [entry(1), entry(2), entry(3)] }));
    expect(out?.FailedEntryCount).toBe(1);
    expect(out?.Entries?.[1]).toMatchObject({ ErrorCode: "InternalFailure" });
    expect(out?.Entries?.[2]?.EventId).toEqual(expect.any(String));
    expect(received.map((e) => e.detail)).toEqual(['{"n":1}', '{"n":3}']);
  });

  it("refuses roughly the configured share of entries", async () => {
    await start({ failureRate: 0.3 });
    let failed = 0;
    for (let i = 0; i < 30; i++) {
      const out = await client?.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, n) => entry(n)) }));
      failed += out?.FailedEntryCount ?? 0;
    }
    expect(failed).toBeGreaterThan(50);
    expect(failed).toBeLessThan(130);
  });

  it("rejects a request over EventBridge's limits as EventBridge does", async () => {
    await start();
    await expect(client?.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, n) => entry(n)) }))).rejects.toMatchObject({ name: "ValidationException" });
    const big = { ...entry(0), Detail: JSON.stringify({ pad: "x".repeat(140_000) }) };
    await expect(client?.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({ name: "ValidationException" });
    const out = await client?.send(new PutEventsCommand({ Entries: [{ ...entry(0), Detail: "not json" }] }));
    expect(out?.Entries?.[0]?.ErrorCode).toBe("MalformedDetail");
  });

  it("refuses an entry with the error code asked for, as an outage's throttling or a rejected entry", async () => {
    const received = await start({ refuse: (e) => (e.Detail === '{"n":1}' ? "ThrottlingException" : undefined) });
    const out = await client?.send(new PutEventsCommand({ Entries: [entry(1), entry(2)] }));
    expect(out?.FailedEntryCount).toBe(1);
    expect(out?.Entries?.[0]).toMatchObject({ ErrorCode: "ThrottlingException" });
    expect(received.map((e) => e.detail)).toEqual(['{"n":2}']);
    expect(server?.calls().map((c) => c.failedEntryCount)).toEqual([1]);
  });

  it("fails a whole request with the error asked for, taking none of its entries", async () => {
    let down = true;
    const received = await start({ failRequest: () => (down ? { status: 503, type: "ServiceUnavailable", message: "down" } : undefined) });
    await expect(client?.send(new PutEventsCommand({ Entries: [entry(1)] }))).rejects.toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    down = false;
    await client?.send(new PutEventsCommand({ Entries: [entry(2)] }));
    expect(received.map((e) => e.detail)).toEqual(['{"n":2}']);
    expect(server?.calls().map((c) => c.requestError)).toEqual(["ServiceUnavailable", undefined]);
  });
});
