import { describe, expect, it, vi } from "vitest";
import type { PutEventsEntry, RequestFailure } from "../../local/events/eventBridgeServer.js";
import {
  eventIdsOnBus,
  relayTestHooks,
  sequencesByUser,
  sqsDeadLetterQueue,
  startRelayPipeline,
  userEvents,
  writeOutbox,
} from "../support/relayPipeline.js";

relayTestHooks();

const eventIdOf = (entry: PutEventsEntry) => (JSON.parse(entry.Detail ?? "{}") as { eventId?: string }).eventId;

describe("the outbox relay through an EventBridge outage", () => {
  const outages: [string, (down: () => boolean) => Parameters<typeof startRelayPipeline>[0]][] = [
    ["every entry refused with ThrottlingException", (down) => ({ refuse: () => (down() ? "ThrottlingException" : undefined) })],
    [
      "every request answered 503 ServiceUnavailable",
      (down) => ({ failRequest: (): RequestFailure | undefined => (down() ? { status: 503, type: "ServiceUnavailable", message: "down" } : undefined) }),
    ],
  ];

  it.each(outages)(
    "waits in the stream while %s, then delivers every event once, in per-user order, and dead-letters nothing",
    async (_name, refusals) => {
      let down = true;
      const dlq = await sqsDeadLetterQueue();
      // No retry limit, as in serverless.yml: only the record age (here never reached) ends the retries.
      const running = await startRelayPipeline(refusals(() => down), { maxRetryAttempts: -1, maxRecordAgeSeconds: 3600 }, { deadLetterQueue: dlq.queue });
      const { services, bus, poller, server, failures } = running;
      const events = await writeOutbox(services, userEvents(services, 4, 5));

      // The outage lasts until the stream has retried the batch three times, none of it published.
      await vi.waitFor(() => expect(poller.stats().retries).toBeGreaterThanOrEqual(3), { timeout: 20_000, interval: 20 });
      expect(bus.events()).toEqual([]);
      expect(poller.stats().reportedFailures).toBeGreaterThanOrEqual(3);
      const refusedCalls = server.calls().length;
      expect(refusedCalls).toBeGreaterThan(0);
      down = false;

      await vi.waitFor(() => expect(new Set(eventIdsOnBus(bus)).size).toBe(20), { timeout: 20_000, interval: 50 });
      await new Promise((resolve) => setTimeout(resolve, 300)); // a repeat would have arrived by now
      expect(eventIdsOnBus(bus).sort()).toEqual(events.map((e) => e.detail.eventId).sort());
      for (const [user, sequences] of sequencesByUser(bus)) expect(sequences, user).toEqual([1, 2, 3, 4, 5]);
      expect(dlq.stored).toEqual([]);
      expect(failures).toEqual([]);
      expect(poller.stats().discarded).toBe(0);
      expect(server.calls().slice(0, refusedCalls).every((c) => c.failedEntryCount === c.entries.length)).toBe(true);
    },
  );

  it("gives the records to the on-failure destination once they are older than the maximum record age", async () => {
    // Lambda's minimum is 60 s; 3 s here. The stream's creation time has whole seconds, so a record
    // can look up to a second older than it is.
    const running = await startRelayPipeline({ refuse: () => "ThrottlingException" }, { maxRetryAttempts: -1, maxRecordAgeSeconds: 3 });
    const { services, bus, poller, failures } = running;
    const events = await writeOutbox(services, userEvents(services, 2, 1));

    const given = () => failures.flatMap((f) => f.records).map((r) => r.dynamodb?.NewImage?.eventId?.S).filter(Boolean);
    await vi.waitFor(() => expect(given().sort()).toEqual(events.map((e) => e.detail.eventId).sort()), { timeout: 20_000, interval: 50 });
    expect(failures.every((f) => f.error === "Record is older than the maximum record age")).toBe(true);
    expect(poller.stats().retries).toBeGreaterThan(0);
    expect(bus.events()).toEqual([]);
  });

  it("dead-letters an entry over 256 KB at once, without sending it, while the others flow", async () => {
    const dlq = await sqsDeadLetterQueue();
    const running = await startRelayPipeline({}, { maxRetryAttempts: -1 }, { deadLetterQueue: dlq.queue });
    const { services, bus, poller, server } = running;
    const [big] = userEvents(services, 1, 1, 260 * 1024);
    const small = userEvents(services, 3, 2);
    const bigId = big?.detail.eventId ?? "";
    await writeOutbox(services, [...small.slice(0, 3), big!, ...small.slice(3)]);

    await vi.waitFor(() => expect(eventIdsOnBus(bus)).toHaveLength(6), { timeout: 20_000, interval: 50 });
    await vi.waitFor(() => expect(dlq.stored).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(dlq.stored[0]).toMatchObject({ eventId: bigId, error: { code: "EntryTooLarge" } });
    expect(server.calls().flatMap((c) => c.entries).map(eventIdOf)).not.toContain(bigId);
    expect(server.calls().every((c) => c.failedEntryCount === 0)).toBe(true);
    // At once: no stream retry, no report.
    expect(poller.stats()).toMatchObject({ retries: 0, reportedFailures: 0, discarded: 0 });
    for (const [user, sequences] of sequencesByUser(bus)) expect(sequences, user).toEqual([1, 2]);
  });
});
