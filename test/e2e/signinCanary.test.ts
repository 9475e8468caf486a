import { beforeAll, describe, expect, it } from "vitest";
import { checkSignIn, type SignInCheckSettings } from "../../canary/signinCanary.cjs";
import { apiUrl, deployed, localConfig, registerUser, type SignedInUser } from "./stack.js";

/**
 * The synthetic canary's check (canary/signinCanary.cjs, run by CloudWatch Synthetics every 5
 * minutes) against the local stack: the same code, with the local Cognito and gateway in place of
 * the stage's endpoints. Locally only: it registers a user.
 */
describe.skipIf(deployed)("the sign-in canary's check", () => {
  let user: SignedInUser;
  let settings: SignInCheckSettings;

  beforeAll(async () => {
    user = await registerUser();
    const config = await localConfig();
    settings = { cognitoEndpoint: config.cognitoEndpoint, clientId: config.clientId, apiBaseUrl: apiUrl(), email: user.email, password: user.password };
  });

  it("passes when the user signs in and GET /users/me answers 200 with the user's own profile", async () => {
    await expect(checkSignIn(fetch, settings)).resolves.toEqual({ userId: user.userId, status: 200, userStatus: "active" });
  });

  it("fails on a non-200 from the API", async () => {
    // The stack serves the routes at the root; AWS serves them under the domain's /v1 only.
    await expect(checkSignIn(fetch, { ...settings, apiBaseUrl: `${apiUrl()}/v2` })).rejects.toThrow(/^GET \/users\/me: (?!200)\d{3} /);
  });

  it("fails when the sign-in fails, naming Cognito's error type and not the password", async () => {
    const failure = checkSignIn(fetch, { ...settings, password: "Wrong-Horse-9" });
    await expect(failure).rejects.toThrow("sign-in: Cognito answered 400 NotAuthorizedException");
    await expect(failure).rejects.not.toThrow(/Wrong-Horse/);
  });

  it("fails before any call when a setting is missing (e.g. the password parameter is empty)", async () => {
    await expect(checkSignIn(fetch, { ...settings, password: "" })).rejects.toThrow("canary settings: password is empty");
  });
});
