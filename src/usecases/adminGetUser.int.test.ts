import { beforeEach, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addUnverifiedEmail } from "../../test/support/unverifiedEmail.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { adminGetUser } from "./adminGetUser.js";

describe("adminGetUser", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("returns the profile and the emails, primary first, without table keys or counters", async () => {
    const { userId, email } = await signUpUser(services);
    await addUnverifiedEmail(services, userId, "second@example.com", Math.floor(Date.now() / 1000) + 3600);
    const { profile, emails } = await adminGetUser(services)(userId);
    expect(profile).toMatchObject({ userId, email, status: "active" });
    expect(profile).not.toHaveProperty("emailCount");
    expect(emails.map((e) => [e.email, e.isPrimary, e.isVerified])).toEqual([
      [email, true, true],
      ["second@example.com", false, false],
    ]);
    expect(emails[0]).not.toHaveProperty("PK");
  });
});
