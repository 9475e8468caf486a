import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { addedEmail, changeEvents, emailRoutes, emailTestBed, latestCode, ManualClock, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

const confirm = (user: Pick<TestUser, "userId">, emailId: string, body: unknown) => emailRoutes(services).confirm(user, emailId, body);

/** A six-digit code that is not `code`. */
const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");

const stored = async (emailId: string) => (await scanTable(services)).find((i) => i.SK === `CODE#${emailId}`);

describe("POST /users/me/emails/{emailId}/verify/confirm", () => {
  it("verifies the address and its claim, consumes the code and writes email.verified", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    clock.advance(60);
    const res = await confirm(alice, record.emailId, { code });

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ ...record, isVerified: true, verifiedAt: clock.now().toISOString() });
    const items = await scanTable(services);
    expect(items.find((i) => i.SK === `EMAIL#${record.emailId}`)).toMatchObject({ isVerified: true });
    const claim = items.find((i) => i.PK === "EMAILCLAIM#new@example.com");
    expect(claim).toMatchObject({ verified: true, userId: alice.userId });
    expect(claim).not.toHaveProperty("releaseAt");
    expect(await stored(record.emailId)).toBeUndefined();

    const events = await changeEvents(services);
    expect(events.filter((e) => e.detailType === "email.verified").map((e) => e.detail)).toEqual([
      expect.objectContaining({ userId: alice.userId, emailId: record.emailId, email: "new@example.com" }),
    ]);
    expect(JSON.stringify(events)).not.toContain(code);
  });

  it("stores a keyed digest of the code: a table read cannot recompute it, and the code still confirms", async () => {
    const { record, code } = await addedEmail(services, alice, "keyed@example.com");
    const codeHash = String((await stored(record.emailId))?.codeHash);
    const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

    expect(codeHash).toMatch(/^[0-9a-f]{64}$/);
    // Everything a table export holds next to the digest, hashed without a key, does not match it.
    for (const unkeyed of [`${record.emailId}:${code}`, code, `${alice.userId}:${record.emailId}:${code}`]) {
      expect(codeHash).not.toBe(sha256(unkeyed));
    }
    expect((await confirm(alice, record.emailId, { code })).statusCode).toBe(200);
  });

  it("counts a wrong code and answers 400; the right one still works", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    const res = await confirm(alice, record.emailId, { code: wrong(code) });
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Invalid or expired verification code");
    expect(await stored(record.emailId)).toMatchObject({ attempts: 1 });
    expect((await changeEvents(services)).filter((e) => e.detailType === "email.verified")).toEqual([]);
    expect((await confirm(alice, record.emailId, { code })).statusCode).toBe(200);
  });

  it("kills the code after 5 wrong tries: then even the right code is refused with 429", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    for (let n = 1; n <= 5; n++) {
      const res = await confirm(alice, record.emailId, { code: wrong(code, n) });
      expect(res.statusCode).toBe(400);
    }
    const item = await stored(record.emailId);
    expect(item).toMatchObject({ attempts: 5 });
    expect(item).not.toHaveProperty("codeHash");

    const res = await confirm(alice, record.emailId, { code });
    expect(res.statusCode).toBe(429);
    expect(res.body.message).toBe("Too many incorrect codes. Request a new verification code.");
    expect(res.headers["Retry-After"]).toBe("0");

    // A new code brings the address back.
    const sent = await emailRoutes(services).send(alice, record.emailId);
    expect(sent.statusCode).toBe(200);
    expect((await confirm(alice, record.emailId, { code: latestCode(services, "new@example.com") })).statusCode).toBe(200);
  });

  it("gives parallel guesses no more than 5 tries at one code", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    const guesses = Array.from({ length: 12 }, (_, n) => confirm(alice, record.emailId, { code: wrong(code, n + 1) }));
    const statuses = (await Promise.all(guesses)).map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect((await confirm(alice, record.emailId, { code })).statusCode).toBe(429);
  });

  it("refuses an expired code with 400", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    clock.advance(15 * 60);
    const res = await confirm(alice, record.emailId, { code });
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Invalid or expired verification code");
    expect((await services.emails.list(alice.userId)).find((e) => e.emailId === record.emailId)?.isVerified).toBe(false);
  });

  it("answers 404 for another user's address, even with its right code", async () => {
    const bob = await signUpUser(services);
    const { record, code } = await addedEmail(services, bob, "bobs@example.com");
    const res = await confirm(alice, record.emailId, { code });
    expect(res.statusCode).toBe(404);
    expect(await stored(record.emailId)).toMatchObject({ attempts: 0 });
  });

  it.each([
    [{ code: "12345" }, [{ field: "code", message: "Must be 6 digits" }]],
    [{ code: 123456 }, [{ field: "code", message: "Must be a string" }]],
    [{ code: "123456", extra: true }, [{ field: "extra", message: "Unknown field" }]],
  ])("answers 400 for %j without spending a try", async (body, details) => {
    const { record } = await addedEmail(services, alice, "new@example.com");
    const res = await confirm(alice, record.emailId, body);
    expect(res.statusCode).toBe(400);
    expect(res.body.details).toEqual(details);
    expect(await stored(record.emailId)).toMatchObject({ attempts: 0 });
  });
});
