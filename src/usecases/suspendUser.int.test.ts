import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { suspendUser } from "./suspendUser.js";

describe("suspendUser", () => {
  let services: TestServices;
  let userId: string;
  beforeEach(async () => {
    services = await createTestServices();
    ({ userId } = await signUpUser(services));
  });

  it("suspends with the reason and writes one user.suspended", async () => {
    const profile = await suspendUser(services)({ userId, actorId: "an-admin", reason: "Chargeback fraud", correlationId: "corr-s" });
    expect(profile).toMatchObject({ status: "suspended", suspendedReason: "Chargeback fraud", version: 2 });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "suspended", version: 2 });
    const events = (await outboxEvents(services)).filter((e) => e.detailType === "user.suspended");
    expect(events).toHaveLength(1);
    expect(parseEvent("user.suspended", events[0]!)).toMatchObject({ userId, reason: "Chargeback fraud" });
  });

  it("is a no-op on a suspended account: first reason stands, no second event", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "first", correlationId: "c" });
    const again = await suspendUser(services)({ userId, actorId: "an-admin", reason: "second", correlationId: "c" });
    expect(again).toMatchObject({ suspendedReason: "first", version: 2 });
    expect((await outboxEvents(services)).filter((e) => e.detailType === "user.suspended")).toHaveLength(1);
  });
});
