import { beforeEach, describe, expect, it } from "vitest";
import { addedEmail, changeEvents, emailRoutes, emailTestBed, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let alice: TestUser;

beforeEach(async () => {
  ({ services, alice } = await emailTestBed());
});

const remove = (user: Pick<TestUser, "userId">, emailId: string) => emailRoutes(services).remove(user, emailId);

describe("DELETE /users/me/emails/{emailId}", () => {
  it("removes the address, its claim and code in one go, and writes email.removed", async () => {
    const { record } = await addedEmail(services, alice, "gone@example.com");
    const res = await remove(alice, record.emailId);

    expect(res.statusCode).toBe(204);
    const items = await scanTable(services);
    // Only the history mentions it: the events and the activity trail (email.added, email.removed).
    const isHistory = (i: Record<string, unknown>) => String(i.PK).startsWith("OUTBOX#") || String(i.SK).startsWith("ACTIVITY#");
    expect(items.filter((i) => JSON.stringify(i).includes(record.emailId) && !isHistory(i))).toEqual([]);
    expect(items.find((i) => i.PK === "EMAILCLAIM#gone@example.com")).toBeUndefined();
    expect(items.find((i) => i.PK === `USER#${alice.userId}` && i.SK === "PROFILE")?.emailCount).toBe(1);
    const events = await changeEvents(services);
    expect(events.filter((e) => e.detailType === "email.removed").map((e) => e.detail)).toEqual([
      expect.objectContaining({ userId: alice.userId, emailId: record.emailId, email: "gone@example.com" }),
    ]);
  });

  it("frees the address for anyone at once", async () => {
    const { record } = await addedEmail(services, alice, "free@example.com");
    await remove(alice, record.emailId);
    const bob = await signUpUser(services);
    await expect(addedEmail(services, bob, "free@example.com")).resolves.toBeDefined();
  });

  it("refuses to delete the only address with the 'last' message, checked before 'primary'", async () => {
    const res = await remove(alice, alice.primaryEmailId);
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Cannot delete last email. Account must have at least one email.");
  });

  it("refuses to delete the primary when others exist", async () => {
    await addedEmail(services, alice, "other@example.com");
    const before = await scanTable(services);
    const res = await remove(alice, alice.primaryEmailId);
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Cannot delete primary email. Set another email as primary first.");
    expect(await scanTable(services)).toEqual(before);
  });

  it("answers 404 for another user's address and for an unknown id, and changes nothing", async () => {
    const bob = await signUpUser(services);
    const { record: bobs } = await addedEmail(services, bob, "bobs@example.com");
    const before = await scanTable(services);
    for (const id of [bobs.emailId, "no-such-id", bob.primaryEmailId]) {
      const res = await remove(alice, id);
      expect(res.statusCode).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: "Not Found", message: "Email not found" });
    }
    expect(await scanTable(services)).toEqual(before);
  });

  it("removes once when two removes of one address race", async () => {
    const { record } = await addedEmail(services, alice, "racing@example.com");
    const results = await Promise.all([remove(alice, record.emailId), remove(alice, record.emailId)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 404]);
    expect(await services.emails.list(alice.userId)).toHaveLength(1);
    expect((await changeEvents(services)).filter((e) => e.detailType === "email.removed")).toHaveLength(1);
  });
});
