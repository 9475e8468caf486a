import { beforeEach, describe, expect, it } from "vitest";
import { addedEmail, changeEvents, emailRoutes, emailTestBed, ManualClock, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import { addEmail } from "./addEmail.js";
import { removeEmail } from "./removeEmail.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  // Ten minutes into an hour window: the first send (the add) leaves 50 minutes on it.
  ({ services, clock, alice } = await emailTestBed(new Date("2030-01-01T10:10:00.000Z")));
});

const send = (user: Pick<TestUser, "userId">, emailId: string, body?: unknown) => emailRoutes(services).send(user, emailId, body);
const confirm = (user: Pick<TestUser, "userId">, emailId: string, code: string) => emailRoutes(services).confirm(user, emailId, { code });

const windowEnd = Date.parse("2030-01-01T11:00:00.000Z") / 1000;

describe("POST /users/me/emails/{emailId}/verify", () => {
  it("mails a new code that replaces the previous one", async () => {
    const { record, code: first } = await addedEmail(services, alice, "new@example.com");
    const res = await send(alice, record.emailId);

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ message: "Verification code sent", expiresIn: 900 });
    expect(res.headers).toMatchObject({
      "X-RateLimit-Limit": "3",
      "X-RateLimit-Remaining": "1",
      "X-RateLimit-Reset": String(windowEnd),
    });
    const mails = services.mailbox.to("new@example.com");
    expect(mails).toHaveLength(2);
    const second = mails[1]?.code ?? "";
    expect(JSON.stringify(await scanTable(services))).not.toContain(second);
    // A resend changes no state other services care about: no event.
    expect((await changeEvents(services)).map((e) => e.detailType)).toEqual(["email.added"]);

    if (first !== second) {
      const old = await confirm(alice, record.emailId, first);
      expect(old.statusCode).toBe(400);
      expect(old.body.message).toBe("Invalid or expired verification code");
    }
    expect((await confirm(alice, record.emailId, second)).statusCode).toBe(200);
  });

  it("allows 3 sends per address per hour, the add included, then 429 with Retry-After and X-RateLimit-*", async () => {
    const { record } = await addedEmail(services, alice, "new@example.com");
    expect((await send(alice, record.emailId)).statusCode).toBe(200);
    const third = await send(alice, record.emailId);
    expect(third.statusCode).toBe(200);
    expect(third.headers["X-RateLimit-Remaining"]).toBe("0");
    const codeBefore = (await scanTable(services)).find((i) => i.SK === `CODE#${record.emailId}`);

    const fourth = await send(alice, record.emailId);
    expect(fourth.statusCode).toBe(429);
    expect(fourth.body).toMatchObject({
      statusCode: 429,
      error: "Too Many Requests",
      message: "Verification limit reached. Try again in 50 minutes.",
      retryAfter: 3000,
    });
    expect(fourth.headers).toMatchObject({
      "Retry-After": "3000",
      "X-RateLimit-Limit": "3",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(windowEnd),
    });
    expect(services.mailbox.to("new@example.com")).toHaveLength(3);
    // The refused send changed nothing: the live code is still the third one.
    expect((await scanTable(services)).find((i) => i.SK === `CODE#${record.emailId}`)).toEqual(codeBefore);

    clock.advance(50 * 60);
    const nextHour = await send(alice, record.emailId);
    expect(nextHour.statusCode).toBe(200);
    // The count read before the send belongs to the last hour: it starts over.
    expect(nextHour.headers).toMatchObject({
      "X-RateLimit-Remaining": "2",
      "X-RateLimit-Reset": String(windowEnd + 3600),
    });
  });

  it("reports the address's count across holders: a send before a remove and re-add still counts", async () => {
    const { record } = await addedEmail(services, alice, "new@example.com");
    expect((await send(alice, record.emailId)).headers["X-RateLimit-Remaining"]).toBe("1");
    await removeEmail(services)({ userId: alice.userId, emailId: record.emailId, correlationId: "test" });

    const bob = await signUpUser(services);
    const readded = await addEmail(services)({ userId: bob.userId, email: "new@example.com", correlationId: "test" });
    expect(readded.rateLimit.remaining).toBe(0);
    const refused = await send(bob, readded.email.emailId);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["X-RateLimit-Remaining"]).toBe("0");
    expect(services.mailbox.to("new@example.com")).toHaveLength(3);
  });

  it("counts parallel resends exactly: the limit holds and both windows count only the sends made", async () => {
    const { record } = await addedEmail(services, alice, "new@example.com");
    const results = await Promise.all([1, 2, 3, 4].map(() => send(alice, record.emailId)));

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 429, 429]);
    expect(services.mailbox.to("new@example.com")).toHaveLength(3);
    const items = await scanTable(services);
    const window = items.find((i) => i.PK === "RATELIMIT#verify#new@example.com");
    const userWindow = items.find((i) => i.PK === `RATELIMIT#verify-user#${alice.userId}`);
    expect(window).toMatchObject({ SK: `WINDOW#${windowEnd - 3600}`, sends: 3 });
    expect(userWindow).toMatchObject({ SK: `WINDOW#${windowEnd - 3600}`, sends: 3 });
    const listed = (await services.emails.list(alice.userId)).find((e) => e.emailId === record.emailId);
    expect(listed).toEqual(record);
  });

  it("answers 400 for a verified address", async () => {
    const res = await send(alice, alice.primaryEmailId);
    expect(res.statusCode).toBe(400);
    expect(res.body.message).toBe("Email is already verified");
    expect(services.mailbox.to(alice.email)).toEqual([]);
  });

  it("answers 404 for another user's address and sends nothing", async () => {
    const bob = await signUpUser(services);
    const { record } = await addedEmail(services, bob, "bobs@example.com");
    const res = await send(alice, record.emailId);
    expect(res.statusCode).toBe(404);
    expect(res.body.message).toBe("Email not found");
    expect(services.mailbox.to("bobs@example.com")).toHaveLength(1);
  });

  it("answers 400 for a body with fields", async () => {
    const { record } = await addedEmail(services, alice, "new@example.com");
    const res = await send(alice, record.emailId, { email: "elsewhere@example.com" });
    expect(res.statusCode).toBe(400);
    expect(res.body.details).toEqual([{ field: "email", message: "Unknown field" }]);
    expect(services.mailbox.to("new@example.com")).toHaveLength(1);
  });
});
