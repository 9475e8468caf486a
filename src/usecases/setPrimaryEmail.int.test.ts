import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import type { EmailRecord } from "../domain/email.js";
import { api } from "../../test/support/apiClient.js";
import { addedEmail, changeEvents, emailRoutes, emailTestBed, ManualClock, scanTable, signUpUser, verifiedEmail, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

const makePrimary = (user: Pick<TestUser, "userId">, emailId: string, authTime?: number) => emailRoutes(services).makePrimary(user, emailId, authTime);

const profileItem = async (userId: string) =>
  (await scanTable(services)).find((i) => i.PK === `USER#${userId}` && i.SK === "PROFILE");

describe("PUT /users/me/emails/{emailId}/primary", () => {
  it("switches the primary, moves the profile's email on a new version, writes the event and tells the old address", async () => {
    const next = await verifiedEmail(services, alice, "next@example.com");
    const before = await profileItem(alice.userId);
    clock.advance(30);
    const res = await makePrimary(alice, next.emailId);

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ ...next, isPrimary: true });
    const emails = await services.emails.list(alice.userId);
    expect(emails.filter((e) => e.isPrimary).map((e) => e.email)).toEqual(["next@example.com"]);
    expect(await profileItem(alice.userId)).toMatchObject({
      email: "next@example.com",
      version: Number(before?.version) + 1,
      updatedAt: clock.now().toISOString(),
    });

    const changed = (await changeEvents(services)).filter((e) => e.detailType === "email.primary.changed");
    expect(changed.map((e) => e.detail)).toEqual([
      expect.objectContaining({ userId: alice.userId, emailId: next.emailId, oldEmail: alice.email, newEmail: "next@example.com" }),
    ]);
    const notices = services.mailbox.to(alice.email).filter((m) => m.subject === "Your primary email address was changed");
    // The old address's notice carries its revert link (SPEC 12.3); the event says why it changed.
    expect(notices).toEqual([expect.objectContaining({ code: null, link: expect.stringMatching(/\/#revert=[A-Za-z0-9_-]{43}$/) })]);
    expect(notices[0]?.text).toContain("next@example.com");
    expect(changed[0]?.detail).toMatchObject({ reason: "change" });
  });

  it("is a no-op for the current primary: 200, no write, no event, no mail", async () => {
    const before = await scanTable(services);
    const res = await makePrimary(alice, alice.primaryEmailId);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ emailId: alice.primaryEmailId, isPrimary: true });
    expect(await scanTable(services)).toEqual(before);
    expect(services.mailbox.all()).toEqual([]);
  });

  it("refuses an unverified address with 400", async () => {
    const { record } = await addedEmail(services, alice, "unverified@example.com");
    const res = await makePrimary(alice, record.emailId);
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Email must be verified before setting as primary");
    expect((await profileItem(alice.userId))?.email).toBe(alice.email);
  });

  it("needs a sign-in within 15 minutes (403 otherwise, or without auth_time)", async () => {
    const next = await verifiedEmail(services, alice, "next@example.com");
    const nowEpoch = Math.floor(clock.now().getTime() / 1000);
    const stale = await makePrimary(alice, next.emailId, nowEpoch - 15 * 60 - 1);
    expect(stale.statusCode).toBe(403);
    expect(stale.body.message).toBe("Recent sign-in required");
    expect((await profileItem(alice.userId))?.email).toBe(alice.email);

    const noAuthTime = await api("PUT /users/me/emails/{emailId}/primary", { params: { emailId: next.emailId }, as: { sub: alice.userId, auth_time: "" } });
    expect(noAuthTime.statusCode).toBe(403);

    const fresh = await makePrimary(alice, next.emailId, nowEpoch - 15 * 60 + 5);
    expect(fresh.statusCode).toBe(200);
  });

  it("answers 404 for another user's verified address", async () => {
    const bob = await signUpUser(services);
    const res = await makePrimary(alice, bob.primaryEmailId);
    expect(res.statusCode).toBe(404);
    expect((await profileItem(bob.userId))?.email).toBe(bob.email);
  });

  it("refuses a suspended account with 403", async () => {
    const next = await verifiedEmail(services, alice, "next@example.com");
    await services.db.send(
      new UpdateCommand({
        TableName: services.config.tableName,
        Key: { PK: `USER#${alice.userId}`, SK: "PROFILE" },
        UpdateExpression: "SET #s = :s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": "suspended" },
      }),
    );
    const res = await makePrimary(alice, next.emailId);
    expect(res.statusCode).toBe(403);
    expect(res.body.message).toBe("Account is not active");
  });

  it("leaves exactly one primary, the profile's, after 10 parallel switches", async () => {
    const targets: EmailRecord[] = [];
    for (let i = 0; i < 4; i++) targets.push(await verifiedEmail(services, alice, `target${i}@example.com`));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => makePrimary(alice, targets[i % targets.length]!.emailId)),
    );

    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    expect(results.some((r) => r.statusCode === 200)).toBe(true);
    const primaries = (await services.emails.list(alice.userId)).filter((e) => e.isPrimary);
    expect(primaries).toHaveLength(1);
    const profile = await profileItem(alice.userId);
    expect(profile?.email).toBe(primaries[0]?.email);
    const changes = (await changeEvents(services)).filter((e) => e.detailType === "email.primary.changed");
    // A request that finds its target already primary answers 200 without a change.
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes.length).toBeLessThanOrEqual(results.filter((r) => r.statusCode === 200).length);
    expect(changes.map((e) => e.detail.newEmail)).toContain(primaries[0]?.email);
    expect(Number(profile?.version)).toBe(1 + changes.length);
  });
});
