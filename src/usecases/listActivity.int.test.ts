import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createHmacHasher } from "../adapters/secrets/hmacHasher.js";
import type { ActivityItem } from "../domain/activity.js";
import { emailTestBed, ManualClock, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";
import { InvalidCursorError } from "./activityCursor.js";
import { listActivity } from "./listActivity.js";
import { updateProfile } from "./updateProfile.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

/** `count` profile updates, each `stepSeconds` after the one before (0: all in the same millisecond). */
async function updates(userId: string, count: number, stepSeconds = 1) {
  for (let i = 0; i < count; i++) {
    clock.advance(stepSeconds);
    await updateProfile(services)({ userId, patch: { firstName: `Name${"abcdefghijklmnopqrstuvwxyz"[i]}` }, correlationId: `c-${i}` });
  }
}

/** Every page, following nextCursor; returns the pages' sizes and their items in order. */
async function allPages(userId: string, limit: number) {
  const sizes: number[] = [];
  const items: ActivityItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listActivity(services)({ userId, limit, ...(cursor ? { cursor } : {}) });
    sizes.push(page.items.length);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && sizes.length < 50);
  return { sizes, items };
}

describe("listActivity", () => {
  it("lists newest first and pages through more than one page with nothing skipped or repeated", async () => {
    await updates(alice.userId, 6);
    const whole = await listActivity(services)({ userId: alice.userId, limit: 100 });
    expect(whole.items).toHaveLength(7);
    expect(whole.nextCursor).toBeUndefined();
    expect(whole.items.map((i) => i.type)).toEqual([...Array<string>(6).fill("user.updated"), "user.created"]);
    const times = whole.items.map((i) => i.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(times).size).toBe(7);

    const paged = await allPages(alice.userId, 3);
    expect(paged.sizes).toEqual([3, 3, 1]);
    expect(paged.items).toEqual(whole.items);
  });

  it("gives no cursor when the last page is exactly full", async () => {
    await updates(alice.userId, 3);
    const paged = await allPages(alice.userId, 2);
    expect(paged.sizes).toEqual([2, 2]);
  });

  it("pages changes made in the same millisecond without skipping any (the id breaks the tie)", async () => {
    await updates(alice.userId, 5, 0);
    const whole = await listActivity(services)({ userId: alice.userId, limit: 100 });
    expect(new Set(whole.items.map((i) => i.occurredAt)).size).toBe(1);
    const paged = await allPages(alice.userId, 2);
    expect(paged.sizes).toEqual([2, 2, 2]);
    expect(paged.items.map((i) => i.activityId)).toEqual(whole.items.map((i) => i.activityId));
  });

  it("returns 20 by default", async () => {
    await updates(alice.userId, 21);
    const page = await listActivity(services)({ userId: alice.userId });
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await listActivity(services)({ userId: alice.userId, cursor: page.nextCursor! });
    expect(rest.items.map((i) => i.type)).toEqual(["user.updated", "user.created"]);
  });

  it("shows only the user's own trail", async () => {
    const bob = await signUpUser(services);
    await updates(bob.userId, 2);
    const page = await listActivity(services)({ userId: alice.userId, limit: 100 });
    expect(page.items.map((i) => i.type)).toEqual(["user.created"]);
  });

  it("refuses a cursor of another user's listing, an altered one and one signed under another key", async () => {
    const bob = await signUpUser(services);
    await updates(alice.userId, 3);
    await updates(bob.userId, 3);
    const bobs = (await listActivity(services)({ userId: bob.userId, limit: 1 })).nextCursor!;
    const alices = (await listActivity(services)({ userId: alice.userId, limit: 1 })).nextCursor!;

    await expect(listActivity(services)({ userId: alice.userId, cursor: bobs })).rejects.toBeInstanceOf(InvalidCursorError);
    const flipped = `${alices.slice(0, 3)}${alices[3] === "x" ? "y" : "x"}${alices.slice(4)}`;
    await expect(listActivity(services)({ userId: alice.userId, cursor: flipped })).rejects.toBeInstanceOf(InvalidCursorError);
    const otherKey = { ...services, keyedHasher: createHmacHasher(() => Promise.resolve(randomBytes(32))) };
    await expect(listActivity(otherKey)({ userId: alice.userId, cursor: alices })).rejects.toBeInstanceOf(InvalidCursorError);
    // The untouched cursor still works.
    expect((await listActivity(services)({ userId: alice.userId, cursor: alices, limit: 1 })).items).toHaveLength(1);
  });
});
