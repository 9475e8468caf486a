import { beforeEach, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { getProfile } from "./getProfile.js";

describe("getProfile", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("returns the stored profile without table keys or counters", async () => {
    const { userId, email } = await signUpUser(services);
    const profile = await getProfile(services)(userId);
    expect(profile).toMatchObject({ userId, email, status: "active", version: 1 });
    expect(Object.keys(profile).sort()).toEqual(["createdAt", "email", "status", "updatedAt", "userId", "version"]);
  });
});
