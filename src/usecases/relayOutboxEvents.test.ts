import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { EventPublisher, PublishEntry, PublishOutcome } from "../ports/eventPublisher.js";
import { relayOutboxEvents, type OutboxEntry } from "./relayOutboxEvents.js";

/** A bus that records every request and refuses what `refuse` says, by detail. */
function recordingBus(refuse: (entry: PublishEntry, call: number) => boolean | "throw" = () => false) {
  const calls: PublishEntry[][] = [];
  const publisher: EventPublisher = {
    async publish(entries) {
      calls.push([...entries]);
      const call = calls.length;
      if (entries.some((e) => refuse(e, call) === "throw")) throw Object.assign(new Error("bus down"), { name: "ServiceUnavailable" });
      return entries.map((e): PublishOutcome =>
        refuse(e, call) ? { ok: false, errorCode: "InternalFailure", errorMessage: "refused" } : { ok: true, busEventId: randomUUID() },
      );
    },
  };
  return { publisher, calls };
}

function entries(count: number, detailBytes = 100): OutboxEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const eventId = randomUUID();
    return {
      recordId: String(1000 + i),
      eventId,
      detailType: "user.updated",
      detail: JSON.stringify({ eventId, pad: "x".repeat(detailBytes) }),
      occurredAt: "2026-01-01T00:00:00.000Z",
      correlationId: `c-${i}`,
    };
  });
}

const fast = { baseDelayMs: 0 };

describe("relayOutboxEvents", () => {
  it("sends requests of at most 10 entries, each event once", async () => {
    const bus = recordingBus();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(23));
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(report.published).toHaveLength(23);
    expect(report.failed).toEqual([]);
    const sent = bus.calls.flat().map((e) => e.detail);
    expect(new Set(sent).size).toBe(23);
    expect(bus.calls[0]?.[0]).toMatchObject({ source: "user-service", detailType: "user.updated" });
  });

  it("keeps every request under 256 KB", async () => {
    const bus = recordingBus();
    await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(6, 60_000));
    const sizes = bus.calls.map((c) => c.reduce((sum, e) => sum + e.detail.length, 0));
    expect(bus.calls.map((c) => c.length)).toEqual([4, 2]);
    for (const size of sizes) expect(size).toBeLessThan(256 * 1024);
  });

  it("resends only refused entries and reports what never got through", async () => {
    const input = entries(5);
    const alwaysRefused = input[1]?.detail;
    const refusedOnce = input[3]?.detail;
    const bus = recordingBus((e, call) => e.detail === alwaysRefused || (e.detail === refusedOnce && call === 1));
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, { ...fast, maxAttempts: 3 })(input);
    expect(bus.calls.map((c) => c.length)).toEqual([5, 2, 1]);
    expect(report.published.map((p) => p.recordId).sort()).toEqual(["1000", "1002", "1003", "1004"]);
    expect(report.failed).toEqual([
      expect.objectContaining({ recordId: "1001", attempts: 3, errorCode: "InternalFailure", correlationId: "c-1" }),
    ]);
  });

  it("treats a request that fails as a whole as refusing all its entries", async () => {
    const bus = recordingBus((_, call) => (call === 1 ? "throw" : false));
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(3));
    expect(bus.calls.map((c) => c.length)).toEqual([3, 3]);
    expect(report.published.every((p) => p.attempts === 2)).toBe(true);
  });

  it("sends two records of one event once and settles both", async () => {
    const [one] = entries(1) as [OutboxEntry];
    const bus = recordingBus();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)([one, { ...one, recordId: "2000" }]);
    expect(bus.calls.flat()).toHaveLength(1);
    expect(report.published.map((p) => p.recordId)).toEqual(["1000", "2000"]);
  });

  it("never sends an entry EventBridge would reject for size", async () => {
    const bus = recordingBus();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(1, 300_000));
    expect(bus.calls).toEqual([]);
    expect(report.failed).toEqual([expect.objectContaining({ errorCode: "EntryTooLarge" })]);
  });
});
