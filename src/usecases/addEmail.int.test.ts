import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { changeEvents, emailRoutes, emailTestBed, ManualClock, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import { removeEmail } from "./removeEmail.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

const add = (user: Pick<TestUser, "userId">, body: unknown) => emailRoutes(services).add(user, body);

const itemsFor = async (address: string) => {
  const items = await scanTable(services);
  return {
    claims: items.filter((i) => i.PK === `EMAILCLAIM#${address}`),
    emails: items.filter((i) => String(i.SK).startsWith("EMAIL#") && i.email === address),
  };
};

/** The address is the taker's alone: one claim, one email item. */
function expectTakenOver(found: Awaited<ReturnType<typeof itemsFor>>, taker: TestUser, emailId: string) {
  expect(found.claims).toEqual([expect.objectContaining({ userId: taker.userId, emailId })]);
  expect(found.emails).toEqual([expect.objectContaining({ userId: taker.userId, emailId })]);
}

describe("POST /users/me/emails", () => {
  it("adds an unverified address, stores only the code's hash, mails the code and writes email.added", async () => {
    const res = await add(alice, { email: "  New.Address+tag@Example.COM " });

    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({
      emailId: expect.any(String),
      email: "new.address+tag@example.com",
      isPrimary: false,
      isVerified: false,
      createdAt: clock.now().toISOString(),
    });
    expect(res.headers["X-RateLimit-Limit"]).toBe("3");
    expect(res.headers["X-RateLimit-Remaining"]).toBe("2");
    expect(Number(res.headers["X-RateLimit-Reset"])).toBeGreaterThan(clock.now().getTime() / 1000);

    const mails = services.mailbox.to("new.address+tag@example.com");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Verify your email address");
    const code = mails[0]?.code ?? "";
    expect(code).toMatch(/^\d{6}$/);

    const items = await scanTable(services);
    expect(JSON.stringify(items)).not.toContain(code);
    const codeItem = items.find((i) => i.SK === `CODE#${res.body.emailId}`);
    expect(codeItem).toMatchObject({ attempts: 0, expiresAt: clock.now().getTime() / 1000 + 900 });
    expect(codeItem?.codeHash).toMatch(/^[0-9a-f]{64}$/);

    const { claims, emails } = await itemsFor("new.address+tag@example.com");
    expect(claims).toEqual([
      expect.objectContaining({
        userId: alice.userId,
        emailId: res.body.emailId,
        verified: false,
        // It keeps others out while its code is live, no longer.
        releaseAt: clock.now().getTime() / 1000 + 900,
      }),
    ]);
    expect(emails).toHaveLength(1);

    const events = await changeEvents(services);
    expect(events.map((e) => e.detailType)).toEqual(["email.added"]);
    expect(events[0]?.detail).toMatchObject({
      userId: alice.userId,
      emailId: res.body.emailId,
      email: "new.address+tag@example.com",
    });
    expect(events[0]?.detail.metadata).toMatchObject({ correlationId: res.headers["X-Correlation-Id"], environment: "test" });
    expect(JSON.stringify(events)).not.toContain(code);
  });

  it("counts the add against the address's sends of this hour, made before a remove and re-add", async () => {
    const first = await add(alice, { email: "again@example.com" });
    await removeEmail(services)({ userId: alice.userId, emailId: String(first.body.emailId), correlationId: "test" });

    const again = await add(alice, { email: "again@example.com" });
    expect(again.statusCode).toBe(201);
    expect(again.headers["X-RateLimit-Remaining"]).toBe("1");
    const window = (await scanTable(services)).find((i) => String(i.PK) === "RATELIMIT#verify#again@example.com");
    expect(window?.sends).toBe(2);
  });

  it("answers 409 with one message for the caller's own and another user's address", async () => {
    const bob = await signUpUser(services);
    const own = await add(alice, { email: alice.email.toUpperCase() });
    const others = await add(alice, { email: bob.email });
    for (const res of [own, others]) {
      expect(res.statusCode).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: "Conflict", message: "Email address is not available" });
    }
    expect(await changeEvents(services)).toEqual([]);
  });

  it("refuses a sixth address with 429 and leaves five", async () => {
    for (let i = 1; i <= 4; i++) expect((await add(alice, { email: `extra${i}@example.com` })).statusCode).toBe(201);
    const sixth = await add(alice, { email: "extra5@example.com" });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.body.message).toBe("Maximum of 5 email addresses reached");
    expect(await services.emails.list(alice.userId)).toHaveLength(5);
    expect((await itemsFor("extra5@example.com")).claims).toEqual([]);
  });

  it("lets exactly one of 20 users racing for one address have it", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => signUpUser(services)));
    const results = await Promise.all(users.map((user) => add(user, { email: "race@example.com" })));

    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((r) => r.statusCode === 409)) expect(r.body.message).toBe("Email address is not available");
    const { claims, emails } = await itemsFor("race@example.com");
    expect(claims).toHaveLength(1);
    expect(emails).toHaveLength(1);
    const winner = users[results.findIndex((r) => r.statusCode === 201)];
    expect(claims[0]?.userId).toBe(winner?.userId);
    expect((await changeEvents(services)).filter((e) => e.detailType === "email.added")).toHaveLength(1);
  });

  it("lets another account take over an unverified address once its holder's code has expired; the holder loses it", async () => {
    const bob = await signUpUser(services);
    const stale = await add(alice, { email: "shared@example.com" });
    expect(stale.statusCode).toBe(201);

    clock.advance(15 * 60 - 1);
    expect((await add(bob, { email: "shared@example.com" })).statusCode).toBe(409);

    clock.advance(1);
    const res = await add(bob, { email: "shared@example.com" });
    expect(res.statusCode).toBe(201);
    expectTakenOver(await itemsFor("shared@example.com"), bob, String(res.body.emailId));
    expect((await services.emails.list(alice.userId)).map((e) => e.email)).toEqual([alice.email]);
    const items = await scanTable(services);
    expect(items.find((i) => i.SK === `CODE#${stale.body.emailId}`)).toBeUndefined();
    expect(items.find((i) => i.PK === `USER#${alice.userId}` && i.SK === "PROFILE")?.emailCount).toBe(1);

    const events = await changeEvents(services);
    expect(events.filter((e) => e.detailType === "email.removed").map((e) => e.detail)).toEqual([
      expect.objectContaining({ userId: alice.userId, emailId: stale.body.emailId, email: "shared@example.com" }),
    ]);
    expect(events.filter((e) => e.detailType === "email.added")).toHaveLength(2);
  });

  it("keeps an address from others less than an hour however its holder resends, then lets another account in", async () => {
    const bob = await signUpUser(services);
    const resend = (emailId: string) => emailRoutes(services).send(alice, emailId);
    const at = async (time: string) => clock.advance((Date.parse(`2030-01-01T${time}Z`) - clock.now().getTime()) / 1000);
    const bobTries = async () => (await add(bob, { email: "held@example.com" })).statusCode;

    // The longest chain: two sends at the end of one hour window, then the next window's sends.
    await at("00:45:00");
    const held = await add(alice, { email: "held@example.com" });
    const emailId = String(held.body.emailId);
    for (const time of ["00:59:00", "01:13:00", "01:27:00", "01:41:00"]) {
      await at(time);
      expect(await bobTries()).toBe(409);
      expect((await resend(emailId)).statusCode).toBe(200);
    }
    // The window is spent: no fourth send, so no way to extend the block.
    expect((await resend(emailId)).statusCode).toBe(429);
    await at("01:41:59");
    expect(await bobTries()).toBe(409);

    // 57 minutes after the add, without the address's mail ever being read: bob gets it, and its code.
    await at("01:42:00");
    const bobs = await add(bob, { email: "held@example.com" });
    expect(bobs.statusCode).toBe(201);
    const taken = await itemsFor("held@example.com");
    expectTakenOver(taken, bob, String(bobs.body.emailId));
    // The new holder's code keeps others out for its life, though the window was spent.
    expect(taken.claims[0]?.releaseAt).toBe(clock.now().getTime() / 1000 + 900);
    expect(services.mailbox.to("held@example.com")).toHaveLength(6);
    const removed = (await changeEvents(services)).filter((e) => e.detailType === "email.removed");
    expect(removed.map((e) => e.detail)).toEqual([expect.objectContaining({ userId: alice.userId, emailId })]);
  });

  it("lets exactly one of several accounts racing for an expired claim take it over", async () => {
    await add(alice, { email: "contested@example.com" });
    clock.advance(15 * 60);
    const users = await Promise.all(Array.from({ length: 6 }, () => signUpUser(services)));
    const results = await Promise.all(users.map((user) => add(user, { email: "contested@example.com" })));

    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const { claims, emails } = await itemsFor("contested@example.com");
    expect(claims).toHaveLength(1);
    expect(emails).toHaveLength(1);
    expect(claims[0]?.userId).toBe(users[results.findIndex((r) => r.statusCode === 201)]?.userId);
  });

  it("never takes over a verified address, however old", async () => {
    const bob = await signUpUser(services);
    clock.advance(30 * 24 * 3600);
    const res = await add(alice, { email: bob.email });
    expect(res.statusCode).toBe(409);
    expect((await itemsFor(bob.email)).claims).toEqual([expect.objectContaining({ userId: bob.userId, verified: true })]);
  });

  it("refuses a suspended account with 403", async () => {
    await services.db.send(
      new UpdateCommand({
        TableName: services.config.tableName,
        Key: { PK: `USER#${alice.userId}`, SK: "PROFILE" },
        UpdateExpression: "SET #s = :s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": "suspended" },
      }),
    );
    const res = await add(alice, { email: "new@example.com" });
    expect(res.statusCode).toBe(403);
    expect(res.body.message).toBe("Account is not active");
    expect((await itemsFor("new@example.com")).claims).toEqual([]);
  });

  it.each([
    ["an invalid address", { email: "not-an-address" }, [{ field: "email", message: "Must be a valid email address" }]],
    ["an address over 254 characters", { email: `${"a".repeat(250)}@b.co` }, [{ field: "email", message: "Must be at most 254 characters" }]],
    ["an unknown field", { email: "ok@example.com", userId: "someone-else" }, [{ field: "userId", message: "Unknown field" }]],
    ["a non-string address", { email: 42 }, [{ field: "email", message: "Must be a string" }]],
  ])("answers 400 for %s and changes nothing", async (_name, body, details) => {
    const before = await scanTable(services);
    const res = await add(alice, body);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: "Request validation failed", details });
    expect(await scanTable(services)).toEqual(before);
  });

  it("answers 400 for malformed JSON and a missing body", async () => {
    const malformed = await add(alice, "{not json");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.message).toBe("Request body is not valid JSON");
    const missing = await add(alice, undefined);
    expect(missing.statusCode).toBe(400);
    expect(await changeEvents(services)).toEqual([]);
  });
});
