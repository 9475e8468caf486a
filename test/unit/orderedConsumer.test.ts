import { describe, expect, it } from "vitest";
import { OrderedConsumer, type UserEvent } from "../../docs/examples/orderedConsumer.js";

const event = (userId: string, sequence: number, eventId = `${userId}-${sequence}`): UserEvent => ({
  detailType: sequence === 1 ? "user.created" : "user.updated",
  detail: { eventId, userId, sequence, occurredAt: new Date(Date.UTC(2030, 0, 1, 0, 0, sequence)).toISOString() },
});

describe("the example ordered consumer (docs/examples/orderedConsumer.ts)", () => {
  it("applies each user's events in sequence order whatever the delivery order, once each", async () => {
    const applied: string[] = [];
    const consumer = new OrderedConsumer({ apply: (e) => void applied.push(`${e.detail.userId}:${e.detail.sequence}`) });
    for (const e of [event("a", 2), event("b", 1), event("a", 1), event("a", 2), event("a", 3), event("b", 2), event("a", 1)]) {
      await consumer.receive(e);
    }
    expect(applied).toEqual(["b:1", "a:1", "a:2", "a:3", "b:2"]);
    expect(consumer.lastApplied("a")).toBe(3);
    expect(consumer.gaps().size).toBe(0);
  });

  it("holds back events after a gap and reports it until the missing one arrives", async () => {
    const gaps: Array<[string, number, number]> = [];
    const consumer = new OrderedConsumer({ apply: () => undefined, onGap: (userId, { from, to }) => gaps.push([userId, from, to]) });
    await consumer.receive(event("a", 1));
    expect(await consumer.receive(event("a", 4))).toEqual([]);
    expect(gaps).toEqual([["a", 2, 3]]);
    expect(consumer.gaps().get("a")).toEqual({ from: 2, to: 3 });
    await consumer.receive(event("a", 2));
    const applied = await consumer.receive(event("a", 3));
    expect(applied.map((e) => e.detail.sequence)).toEqual([3, 4]);
    expect(consumer.gaps().size).toBe(0);
  });
});
