import { beforeEach, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addUnverifiedEmail } from "../../test/support/unverifiedEmail.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { adminFindUserByEmail } from "./adminFindUserByEmail.js";

describe("adminFindUserByEmail", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("finds the holder of a primary address, whatever its case and spacing", async () => {
    const { userId } = await signUpUser(services, "find.me@example.com");
    await signUpUser(services, "someone.else@example.com");
    const found = await adminFindUserByEmail(services)("  FIND.me@Example.com ");
    expect(found.profile.userId).toBe(userId);
    expect(found.emails.map((e) => e.email)).toEqual(["find.me@example.com"]);
  });

  it("finds the holder of an unverified secondary address", async () => {
    const { userId } = await signUpUser(services);
    await addUnverifiedEmail(services, userId, "secondary@example.com", Math.floor(Date.now() / 1000) + 3600);
    expect((await adminFindUserByEmail(services)("secondary@example.com")).profile.userId).toBe(userId);
  });
});
