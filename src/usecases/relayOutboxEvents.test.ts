import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DeadLetter, DeadLetterQueue } from "../ports/deadLetterQueue.js";
import { PUT_EVENTS_LIMITS } from "../adapters/eventbridge/eventBridgePublisher.js";
import type { EventPublisher, PublishEntry, PublishOutcome } from "../ports/eventPublisher.js";
import { relayOutboxEvents, type OutboxEntry } from "./relayOutboxEvents.js";

type Refusal = false | "throttle" | "reject" | "throw";

/** A bus that records every request and refuses what `refuse` says: retryable (throttle) or for the entry itself. */
function recordingBus(refuse: (entry: PublishEntry, call: number) => Refusal | boolean = () => false) {
  const calls: PublishEntry[][] = [];
  const publisher: EventPublisher = {
    limits: PUT_EVENTS_LIMITS,
    async publish(entries) {
      calls.push([...entries]);
      const call = calls.length;
      const answers = entries.map((e) => refuse(e, call));
      if (answers.includes("throw")) throw Object.assign(new Error("bus down"), { name: "ServiceUnavailable" });
      return answers.map((answer): PublishOutcome => {
        if (answer === "reject") return { ok: false, errorCode: "MalformedDetail", errorMessage: "rejected", retryable: false };
        if (answer) return { ok: false, errorCode: "ThrottlingException", errorMessage: "refused", retryable: true };
        return { ok: true, busEventId: randomUUID() };
      });
    },
  };
  return { publisher, calls };
}

/**
 * A dead-letter queue at the port boundary, for this unit test of the relay's decisions (the int
 * tests run the real SQS adapter on the local SQS server): keeps what it is sent, refuses what
 * `refuse` says, or fails as a whole.
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

function entries(count: number, detailBytes = 100, userOf: (i: number) => string | undefined = () => undefined): OutboxEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const eventId = randomUUID();
    const userId = userOf(i);
    return {
      recordId: String(1000 + i),
      eventId,
      detailType: "user.updated",
      detail: JSON.stringify({ eventId, ...(userId ? { userId } : {}), pad: "x".repeat(detailBytes) }),
      occurredAt: "2026-01-01T00:00:00.000Z",
      correlationId: `c-${i}`,
    };
  });
}

const fast = { baseDelayMs: 0 };
const ids = (calls: PublishEntry[][], input: OutboxEntry[]) =>
  calls.map((c) => c.map((e) => input.findIndex((i) => i.detail === e.detail)));

describe("relayOutboxEvents", () => {
  it("sends requests of at most 10 entries, each event once", async () => {
    const bus = recordingBus();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(23));
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(report.published).toHaveLength(23);
    expect(report).toMatchObject({ failed: [], notSent: 0, retryFrom: undefined });
    const sent = bus.calls.flat().map((e) => e.detail);
    expect(new Set(sent).size).toBe(23);
    expect(bus.calls[0]?.[0]).toMatchObject({ source: "user-service", detailType: "user.updated" });
  });

  it("keeps every request under 256 KB and sends an entry too large on its own, alone", async () => {
    const bus = recordingBus();
    await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(6, 60_000));
    const sizes = bus.calls.map((c) => c.reduce((sum, e) => sum + e.detail.length, 0));
    expect(bus.calls.map((c) => c.length)).toEqual([4, 2]);
    for (const size of sizes) expect(size).toBeLessThan(256 * 1024);

    const input = [...entries(1), ...entries(1, 300_000), ...entries(1)];
    const mixed = recordingBus();
    await relayOutboxEvents({ eventPublisher: mixed.publisher }, fast)(input);
    expect(ids(mixed.calls, input)).toEqual([[0], [1], [2]]);
  });

  it("puts at most one event of a user in a request", async () => {
    const input = entries(5, 10, (i) => ["a", "b", "a", "b", "c"][i]);
    const bus = recordingBus();
    await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(input);
    expect(ids(bus.calls, input)).toEqual([[0, 1], [2, 3, 4]]);
  });

  it("stops at a throttled entry and resends from it next round, skipping what was accepted", async () => {
    const input = entries(5);
    const bus = recordingBus((e, call) => e.detail === input[1]?.detail && call === 1);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(input);
    expect(ids(bus.calls, input)).toEqual([[0, 1, 2, 3, 4], [1]]);
    expect(report.published.map((p) => [p.recordId, p.attempts])).toEqual([["1000", 1], ["1002", 1], ["1003", 1], ["1004", 1], ["1001", 2]]);
    expect(report).toMatchObject({ failed: [], notSent: 0, retryFrom: undefined });
  });

  it("leaves a still-throttled event and everything after it to the stream, from its record", async () => {
    const input = entries(14);
    const bus = recordingBus((e) => e.detail === input[3]?.detail);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, { ...fast, maxAttempts: 3 })(input);
    // Other users' events go on beside the refused one; each is sent until accepted, once.
    expect(ids(bus.calls, input)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 10, 11, 12, 13], [3]]);
    expect(report.failed).toEqual([expect.objectContaining({ recordId: "1003", attempts: 3, errorCode: "ThrottlingException", correlationId: "c-3" })]);
    expect(report.retryFrom).toBe("1003");
    expect(report.notSent).toBe(1);
  });

  it("never sends a user's event while an earlier one of that user is refused", async () => {
    const input = entries(4, 10, (i) => ["a", "b", "a", "c"][i]);
    const bus = recordingBus((e) => e.detail === input[0]?.detail);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, { ...fast, maxAttempts: 2 })(input);
    expect(ids(bus.calls, input)).toEqual([[0, 1], [0]]);
    expect(report.published.map((p) => p.recordId)).toEqual(["1001"]);
    expect(report).toMatchObject({ retryFrom: "1000", notSent: 3 });
  });

  it("treats a request that fails as a whole as throttling all its entries", async () => {
    const bus = recordingBus((_, call) => (call === 1 ? "throw" : false));
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)(entries(3));
    expect(bus.calls.map((c) => c.length)).toEqual([3, 3]);
    expect(report.published.every((p) => p.attempts === 2)).toBe(true);
  });

  it("sends two records of one event once and settles both, or reports the earlier one", async () => {
    const [one, other] = entries(2) as [OutboxEntry, OutboxEntry];
    const bus = recordingBus();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher }, fast)([one, { ...one, recordId: "2000" }]);
    expect(bus.calls.flat()).toHaveLength(1);
    expect(report.published.map((p) => p.recordId)).toEqual(["1000", "2000"]);

    const refusing = recordingBus((e) => e.detail === other.detail);
    const failed = await relayOutboxEvents({ eventPublisher: refusing.publisher }, { ...fast, maxAttempts: 1 })([one, other, { ...other, recordId: "0999" }]);
    expect(failed.retryFrom).toBe("1001");
  });
});

describe("relayOutboxEvents with a dead-letter queue", () => {
  const rejectDetails = (...details: (string | undefined)[]) => recordingBus((e) => (details.includes(e.detail) ? "reject" : false));

  it("dead-letters at once what the bus rejects for itself, with its error, while the others flow", async () => {
    const input = entries(4);
    const bus = rejectDetails(input[1]?.detail, input[2]?.detail);
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, fast)(input);

    expect(bus.calls.map((c) => c.length)).toEqual([4]);
    expect(dlq.calls).toHaveLength(1);
    expect(dlq.stored).toEqual([1, 2].map((i) => {
      const { eventId, detailType, detail, occurredAt } = input[i] as OutboxEntry;
      return { eventId, detailType, detail, occurredAt, error: { code: "MalformedDetail", message: "rejected" } };
    }));
    expect(report).toMatchObject({ failed: [], retryFrom: undefined, notSent: 0 });
    expect(report.deadLettered.map((e) => [e.recordId, e.attempts])).toEqual([["1001", 1], ["1002", 1]]);
    expect(report.published.map((p) => p.recordId)).toEqual(["1000", "1003"]);
  });

  it("never dead-letters a throttled entry: it is left to the stream", async () => {
    const input = entries(3);
    const dlq = recordingDlq();
    const bus = recordingBus((e) => e.detail === input[1]?.detail);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, { ...fast, maxAttempts: 4 })(input);
    expect(dlq.calls).toEqual([]);
    expect(report).toMatchObject({ deadLettered: [], retryFrom: "1001", notSent: 1 });
  });

  it("does not call the queue when everything is published", async () => {
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: recordingBus().publisher, deadLetterQueue: dlq.queue }, fast)(entries(3));
    expect(dlq.calls).toEqual([]);
    expect(report.deadLettered).toEqual([]);
  });

  it("leaves to the stream a rejected event the queue refused, and stops there", async () => {
    const input = entries(3);
    const bus = recordingBus(() => "reject");
    const dlq = recordingDlq((e) => e.eventId === input[0]?.eventId);
    const report = await relayOutboxEvents({ eventPublisher: bus.publisher, deadLetterQueue: dlq.queue }, fast)(input);

    expect(bus.calls).toHaveLength(1);
    expect(report.failed).toEqual([
      expect.objectContaining({ recordId: "1000", errorCode: "MalformedDetail", errorMessage: "rejected; dead-letter queue: InternalError: refused" }),
    ]);
    expect(report.deadLettered.map((e) => e.recordId)).toEqual(["1001", "1002"]);
    expect(report.retryFrom).toBe("1000");
    expect(dlq.stored.map((e) => e.eventId)).toEqual([input[1]?.eventId, input[2]?.eventId]);
  });

  it("leaves every rejected record to the stream when the queue is down, or when there is none", async () => {
    const input = entries(2);
    const dlq = recordingDlq(() => "throw");
    const report = await relayOutboxEvents({ eventPublisher: recordingBus(() => "reject").publisher, deadLetterQueue: dlq.queue }, fast)(input);
    expect(report.deadLettered).toEqual([]);
    expect(report.failed.map((e) => e.recordId)).toEqual(["1000", "1001"]);
    expect(report.failed[0]?.errorMessage).toBe("rejected; dead-letter queue: QueueUnavailable: queue down");
    expect(report.retryFrom).toBe("1000");

    const without = await relayOutboxEvents({ eventPublisher: recordingBus(() => "reject").publisher }, fast)(input);
    expect(without.failed[0]?.errorMessage).toBe("rejected; dead-letter queue: none configured");
    expect(without.retryFrom).toBe("1000");
  });

  it("dead-letters a rejected event once for two records of it", async () => {
    const [one] = entries(1) as [OutboxEntry];
    const dlq = recordingDlq();
    const report = await relayOutboxEvents({ eventPublisher: rejectDetails(one.detail).publisher, deadLetterQueue: dlq.queue }, fast)([one, { ...one, recordId: "2000" }]);

    expect(dlq.stored).toEqual([expect.objectContaining({ eventId: one.eventId, error: expect.objectContaining({ code: "MalformedDetail" }) })]);
    expect(report.deadLettered.map((e) => [e.recordId, e.attempts])).toEqual([["1000", 1], ["2000", 1]]);
    expect(report.failed).toEqual([]);
  });
});
