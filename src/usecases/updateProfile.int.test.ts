import { randomUUID } from "node:crypto";
import { userActor } from "../domain/activity.js";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { eventContext } from "./eventContext.js";
import {
  AccountNotActiveError,
  ConcurrentModificationError,
  NotFoundError,
  PreconditionFailedError,
} from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { suspendUser } from "./suspendUser.js";
import { updateProfile } from "./updateProfile.js";

describe("updateProfile", () => {
  let services: TestServices;
  let userId: string;
  const update = (patch: Parameters<ReturnType<typeof updateProfile>>[0]["patch"], expectedVersions?: number[]) =>
    updateProfile(services)({ userId, patch, correlationId: "corr-upd", ...(expectedVersions ? { expectedVersions } : {}) });

  beforeEach(async () => {
    services = await createTestServices();
    ({ userId } = await signUpUser(services));
  });

  it("applies a partial update, bumps the version and writes user.updated with the changed fields", async () => {
    const saved = await update({ firstName: "Zoë", phone: "+14155550123" });
    expect(saved).toMatchObject({ firstName: "Zoë", phone: "+14155550123", version: 2 });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ firstName: "Zoë", phone: "+14155550123", version: 2 });

    const updates = (await outboxEvents(services)).filter((e) => e.detailType === "user.updated");
    expect(updates).toHaveLength(1);
    expect(parseEvent("user.updated", updates[0]!)).toMatchObject({
      userId,
      changedFields: ["firstName", "phone"],
      metadata: { correlationId: "corr-upd" },
    });
  });

  it("clears the phone with null and reports only what changed", async () => {
    await update({ firstName: "Ana", phone: "+14155550123" });
    const saved = await update({ firstName: "Ana", phone: null });
    expect(saved.version).toBe(3);
    expect(await readItem(services, keys.profile(userId))).not.toHaveProperty("phone");
    const last = (await outboxEvents(services)).filter((e) => e.detailType === "user.updated").at(-1)!;
    expect(parseEvent("user.updated", last).changedFields).toEqual(["phone"]);
  });

  it("writes nothing and emits nothing when nothing changes", async () => {
    await update({ lastName: "Ng" });
    const before = await readItem(services, keys.profile(userId));
    const eventsBefore = (await outboxEvents(services)).length;
    const same = await update({ lastName: "Ng", phone: null });
    expect(same.version).toBe(2);
    expect(await readItem(services, keys.profile(userId))).toEqual(before);
    expect(await outboxEvents(services)).toHaveLength(eventsBefore);
  });

  it("starts only from an expected version: the current one (alone or listed) passes, others are 412 with nothing written", async () => {
    await expect(update({ firstName: "A" }, [1])).resolves.toMatchObject({ version: 2 });
    await expect(update({ firstName: "B" }, [1, 2])).resolves.toMatchObject({ version: 3 });
    await expect(update({ firstName: "C" }, [2])).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(update({ firstName: "D" }, [])).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ firstName: "B", version: 3 });
  });

  it("loses a race on the version with ConcurrentModificationError and leaves the winner's write", async () => {
    const stale = (await services.profiles.get(userId))!;
    await update({ firstName: "Winner" });
    const event = createEvent("user.updated", { userId, changedFields: ["firstName"] }, eventContext(services, "race", userActor(userId)), 99);
    await expect(
      services.profiles.saveAtVersion({ ...stale, firstName: "Loser", version: 2 }, stale.version, event, { requireActive: true }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await outboxEvents(services)).map((e) => e.detail.eventId)).not.toContain(event.detail.eventId);
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ firstName: "Winner", version: 2 });
  });

  it("refuses a suspended account with AccountNotActiveError", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "abuse", correlationId: "c" });
    await expect(update({ firstName: "X" })).rejects.toBeInstanceOf(AccountNotActiveError);
    expect(await readItem(services, keys.profile(userId))).not.toHaveProperty("firstName");
  });

  it("is NotFound for an unknown user", async () => {
    userId = randomUUID();
    await expect(update({ firstName: "X" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
