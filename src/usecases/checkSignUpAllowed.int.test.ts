import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addUnverifiedEmail } from "../../test/support/unverifiedEmail.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { checkSignUpAllowed } from "./checkSignUpAllowed.js";

describe("checkSignUpAllowed", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("allows a free address", async () => {
    expect(await checkSignUpAllowed(services)({ email: "free@example.com" })).toBe(true);
  });

  it("refuses an address another account has verified, in any case", async () => {
    await signUpUser(services, "owned@example.com");
    expect(await checkSignUpAllowed(services)({ email: " Owned@EXAMPLE.com" })).toBe(false);
  });

  it("allows an address another account holds unverified", async () => {
    const { userId } = await signUpUser(services);
    await addUnverifiedEmail(services, userId, "pending@example.com", Math.floor(Date.now() / 1000) + 3600);
    expect(await checkSignUpAllowed(services)({ email: "pending@example.com", userId: randomUUID() })).toBe(true);
  });
});
