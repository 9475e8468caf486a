import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { AccountDeletedError, NotFoundError } from "../domain/errors.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { deleteAccount } from "./deleteAccount.js";
import { suspendUser } from "./suspendUser.js";
import { userActor } from "../domain/activity.js";

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

  it("refuses a deleted account with AccountDeletedError, leaving it deleted", async () => {
    await deleteAccount(services)({ userId, correlationId: "c", actor: userActor(userId) });
    await expect(suspendUser(services)({ userId, actorId: "an-admin", reason: "x", correlationId: "c" })).rejects.toBeInstanceOf(AccountDeletedError);
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "deleted", version: 2 });
  });

  it("is NotFound for an unknown user", async () => {
    await expect(suspendUser(services)({ userId: randomUUID(), actorId: "an-admin", reason: "x", correlationId: "c" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
