import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { eventContext } from "./eventContext.js";
import { ACTIVITY_RETENTION_DAYS, userActor } from "../domain/activity.js";
import { ConcurrentModificationError, EmailLimitReachedError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { MAX_EMAILS_PER_USER } from "../domain/user.js";
import { epochSeconds } from "../ports/clock.js";
import { addedEmail, latestCode, ManualClock, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import { outboxEvents as allOutboxEvents, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addEmail } from "./addEmail.js";
import { answerCognitoSelfService } from "./answerCognitoSelfService.js";
import { confirmVerification } from "./confirmVerification.js";
import { deleteAccount } from "./deleteAccount.js";
import { reactivateUser } from "./reactivateUser.js";
import { removeEmail } from "./removeEmail.js";
import { setPrimaryEmail } from "./setPrimaryEmail.js";
import { suspendUser } from "./suspendUser.js";
import { updateProfile } from "./updateProfile.js";

let services: TestServices;
let clock: ManualClock;
/** Ids handed out next, before random ones: a test can know the key of the next activity. */
let nextIds: string[];
let alice: TestUser;

beforeEach(async () => {
  clock = new ManualClock();
  nextIds = [];
  services = await createTestServices({ clock, ids: { newId: () => nextIds.shift() ?? randomUUID() } });
  alice = await signUpUser(services);
});

/** The raw activity items of a user's partition, oldest first (sort-key order). */
async function activityItems(userId: string): Promise<Record<string, unknown>[]> {
  return (await scanTable(services))
    .filter((item) => item.PK === keys.userPartition(userId) && String(item.SK).startsWith(keys.activitySortPrefix))
    .sort((a, b) => String(a.SK).localeCompare(String(b.SK)));
}

async function eventsAbout(userId: string) {
  return (await allOutboxEvents(services)).filter((event) => event.detail.userId === userId);
}

const tick = () => clock.advance(1);

describe("the activity trail", () => {
  it("every change writes one activity beside its outbox event: same id, type, time, correlation id, and the actor of its path", async () => {
    const admin = await signUpUser(services);
    tick();
    await updateProfile(services)({ userId: alice.userId, patch: { firstName: "Alice" }, correlationId: "c-update" });
    tick();
    const added = await addedEmail(services, alice, "second@example.com");
    tick();
    const second = await confirmVerification(services)({
      userId: alice.userId,
      emailId: added.record.emailId,
      code: added.code,
      correlationId: "c-confirm",
    });
    tick();
    await setPrimaryEmail(services)({
      caller: { userId: alice.userId, groups: [], authTime: epochSeconds(clock.now()) },
      emailId: second.emailId,
      correlationId: "c-primary",
    });
    tick();
    await removeEmail(services)({ userId: alice.userId, emailId: alice.primaryEmailId, correlationId: "c-remove" });
    tick();
    await suspendUser(services)({ userId: alice.userId, actorId: admin.userId, reason: "Chargeback", correlationId: "c-suspend" });
    tick();
    await reactivateUser(services)({ userId: alice.userId, actorId: admin.userId, correlationId: "c-reactivate" });
    tick();
    await deleteAccount(services)({ userId: alice.userId, correlationId: "c-delete", actor: userActor(alice.userId) });

    const events = await eventsAbout(alice.userId);
    const items = await activityItems(alice.userId);
    expect(events).toHaveLength(9);
    expect(items.map((item) => item.activityId).sort()).toEqual(events.map((event) => event.detail.eventId).sort());
    for (const event of events) {
      const item = items.find((i) => i.activityId === event.detail.eventId)!;
      expect(item).toMatchObject({
        type: event.detailType,
        occurredAt: event.detail.occurredAt,
        correlationId: (event.detail.metadata as { correlationId: string }).correlationId,
        expiresAt: epochSeconds(new Date(String(event.detail.occurredAt))) + ACTIVITY_RETENTION_DAYS * 86_400,
      });
      expect(item.SK).toBe(`ACTIVITY#${String(event.detail.occurredAt)}#${String(event.detail.eventId)}`);
    }

    const user = { type: "user", userId: alice.userId };
    const byAdmin = { type: "admin", userId: admin.userId };
    expect(items.map((item) => [item.type, item.actor, item.details])).toEqual([
      ["user.created", { type: "system" }, { email: alice.email }],
      ["user.updated", user, { changedFields: ["firstName"] }],
      ["email.added", user, { emailId: second.emailId, email: "second@example.com" }],
      ["email.verified", user, { emailId: second.emailId, email: "second@example.com" }],
      [
        "email.primary.changed",
        user,
        // (a `reason` may ride along: SPEC 12.3's change/revert)
        expect.objectContaining({ emailId: second.emailId, oldEmail: alice.email, newEmail: "second@example.com" }),
      ],
      ["email.removed", user, { emailId: alice.primaryEmailId, email: alice.email }],
      ["user.suspended", byAdmin, { reason: "Chargeback" }],
      ["user.reactivated", byAdmin, {}],
      ["user.deleted", user, { deletedAt: clock.now().toISOString() }],
    ]);
  });

  it("holds no secret: neither the code mailed nor its hash reaches the trail", async () => {
    const { record, code } = await addedEmail(services, alice, "coded@example.com");
    const stored = await readItem(services, keys.verificationCode(alice.userId, record.emailId));
    expect(stored?.codeHash).toEqual(expect.any(String));
    const trail = JSON.stringify(await activityItems(alice.userId));
    expect(trail).toContain("email.added");
    expect(trail).not.toContain(code);
    expect(trail).not.toContain(String(stored?.codeHash));
    expect(trail).not.toMatch(/codeHash|token/i);
  });

  it("a takeover shows the service removing the stale holder's address, not who took it", async () => {
    const bob = await signUpUser(services);
    tick();
    await addEmail(services)({ userId: bob.userId, email: "contested@example.com", correlationId: "c-bob" });
    clock.advance(16 * 60); // bob's code, and with it his claim's block, has expired
    const { email } = await addEmail(services)({ userId: alice.userId, email: "contested@example.com", correlationId: "c-alice" });
    expect(latestCode(services, "contested@example.com")).toMatch(/^\d{6}$/);

    const bobs = await activityItems(bob.userId);
    expect(bobs.map((item) => [item.type, item.actor])).toEqual([
      ["user.created", { type: "system" }],
      ["email.added", { type: "user", userId: bob.userId }],
      ["email.removed", { type: "system" }],
    ]);
    expect(JSON.stringify(bobs)).not.toContain(alice.userId);
    const alices = await activityItems(alice.userId);
    expect(alices.at(-1)).toMatchObject({
      type: "email.added",
      actor: { type: "user", userId: alice.userId },
      details: { emailId: email.emailId, email: "contested@example.com" },
    });
  });

  it("Cognito's own DeleteUser record deletes the account with the system as actor", async () => {
    tick();
    await answerCognitoSelfService(services)({
      id: "evt-1",
      detail: { eventName: "DeleteUser", eventID: "trail-1", additionalEventData: { sub: alice.userId } },
    });
    expect((await activityItems(alice.userId)).at(-1)).toMatchObject({
      type: "user.deleted",
      actor: { type: "system" },
      correlationId: "trail-1",
    });
  });
});

describe("an activity commits with its change or not at all", () => {
  it("a write that loses the version race (409) leaves the winner's activity and none of its own", async () => {
    const stale = (await services.profiles.get(alice.userId))!;
    tick();
    await updateProfile(services)({ userId: alice.userId, patch: { firstName: "Winner" }, correlationId: "c-winner" });
    const loser = createEvent(
      "user.updated",
      { userId: alice.userId, changedFields: ["firstName"] },
      eventContext(services, "c-loser", userActor(alice.userId)),
      // Any number: the version condition is the one that fails.
      99,
    );
    await expect(
      services.profiles.saveAtVersion({ ...stale, firstName: "Loser", version: 2 }, stale.version, loser, { requireActive: true }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);

    const updates = (await activityItems(alice.userId)).filter((item) => item.type === "user.updated");
    expect(updates.map((item) => item.correlationId)).toEqual(["c-winner"]);
    expect(updates.map((item) => item.activityId)).not.toContain(loser.detail.eventId);
  });

  it("concurrent updates leave exactly one activity per update that committed", async () => {
    const results = await Promise.allSettled(
      ["A", "B", "C", "D", "E"].map((name) =>
        updateProfile(services)({ userId: alice.userId, patch: { firstName: `Name${name}` }, correlationId: `c-${name}` }),
      ),
    );
    const committed = results.filter((r) => r.status === "fulfilled").length;
    expect(committed).toBeGreaterThan(0);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConcurrentModificationError);
    const updates = (await activityItems(alice.userId)).filter((item) => item.type === "user.updated");
    expect(updates).toHaveLength(committed);
    const published = (await eventsAbout(alice.userId)).filter((event) => event.detailType === "user.updated");
    expect(updates.map((item) => item.activityId).sort()).toEqual(published.map((event) => event.detail.eventId).sort());
  });

  it("an add refused by the address limit (429) writes no activity; the adds before it did", async () => {
    for (let i = 1; i < MAX_EMAILS_PER_USER; i++) {
      tick();
      await addEmail(services)({ userId: alice.userId, email: `extra${i}@example.com`, correlationId: `c-add-${i}` });
    }
    await expect(
      addEmail(services)({ userId: alice.userId, email: "one-too-many@example.com", correlationId: "c-refused" }),
    ).rejects.toBeInstanceOf(EmailLimitReachedError);

    const adds = (await activityItems(alice.userId)).filter((item) => item.type === "email.added");
    expect(adds).toHaveLength(MAX_EMAILS_PER_USER - 1);
    expect(JSON.stringify(await activityItems(alice.userId))).not.toContain("one-too-many@example.com");
  });

  it("a change whose activity cannot be written is not made at all: profile, event and activity go together", async () => {
    // The next update's event id and time are known, so its activity key can be taken first.
    const eventId = randomUUID();
    tick();
    const occupied = keys.activity(alice.userId, clock.now().toISOString(), eventId);
    await services.db.send(new PutCommand({ TableName: services.config.tableName, Item: { ...occupied, type: "squatter" } }));
    nextIds.push(eventId);

    await expect(
      updateProfile(services)({ userId: alice.userId, patch: { firstName: "Never" }, correlationId: "c-never" }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await services.profiles.get(alice.userId)).toMatchObject({ version: 1 });
    expect((await services.profiles.get(alice.userId))?.firstName).toBeUndefined();
    expect((await eventsAbout(alice.userId)).map((event) => event.detailType)).toEqual(["user.created"]);

    // With the key free, the same change commits with its activity.
    nextIds.push(randomUUID());
    await updateProfile(services)({ userId: alice.userId, patch: { firstName: "Now" }, correlationId: "c-now" });
    expect((await activityItems(alice.userId)).filter((item) => item.type === "user.updated")).toHaveLength(1);
  });
});
