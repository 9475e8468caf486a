import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalEventBus, type LocalEventBus, type TargetEvent } from "../../local/events/eventBus.js";

let bus: LocalEventBus | undefined;
afterEach(async () => {
  await bus?.stop();
  bus = undefined;
});

const entry = (detailType: string, detail: Record<string, unknown> = {}) => ({
  source: "user-service",
  detailType,
  detail: JSON.stringify({ eventId: randomUUID(), ...detail }),
  time: new Date("2026-03-01T10:00:00.123Z"),
});

describe("local event bus", () => {
  it("hands targets the event as EventBridge does, routed by the rules in infra/event-rules.json", async () => {
    bus = createLocalEventBus();
    const got: Record<string, TargetEvent[]> = { "user-events": [], "email-events": [], "cognito-sync": [] };
    for (const rule of Object.keys(got)) bus.addTarget(rule, (event) => void got[rule]?.push(event));

    bus.put(entry("user.created", { userId: "u1" }));
    bus.put(entry("email.primary.changed", { userId: "u1" }));
    bus.put({ ...entry("user.created"), source: "someone-else" });
    await bus.idle();

    expect(got["user-events"]?.map((e) => e["detail-type"])).toEqual(["user.created"]);
    expect(got["email-events"]?.map((e) => e["detail-type"])).toEqual(["email.primary.changed"]);
    expect(got["cognito-sync"]?.map((e) => e["detail-type"])).toEqual(["email.primary.changed"]);
    expect(got["user-events"]?.[0]).toEqual({
      version: "0",
      id: expect.any(String),
      "detail-type": "user.created",
      source: "user-service",
      account: "000000000000",
      time: "2026-03-01T10:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { eventId: expect.any(String), userId: "u1" },
    });
    expect(bus.events().map((e) => e.source)).toEqual(["user-service", "user-service", "someone-else"]);
  });

  it("retries a failing target, then dead-letters the event", async () => {
    bus = createLocalEventBus({ attempts: 3, baseDelayMs: 1 });
    let calls = 0;
    let flakyCalls = 0;
    bus.addTarget("user-events", () => {
      calls++;
      throw new Error("consumer down");
    });
    bus.addTarget("email-events", () => {
      if (++flakyCalls < 3) throw new Error("not yet");
    });
    const sent = bus.put(entry("user.deleted"));
    bus.put(entry("email.added"));
    await bus.idle();

    expect(calls).toBe(3);
    expect(flakyCalls).toBe(3);
    expect(bus.dlq().messages).toEqual([
      { event: sent, rule: "user-events", error: "consumer down", failedAt: expect.any(String) },
    ]);
  });

  it("keeps a bounded log, newest last", () => {
    bus = createLocalEventBus({ maxEvents: 3 });
    for (const type of ["user.created", "user.updated", "user.deleted", "email.added"]) bus.put(entry(type));
    expect(bus.events().map((e) => e["detail-type"])).toEqual(["user.updated", "user.deleted", "email.added"]);
  });

  it("refuses a target for a rule that does not exist", () => {
    bus = createLocalEventBus();
    expect(() => bus?.addTarget("user-event", () => undefined)).toThrow(/No rule/);
  });

  it("accepts dead letters from the relay's on-failure destination", () => {
    bus = createLocalEventBus();
    bus.deadLetter(entry("user.created"), "outbox-relay", "EventBridge refused the entry");
    expect(bus.dlq().messages).toEqual([expect.objectContaining({ rule: "outbox-relay", error: "EventBridge refused the entry" })]);
  });
});
