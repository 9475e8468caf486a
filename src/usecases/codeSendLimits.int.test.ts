import { beforeEach, describe, expect, it } from "vitest";
import { emailRoutes, emailTestBed, latestCode, ManualClock, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";
import { removeEmail } from "./removeEmail.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  // Ten minutes into an hour window: a window refusal has 50 minutes left.
  ({ services, clock, alice } = await emailTestBed(new Date("2030-01-01T10:10:00.000Z")));
});

const windowEnd = String(Date.parse("2030-01-01T11:00:00.000Z") / 1000);

const add = (user: Pick<TestUser, "userId">, email: string) => emailRoutes(services).add(user, { email });
const send = (user: Pick<TestUser, "userId">, emailId: string) => emailRoutes(services).send(user, emailId);
const confirm = (user: Pick<TestUser, "userId">, emailId: string, code: string) => emailRoutes(services).confirm(user, emailId, { code });

const limitHeaders = (res: { headers: Record<string, string> }) => ({
  limit: res.headers["X-RateLimit-Limit"],
  remaining: res.headers["X-RateLimit-Remaining"],
  reset: res.headers["X-RateLimit-Reset"],
});

/** Five wrong confirmations: the code dies. */
async function killCode(user: TestUser, emailId: string, address: string) {
  const right = latestCode(services, address);
  for (let n = 1; n <= 5; n++) {
    const guess = String((Number(right) + n) % 1_000_000).padStart(6, "0");
    expect((await confirm(user, emailId, guess)).statusCode).toBe(400);
  }
}

describe("per-user budget: 10 code mails per hour across addresses", () => {
  it("refuses the 11th send of one user with 429, its own message and Retry-After; headers show the tighter window", async () => {
    // Three addresses with 3 sends each (the add's own and two resends): 9 sends, none refused.
    const statuses: number[] = [];
    for (const n of [1, 2, 3]) {
      const added = await add(alice, `spread${n}@example.com`);
      statuses.push(added.statusCode);
      for (const _resend of [1, 2]) statuses.push((await send(alice, String(added.body.emailId))).statusCode);
    }
    expect(statuses).toEqual([201, 200, 200, 201, 200, 200, 201, 200, 200]);

    // The tenth: its address has 2 left, the user none: the user's window is the one reported.
    const tenth = await add(alice, "spread4@example.com");
    expect(tenth.statusCode).toBe(201);
    expect(limitHeaders(tenth)).toEqual({ limit: "10", remaining: "0", reset: windowEnd });

    const eleventh = await send(alice, String(tenth.body.emailId));
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.body).toMatchObject({ message: "Too many verification emails. Try again in 50 minutes.", retryAfter: 3000 });
    expect(eleventh.headers["Retry-After"]).toBe("3000");
    expect(limitHeaders(eleventh)).toEqual({ limit: "10", remaining: "0", reset: windowEnd });
    expect(services.mailbox.to("spread4@example.com")).toHaveLength(1);

    // A remove and a new address do not reset it either.
    await removeEmail(services)({ userId: alice.userId, emailId: String(tenth.body.emailId), correlationId: "test" });
    const twelfth = await add(alice, "spread5@example.com");
    expect(twelfth.statusCode).toBe(429);
    expect(twelfth.body.message).toBe("Too many verification emails. Try again in 50 minutes.");
    expect(services.mailbox.to("spread5@example.com")).toEqual([]);

    // Another user's budget is their own.
    expect((await add(await signUpUser(services), "other@example.com")).statusCode).toBe(201);
  });
});

describe("the address window ignores case and +tags", () => {
  it("counts Ann+1@, ann+2@ and ANN@ of one domain in one window; the stored addresses keep their tags", async () => {
    const first = await add(alice, "Ann+1@Example.com");
    expect(first.statusCode).toBe(201);
    expect(first.body.email).toBe("ann+1@example.com");
    expect(limitHeaders(first)).toEqual({ limit: "3", remaining: "2", reset: windowEnd });

    const bob = await signUpUser(services);
    const second = await add(bob, "ann+2@example.com");
    expect(second.statusCode).toBe(201);
    expect(limitHeaders(second)).toEqual({ limit: "3", remaining: "1", reset: windowEnd });
    expect(limitHeaders(await send(alice, String(first.body.emailId)))).toEqual({ limit: "3", remaining: "0", reset: windowEnd });

    const fourth = await add(alice, "ANN@example.com");
    expect(fourth.statusCode).toBe(429);
    expect(fourth.body).toMatchObject({ message: "Verification limit reached. Try again in 50 minutes.", retryAfter: 3000 });
    expect(limitHeaders(fourth)).toEqual({ limit: "3", remaining: "0", reset: windowEnd });
    // One account that has not mailed the address this hour still may, once: no account can keep
    // the others from adding it by spending its window every hour.
    const carol = await signUpUser(services);
    const extra = await add(carol, "ann+3@example.com");
    expect(extra.statusCode).toBe(201);
    expect(limitHeaders(extra)).toEqual({ limit: "3", remaining: "0", reset: windowEnd });
    expect((await add(await signUpUser(services), "ann+4@example.com")).statusCode).toBe(429);
    expect((await send(carol, String(extra.body.emailId))).statusCode).toBe(429);

    // Another local part, or another domain, is another window.
    expect((await add(alice, "anna+1@example.com")).statusCode).toBe(201);
    expect((await add(alice, "ann+1@example.org")).statusCode).toBe(201);
  });
});

describe("the 24-hour lock after 3 killed codes", () => {
  it("refuses any new code for the address, whoever asks and whatever the tag, for 24 hours after the third kill", async () => {
    const added = await add(alice, "target@example.com");
    const emailId = String(added.body.emailId);
    await killCode(alice, emailId, "target@example.com");
    expect((await send(alice, emailId)).statusCode).toBe(200);
    await killCode(alice, emailId, "target@example.com");
    clock.advance(3600);
    expect((await send(alice, emailId)).statusCode).toBe(200);
    await killCode(alice, emailId, "target@example.com");
    const lockedAt = Date.parse(clock.now().toISOString()) / 1000;

    clock.advance(3600);
    const refused = await send(alice, emailId);
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toMatchObject({
      message: "Too many incorrect codes for this address. Try again in 23 hours.",
      retryAfter: 23 * 3600,
    });
    expect(refused.headers["Retry-After"]).toBe(String(23 * 3600));
    expect(limitHeaders(refused)).toEqual({ limit: "3", remaining: "0", reset: String(lockedAt + 24 * 3600) });

    const bob = await signUpUser(services);
    expect((await add(bob, "Target+other@example.com")).statusCode).toBe(429);
    expect(services.mailbox.to("target+other@example.com")).toEqual([]);

    clock.advance(23 * 3600 - 1);
    expect((await send(alice, emailId)).statusCode).toBe(429);
    clock.advance(1);
    expect((await send(alice, emailId)).statusCode).toBe(200);
  });

  it("does not lock after kills spread over more than 24 hours", async () => {
    const added = await add(alice, "slow@example.com");
    const emailId = String(added.body.emailId);
    await killCode(alice, emailId, "slow@example.com");
    clock.advance(13 * 3600);
    expect((await send(alice, emailId)).statusCode).toBe(200);
    await killCode(alice, emailId, "slow@example.com");
    clock.advance(13 * 3600);
    expect((await send(alice, emailId)).statusCode).toBe(200);
    await killCode(alice, emailId, "slow@example.com");
    clock.advance(3600);
    expect((await send(alice, emailId)).statusCode).toBe(200);
  });
});
