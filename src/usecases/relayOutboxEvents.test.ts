import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DeadLetter, DeadLetterQueue } from "../ports/deadLetterQueue.js";
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

/**
 * A dead-letter queue at the port boundary (there is no local SQS engine to run the adapter
 * against): keeps what it is sent, refuses what `refuse` says, or fails as a whole.
 */
function recordingDlq(refuse: (entry: DeadLetter) => boolean | "throw" = () => false) {
  const calls: DeadLetter[][] = [];
  const stored: DeadLetter[] = [];
  const queue: DeadLetterQueue = {
    async send(batch) {
      calls.push([...batch]);
      if (batch.some((e) => refuse(e) === "throw")) throw Object.assign(new Error("queue down"), { name: "QueueUnavailable" });
      stored.push(...batch.filter((e) => !refuse(e)));
      return { failed: batch.filter((e) => refuse(e)).map((e) => ({ eventId: e.eventId, reason: "InternalError: refused" })) };
    },
  };
  return { queue, calls, stored };
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

describe("relayOutboxEvents with a dead-letter queue", () => {
  const refuseDetails = (...details: (string | undefined)[]) => recordingBus((e) => details.includes(e.detail));

  it("dead-letters what is still refused after the last round, with the bus's last error, and fails nothing", async () => {
    const input = entries(4);
    const bus = refuseDetails(input[1]?.detail, input[2]?.detail);
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, { ...fast, maxAttempts: 2 })(input);

    expect(bus.calls.map((c) => c.length)).toEqual([4, 2]);
    expect(dlq.calls).toHaveLength(1);
    expect(dlq.stored).toEqual([1, 2].map((i) => {
      const { eventId, detailType, detail, occurredAt } = input[i] as OutboxEntry;
      return { eventId, detailType, detail, occurredAt, error: { code: "InternalFailure", message: "refused" } };
    }));
    expect(report.failed).toEqual([]);
    expect(report.deadLettered.map((e) => [e.recordId, e.attempts])).toEqual([["1001", 2], ["1002", 2]]);
    expect(report.published.map((p) => p.recordId)).toEqual(["1000", "1003"]);
  });

  it("does not call the queue when everything is published", async () => {
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: recordingBus().publisher, deadLetterQueue: dlq.queue }, fast)(entries(3));
    expect(dlq.calls).toEqual([]);
    expect(report.deadLettered).toEqual([]);
  });

  it("fails only the records whose event the queue refused", async () => {
    const input = entries(3);
    const bus = recordingBus(() => true);
    const dlq = recordingDlq((e) => e.eventId === input[0]?.eventId);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, { ...fast, maxAttempts: 1 })(input);

    expect(report.failed).toEqual([
      expect.objectContaining({ recordId: "1000", errorCode: "InternalFailure", errorMessage: "refused; dead-letter queue: InternalError: refused" }),
    ]);
    expect(report.deadLettered.map((e) => e.recordId)).toEqual(["1001", "1002"]);
    expect(dlq.stored.map((e) => e.eventId)).toEqual([input[1]?.eventId, input[2]?.eventId]);
  });

  it("fails every refused record when the queue itself is down", async () => {
    const input = entries(2);
    const dlq = recordingDlq(() => "throw");
    const report = await relayOutboxEvents({ eventPublisher: recordingBus(() => true).publisher, deadLetterQueue: dlq.queue }, { ...fast, maxAttempts: 1 })(input);

    expect(report.deadLettered).toEqual([]);
    expect(report.failed.map((e) => e.recordId)).toEqual(["1000", "1001"]);
    expect(report.failed[0]?.errorMessage).toBe("refused; dead-letter queue: QueueUnavailable: queue down");
  });

  it("dead-letters an entry too large for PutEvents without sending it, once for two records of it", async () => {
    const [big] = entries(1, 300_000) as [OutboxEntry];
    const bus = recordingBus();
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, fast)([big, { ...big, recordId: "2000" }]);

    expect(bus.calls).toEqual([]);
    expect(dlq.stored).toEqual([expect.objectContaining({ eventId: big.eventId, error: expect.objectContaining({ code: "EntryTooLarge" }) })]);
    expect(report.deadLettered.map((e) => [e.recordId, e.attempts])).toEqual([["1000", 0], ["2000", 0]]);
    expect(report.failed).toEqual([]);
  });
});
