import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../test/support/apiClient.js";
import { addedEmail, changeEvents, claimsOf, emailTestBed, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let alice: TestUser;

beforeEach(async () => {
  ({ services, alice } = await emailTestBed());
});

const add = (user: Pick<TestUser, "userId">, email: string, key?: string) =>
  api("POST /users/me/emails", { body: { email }, as: claimsOf(user, services), ...(key !== undefined ? { headers: { "Idempotency-Key": key } } : {}) });

const emailItems = async (address: string) =>
  (await scanTable(services)).filter((i) => String(i.SK).startsWith("EMAIL#") && i.email === address);

describe("Idempotency-Key on POST routes", () => {
  it("answers a retry with the first response and causes no second effect", async () => {
    const first = await add(alice, "new@example.com", "key-1");
    const retry = await add(alice, "new@example.com", "key-1");

    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers["X-RateLimit-Remaining"]).toBe(first.headers["X-RateLimit-Remaining"]);
    expect(retry.headers["Idempotent-Replayed"]).toBe("true");
    expect(await emailItems("new@example.com")).toHaveLength(1);
    expect((await changeEvents(services)).filter((e) => e.detailType === "email.added")).toHaveLength(1);
    expect(services.mailbox.to("new@example.com")).toHaveLength(1);

    const stored = (await scanTable(services)).filter((i) => i.PK === `IDEMPOTENCY#${alice.userId}`);
    expect(stored).toEqual([expect.objectContaining({ status: "COMPLETED", expiresAt: expect.any(Number) })]);
  });

  it("answers 422 when the key comes back with another body", async () => {
    expect((await add(alice, "new@example.com", "key-1")).statusCode).toBe(201);
    const other = await add(alice, "other@example.com", "key-1");
    expect(other.statusCode).toBe(422);
    expect(other.body.message).toBe("Idempotency-Key was already used with a different request");
    expect(await emailItems("other@example.com")).toEqual([]);
  });

  it("keeps keys apart per user: another user's same key and body is a new request", async () => {
    const bob = await signUpUser(services);
    expect((await add(alice, "alices@example.com", "shared-key")).statusCode).toBe(201);
    const bobs = await add(bob, "alices@example.com", "shared-key");
    expect(bobs.statusCode).toBe(409);
    expect(bobs.body.message).toBe("Email address is not available");
  });

  it("does not keep refusals: a failed request may be retried with the same key", async () => {
    const bob = await signUpUser(services);
    const taken = await add(alice, bob.email, "key-2");
    expect(taken.statusCode).toBe(409);
    expect((await scanTable(services)).filter((i) => i.PK === `IDEMPOTENCY#${alice.userId}`)).toEqual([]);
    expect((await add(alice, bob.email, "key-2")).statusCode).toBe(409);
  });

  it("replays a confirmation instead of answering 400 for the consumed code", async () => {
    const { record, code } = await addedEmail(services, alice, "new@example.com");
    const confirm = () =>
      api("POST /users/me/emails/{emailId}/verify/confirm", {
        params: { emailId: record.emailId },
        body: { code },
        headers: { "Idempotency-Key": "confirm-1" },
        as: claimsOf(alice, services),
      });
    const first = await confirm();
    const retry = await confirm();
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await changeEvents(services)).filter((e) => e.detailType === "email.verified")).toHaveLength(1);
  });

  it("answers 409 while the first request with the key is still running", async () => {
    // Hold the first request in its mail step, after its record was marked in progress.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const send = services.mailbox.send.bind(services.mailbox);
    const spy = vi.spyOn(services.mailbox, "send").mockImplementationOnce(async (mail) => {
      await held;
      await send(mail);
    });
    const first = add(alice, "slow@example.com", "key-3");
    await vi.waitFor(() => expect(spy).toHaveBeenCalled());

    const second = await add(alice, "slow@example.com", "key-3");
    expect(second.statusCode).toBe(409);
    expect(second.body.message).toBe("A request with this Idempotency-Key is already in progress");

    release();
    expect((await first).statusCode).toBe(201);
    expect((await add(alice, "slow@example.com", "key-3")).statusCode).toBe(201);
    expect(await emailItems("slow@example.com")).toHaveLength(1);
  });

  it("refuses a malformed key with 400 and runs nothing", async () => {
    const res = await add(alice, "new@example.com", "has spaces");
    expect(res.statusCode).toBe(400);
    expect(res.body.details).toEqual([{ field: "Idempotency-Key", message: "Must be 1 to 255 visible ASCII characters" }]);
    expect(await emailItems("new@example.com")).toEqual([]);
  });
});
