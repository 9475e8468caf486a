import { beforeEach, describe, expect, it } from "vitest";
import { addedEmail, emailRoutes, emailTestBed, ManualClock, signUpUser, verifiedEmail, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
});

describe("GET /users/me/emails", () => {
  it("lists the caller's addresses, primary first, then oldest first", async () => {
    clock.advance(10);
    const second = await verifiedEmail(services, alice, "second@example.com");
    clock.advance(10);
    const third = await addedEmail(services, alice, "third@example.com");
    await signUpUser(services, "someone-else@example.com");

    const res = await emailRoutes(services).list<{ emails: unknown[] }>(alice);
    expect(res.statusCode).toBe(200);
    expect(res.body.emails).toEqual([
      expect.objectContaining({ emailId: alice.primaryEmailId, email: alice.email, isPrimary: true, isVerified: true }),
      { ...second, isPrimary: false },
      third.record,
    ]);
  });
});
