import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { NotFoundError } from "../domain/errors.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { ManualClock, signUpUser } from "../../test/support/fixtures.js";
import { deleteAccount } from "./deleteAccount.js";
import { suspendUser } from "./suspendUser.js";
import { userActor } from "../domain/activity.js";

describe("deleteAccount", () => {
  let services: TestServices;
  let userId: string;
  beforeEach(async () => {
    services = await createTestServices();
    ({ userId } = await signUpUser(services));
  });

  it("soft-deletes: status deleted with deletedAt, profile kept, one user.deleted", async () => {
    const { deletedAt } = await deleteAccount(services)({ userId, correlationId: "corr-del", actor: userActor(userId) });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "deleted", deletedAt, version: 2 });
    const deletions = (await outboxEvents(services)).filter((e) => e.detailType === "user.deleted");
    expect(deletions).toHaveLength(1);
    expect(parseEvent("user.deleted", deletions[0]!)).toMatchObject({ userId, deletedAt, metadata: { correlationId: "corr-del" } });
  });

  it("starts the grace period: purgeAt = deletedAt + DELETION_GRACE_DAYS (30 by default), on the profile and in the answer", async () => {
    const clock = new ManualClock(new Date("2030-03-01T10:00:00.000Z"));
    const timed = await createTestServices({ clock });
    const { userId: id } = await signUpUser(timed);
    expect(timed.config.deletionGraceDays).toBe(30);
    const result = await deleteAccount(timed)({ userId: id, correlationId: "c", actor: userActor(id) });
    expect(result).toEqual({ deletedAt: "2030-03-01T10:00:00.000Z", purgeAt: "2030-03-31T10:00:00.000Z" });
    expect(await readItem(timed, keys.profile(id))).toMatchObject(result);
  });

  it("takes the grace period from the configuration", async () => {
    const clock = new ManualClock(new Date("2030-03-01T10:00:00.000Z"));
    const timed = await createTestServices({ clock }, { deletionGraceDays: 7 });
    const { userId: id } = await signUpUser(timed);
    const { purgeAt } = await deleteAccount(timed)({ userId: id, correlationId: "c", actor: userActor(id) });
    expect(purgeAt).toBe("2030-03-08T10:00:00.000Z");
  });

  it("is idempotent: a second call returns the first deletedAt and writes nothing", async () => {
    const first = await deleteAccount(services)({ userId, correlationId: "a", actor: userActor(userId) });
    const stored = await readItem(services, keys.profile(userId));
    const second = await deleteAccount(services)({ userId, correlationId: "b", actor: userActor(userId) });
    expect(second).toEqual(first);
    expect(first.purgeAt > first.deletedAt).toBe(true);
    expect(await readItem(services, keys.profile(userId))).toEqual(stored);
    expect((await outboxEvents(services)).filter((e) => e.detailType === "user.deleted")).toHaveLength(1);
  });

  it("lets a suspended user delete the account", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "spam", correlationId: "c" });
    await deleteAccount(services)({ userId, correlationId: "c", actor: userActor(userId) });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "deleted" });
  });

  it("is NotFound for an unknown user", async () => {
    const ghost = randomUUID();
    await expect(deleteAccount(services)({ userId: ghost, correlationId: "c", actor: userActor(ghost) })).rejects.toBeInstanceOf(NotFoundError);
  });
});
