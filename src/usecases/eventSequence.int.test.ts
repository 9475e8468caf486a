import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { EmailLimitReachedError, InvalidVerificationCodeError } from "../domain/errors.js";
import { EVENT_VERSION } from "../domain/events.js";
import { MAX_EMAILS_PER_USER } from "../domain/user.js";
import { epochSeconds } from "../ports/clock.js";
import { addedEmail, emailTestBed, ManualClock, signUpUser, verifiedEmail, type TestUser } from "../../test/support/fixtures.js";
import { assertValidEvent } from "../../test/support/eventSchemas.js";
import { outboxEvents, readItem } from "../../test/support/outbox.js";
import type { TestServices } from "../../test/support/testServices.js";
import { addEmail } from "./addEmail.js";
import { confirmVerification } from "./confirmVerification.js";
import { purgeAccount } from "./purgeAccount.js";
import { setPrimaryEmail } from "./setPrimaryEmail.js";
import { updateProfile } from "./updateProfile.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

/** The user's events (SPEC 12.7), by sequence; each one checked against its committed 1.1 JSON Schema. */
async function eventsOf(userId: string) {
  const events = (await outboxEvents(services)).filter((event) => event.detail.userId === userId);
  for (const event of events) {
    assertValidEvent(event.detailType, event.detail);
    expect(event.detail.version).toBe(EVENT_VERSION);
  }
  return events.sort((a, b) => Number(a.detail.sequence) - Number(b.detail.sequence));
}

const sequencesOf = async (userId: string) => (await eventsOf(userId)).map((event) => Number(event.detail.sequence));
const counterOf = async (userId: string) => (await readItem(services, keys.profile(userId)))?.sequence;
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("per-user event sequence (SPEC 12.7)", () => {
  it("user.created is 1, then each change's event the next number, and the profile holds the last", async () => {
    expect(await sequencesOf(alice.userId)).toEqual([1]);
    expect((await eventsOf(alice.userId))[0]?.detailType).toBe("user.created");
    await verifiedEmail(services, alice, "second@example.com");
    await updateProfile(services)({ userId: alice.userId, patch: { firstName: "Alice" }, correlationId: "c-update" });
    const events = await eventsOf(alice.userId);
    expect(events.map((e) => [e.detailType, e.detail.sequence])).toEqual([
      ["user.created", 1],
      ["email.added", 2],
      ["email.verified", 3],
      ["user.updated", 4],
    ]);
    expect(await counterOf(alice.userId)).toBe(4);
  });

  it("20 concurrent writers on one user (profile updates, address adds, primary switches): sequences are exactly 1..n", async () => {
    const a = await verifiedEmail(services, alice, "a@example.com");
    const b = await verifiedEmail(services, alice, "b@example.com");
    const before = (await sequencesOf(alice.userId)).length;
    const caller = { userId: alice.userId, groups: [], authTime: epochSeconds(clock.now()) };
    const writers = Array.from({ length: 20 }, (_, i) => {
      switch (i % 3) {
        case 0:
          return updateProfile(services)({ userId: alice.userId, patch: { firstName: `Name ${i}` }, correlationId: `c-update-${i}` });
        case 1:
          return addEmail(services)({ userId: alice.userId, email: `added-${i}@example.com`, correlationId: `c-add-${i}` });
        default:
          return setPrimaryEmail(services)({ caller, emailId: (i % 2 ? a : b).emailId, correlationId: `c-primary-${i}` });
      }
    });
    const results = await Promise.allSettled(writers);

    const sequences = await sequencesOf(alice.userId);
    const n = sequences.length;
    // No duplicate, no gap, whatever committed; the counter holds the last number.
    expect(sequences).toEqual(oneTo(n));
    expect(await counterOf(alice.userId)).toBe(n);
    // Updates and switches of one version race on it (one per version wins, the others are 409 as
    // before: optimistic locking); adds do not touch the version: each that lost only the
    // sequence race read again and committed, until the address limit (3 held, 5 allowed).
    const fulfilled = (kind: number) => results.filter((r, i) => i % 3 === kind && r.status === "fulfilled").length;
    const profileChanges = fulfilled(0) + fulfilled(2);
    expect(profileChanges).toBeGreaterThanOrEqual(1);
    expect(fulfilled(1)).toBe(MAX_EMAILS_PER_USER - 3);
    // One event per committed write (a switch to the address already primary writes none): how
    // many updates and switches win depends on timing, so the count is bounded, not fixed.
    expect(n).toBeGreaterThanOrEqual(before + fulfilled(1) + 1);
    expect(n).toBeLessThanOrEqual(before + fulfilled(1) + profileChanges);
    const adds = (await eventsOf(alice.userId)).filter((e) => e.detailType === "email.added").length;
    expect(adds).toBe(MAX_EMAILS_PER_USER - 1);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as Error).name).toMatch(/^(EmailLimitReachedError|ConcurrentModificationError)$/);
    }
  });

  it("a failed transaction consumes no number", async () => {
    for (let i = 2; i <= MAX_EMAILS_PER_USER; i++) await addedEmail(services, alice, `extra-${i}@example.com`);
    const last = Number(await counterOf(alice.userId));
    // Refused by the count's condition inside the transaction.
    await expect(addEmail(services)({ userId: alice.userId, email: "one-too-many@example.com", correlationId: "c-over" })).rejects.toBeInstanceOf(
      EmailLimitReachedError,
    );
    // Refused before any transaction.
    const [pending] = await services.emails.list(alice.userId).then((emails) => emails.filter((e) => !e.isVerified));
    await expect(
      confirmVerification(services)({ userId: alice.userId, emailId: pending!.emailId, code: "000000", correlationId: "c-wrong" }),
    ).rejects.toBeInstanceOf(InvalidVerificationCodeError);
    expect(await counterOf(alice.userId)).toBe(last);
    await updateProfile(services)({ userId: alice.userId, patch: { lastName: "Next" }, correlationId: "c-next" });
    expect(await sequencesOf(alice.userId)).toEqual(oneTo(last + 1));
  });

  it("a takeover's email.removed takes the stale owner's next number; the purge's user.purged is the last one", async () => {
    const bob = await signUpUser(services);
    await addedEmail(services, bob, "contested@example.com");
    expect(await sequencesOf(bob.userId)).toEqual([1, 2]);
    clock.advance(8 * 24 * 3600);
    await addEmail(services)({ userId: alice.userId, email: "contested@example.com", correlationId: "c-takeover" });
    const bobEvents = await eventsOf(bob.userId);
    expect(bobEvents.map((e) => [e.detailType, e.detail.sequence])).toEqual([
      ["user.created", 1],
      ["email.added", 2],
      ["email.removed", 3],
    ]);
    expect(await counterOf(bob.userId)).toBe(3);

    const admin = await signUpUser(services);
    await purgeAccount(services)({ userId: bob.userId, correlationId: "c-purge", actor: { type: "admin", userId: admin.userId } });
    const purged = (await eventsOf(bob.userId)).at(-1);
    expect(purged).toMatchObject({ detailType: "user.purged", detail: { sequence: 4 } });
  });
});
