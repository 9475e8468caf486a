import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCognito, startUpstreamCognitoLocal, type TestCognito } from "../../../test/support/cognito.js";
import type { UserDirectory } from "../../ports/userDirectory.js";
import { createCognitoUserDirectory } from "./cognitoUserDirectory.js";

const PASSWORD = "Correct-Horse-1";
const attribute = (user: Awaited<ReturnType<TestCognito["getUser"]>>, name: string) =>
  user.UserAttributes?.find((a) => a.Name === name)?.Value;

describe("Cognito user directory against cognito-local", () => {
  let cognito: TestCognito;
  let directory: UserDirectory;

  beforeAll(async () => {
    cognito = await startTestCognito();
    directory = createCognitoUserDirectory({
      region: "us-east-1",
      userPoolId: cognito.userPoolId,
      cognitoEndpoint: cognito.endpoint,
    });
  });
  afterAll(() => cognito?.stop());

  it("addresses users by sub, which is also their generated username", async () => {
    const userId = await cognito.createConfirmedUser("by-sub@example.com", PASSWORD);
    const user = await cognito.getUser(userId);
    expect(user.Username).toBe(userId);
    expect(attribute(user, "sub")).toBe(userId);
  });

  it("setEmail makes the new address the verified sign-in name, and the old one stops working", async () => {
    const userId = await cognito.createConfirmedUser("old-name@example.com", PASSWORD);
    await directory.setEmail(userId, "new-name@example.com");
    await directory.setEmail(userId, "new-name@example.com");

    const user = await cognito.getUser(userId);
    expect(attribute(user, "email")).toBe("new-name@example.com");
    expect(attribute(user, "email_verified")).toBe("true");
    const signedIn = await cognito.signIn("new-name@example.com", PASSWORD);
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(cognito.signIn("old-name@example.com", PASSWORD)).rejects.toBeInstanceOf(NotAuthorizedException);
  });

  it("disableAndSignOut blocks sign-in and revokes refresh tokens; enable restores sign-in", async () => {
    const userId = await cognito.createConfirmedUser("disable-me@example.com", PASSWORD);
    const session = await cognito.signIn("disable-me@example.com", PASSWORD);
    const refreshToken = session.AuthenticationResult?.RefreshToken ?? "";
    const refresh = () =>
      cognito.client.send(
        new InitiateAuthCommand({
          ClientId: cognito.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
    expect((await refresh()).AuthenticationResult?.AccessToken).toBeTruthy();

    await directory.disableAndSignOut(userId);
    await directory.disableAndSignOut(userId);

    expect((await cognito.getUser(userId)).Enabled).toBe(false);
    await expect(cognito.signIn("disable-me@example.com", PASSWORD)).rejects.toThrow("User is disabled.");

    await directory.enable(userId);
    await directory.enable(userId);
    expect((await cognito.getUser(userId)).Enabled).toBe(true);
    expect((await cognito.signIn("disable-me@example.com", PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
    // The global sign-out revoked the session from before: its refresh token no longer works.
    await expect(refresh()).rejects.toBeInstanceOf(NotAuthorizedException);
  });

  it("disableAndSignOut of a user no longer in the pool is a no-op", async () => {
    await expect(directory.disableAndSignOut("00000000-0000-4000-8000-000000000000")).resolves.toBeUndefined();
  });
});

describe("Cognito user directory against upstream cognito-local, which lacks AdminUserGlobalSignOut", () => {
  let upstream: Awaited<ReturnType<typeof startUpstreamCognitoLocal>>;
  beforeAll(async () => {
    upstream = await startUpstreamCognitoLocal();
  });
  afterAll(() => upstream?.stop());

  it("still disables the user: locally the missing sign-out is logged, not fatal", async () => {
    const client = new CognitoIdentityProviderClient({
      endpoint: upstream.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: "upstream", UsernameAttributes: ["email"] }));
    const UserPoolId = pool.UserPool?.Id ?? "";
    const created = await client.send(new AdminCreateUserCommand({ UserPoolId, Username: "plain@example.com", MessageAction: "SUPPRESS" }));
    const userId = created.User?.Attributes?.find((a) => a.Name === "sub")?.Value ?? "";
    await expect(
      client.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: userId })),
    ).rejects.toThrow(/unsupported/i);

    const directory = createCognitoUserDirectory({ region: "us-east-1", userPoolId: UserPoolId, cognitoEndpoint: upstream.endpoint });
    await directory.disableAndSignOut(userId);

    expect((await client.send(new AdminGetUserCommand({ UserPoolId, Username: userId }))).Enabled).toBe(false);
    client.destroy();
  });
});
