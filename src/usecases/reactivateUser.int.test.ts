import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { reactivateUser } from "./reactivateUser.js";
import { suspendUser } from "./suspendUser.js";

describe("reactivateUser", () => {
  let services: TestServices;
  let userId: string;
  beforeEach(async () => {
    services = await createTestServices();
    ({ userId } = await signUpUser(services));
  });

  it("reactivates a suspended account, drops the reason and writes one user.reactivated", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "review", correlationId: "c" });
    const profile = await reactivateUser(services)({ userId, actorId: "an-admin", correlationId: "corr-r" });
    expect(profile).toMatchObject({ status: "active", version: 3 });
    const stored = await readItem(services, keys.profile(userId));
    expect(stored).toMatchObject({ status: "active", version: 3 });
    expect(stored).not.toHaveProperty("suspendedReason");
    const events = (await outboxEvents(services)).filter((e) => e.detailType === "user.reactivated");
    expect(events).toHaveLength(1);
    expect(parseEvent("user.reactivated", events[0]!)).toMatchObject({ userId, metadata: { correlationId: "corr-r" } });
  });

  it("is a no-op on an active account", async () => {
    expect(await reactivateUser(services)({ userId, actorId: "an-admin", correlationId: "c" })).toMatchObject({ status: "active", version: 1 });
    expect((await outboxEvents(services)).filter((e) => e.detailType === "user.reactivated")).toHaveLength(0);
  });
});
