import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { api, cognitoClient, deployed, localConfig, mailbox, registerUser, signIn, uniqueEmail } from "./stack.js";

describe.skipIf(deployed)("registration through the local Cognito and the API", () => {
  it("signs up, confirms with the mailed code, signs in and finds the profile the trigger created", async () => {
    const email = uniqueEmail("signup");
    const user = await registerUser(email);

    const [code] = await mailbox(email);
    expect(code).toMatchObject({ to: email, subject: "Your verification code", code: expect.stringMatching(/^\d{6}$/) });

    const me = await api("GET", "/users/me", { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: user.userId, email, status: "active", version: 1 });
    expect(me.headers.get("etag")).toBeTruthy();

    const emails = await api<{ emails: { email: string; isPrimary: boolean; isVerified: boolean }[] }>("GET", "/users/me/emails", {
      token: user.accessToken,
    });
    expect(emails.status).toBe(200);
    expect(emails.body.emails).toEqual([expect.objectContaining({ email, isPrimary: true, isVerified: true })]);
  });

  it.each([
    ["Short-Pass1", "Password not long enough"],
    ["no-upper-case-1", "Password must have uppercase characters"],
    ["NoSymbolsInHere1", "Password must have symbol characters"],
  ])("refuses the password %s as Cognito does (InvalidPasswordException)", async (password, reason) => {
    const config = await localConfig();
    const client = await cognitoClient();
    const email = uniqueEmail("weak");
    await expect(client.send(new SignUpCommand({ ClientId: config.clientId, Username: email, Password: password }))).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: `Password did not conform with policy: ${reason}`,
    });
    client.destroy();
    expect(await mailbox(email)).toEqual([]);
  });

  it("answers a wrong password with Cognito's NotAuthorizedException", async () => {
    const user = await registerUser();
    await expect(signIn(user.email, "Wrong-Password-1")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });
});
