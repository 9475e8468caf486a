import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  GetUserAttributeVerificationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal } from "../../local/cognito/cognitoLocal.js";
import { CLIENT_SETTINGS } from "../../local/cognito/poolSettings.js";
import { freePort } from "../../local/freePort.js";
import { MemoryMailbox } from "../../src/adapters/mailer/memoryMailbox.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";

const PASSWORD = "Correct-Horse-1";

/** What Cognito answers when an app client sends an attribute outside its WriteAttributes. */
const UNAUTHORIZED_ATTRIBUTE = {
  name: "NotAuthorizedException",
  message: "A client attempted to write unauthorized attribute",
};

const attributeOf = (attributes: { Name?: string; Value?: string }[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

/**
 * The local pool's app client may not write `email` (nor anything else the service owns), as
 * Terraform's client: a user holding an access token cannot change their sign-in address behind
 * the service, and sign-up still works because the address travels as the username.
 */
describe("local Cognito enforces the app client's write attributes", () => {
  let cognito: TestCognito;
  let userId: string;
  let accessToken: string;
  const email = "owner@example.com";

  beforeAll(async () => {
    cognito = await startTestCognito();
    userId = await cognito.createConfirmedUser(email, PASSWORD);
    accessToken = (await cognito.signIn(email, PASSWORD)).AuthenticationResult?.AccessToken ?? "";
  });
  afterAll(() => cognito?.stop());

  it("refuses UpdateUserAttributes with email from the user's own access token, and the address stays", async () => {
    await expect(
      cognito.client.send(
        new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: "email", Value: "taken@example.com" }] }),
      ),
    ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    const user = await cognito.getUser(userId);
    expect(attributeOf(user.UserAttributes, "email")).toBe(email);
  });

  it("refuses the other attributes the service owns: email_verified, names, phone", async () => {
    for (const Name of ["email_verified", "given_name", "family_name", "name", "phone_number"]) {
      await expect(
        cognito.client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name, Value: "x" }] })),
        Name,
      ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    }
  });

  it("still lets the user write an attribute the client may write", async () => {
    await cognito.client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: "locale", Value: "de" }] }));
    expect(attributeOf((await cognito.getUser(userId)).UserAttributes, "locale")).toBe("de");
  });

  it("refuses to send or confirm a verification code for email", async () => {
    await expect(
      cognito.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: "email" })),
    ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    await expect(
      cognito.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: "email", Code: "123456" })),
    ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
  });

  it("signs up without an email attribute: the username becomes the user's email", async () => {
    const signUp = await cognito.client.send(
      new SignUpCommand({ ClientId: cognito.clientId, Username: "newcomer@example.com", Password: PASSWORD }),
    );
    const user = await cognito.getUser(signUp.UserSub ?? "");
    expect(attributeOf(user.UserAttributes, "email")).toBe("newcomer@example.com");
    expect(attributeOf(user.UserAttributes, "sub")).toBe(signUp.UserSub);
  });

  it("refuses a sign-up that sends email as an attribute, and creates no user", async () => {
    const address = "attribute-sender@example.com";
    await expect(
      cognito.client.send(
        new SignUpCommand({
          ClientId: cognito.clientId,
          Username: address,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: address }],
        }),
      ),
    ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    // The address is still free: the refused call left nothing behind.
    await expect(cognito.client.send(new SignUpCommand({ ClientId: cognito.clientId, Username: address, Password: PASSWORD }))).resolves.toMatchObject({
      UserConfirmed: false,
    });
  });
});

describe("a kept local data folder", () => {
  it("gets the client's attribute permissions on the next start, whatever they were", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cognito-attributes-"));
    const start = async () =>
      startCognitoLocal({ port: await freePort(), dataDir, mailer: new MemoryMailbox(), region: "us-east-1" });
    const describeClient = async (endpoint: string, userPoolId: string, clientId: string, change?: string[]) => {
      const client = new CognitoIdentityProviderClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } });
      try {
        if (change) await client.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId, WriteAttributes: change }));
        return (await client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))).UserPoolClient;
      } finally {
        client.destroy();
      }
    };
    try {
      const first = await start();
      // A client as an older version of the stack left it: permissions other than Terraform's.
      await describeClient(first.endpoint, first.userPoolId, first.clientId, ["email", "locale"]);
      await first.stop();

      const second = await start();
      const client = await describeClient(second.endpoint, second.userPoolId, second.clientId);
      await second.stop();
      expect(second.clientId).toBe(first.clientId);
      expect(client?.WriteAttributes).toEqual(CLIENT_SETTINGS.WriteAttributes);
      expect(client?.ReadAttributes).toEqual(CLIENT_SETTINGS.ReadAttributes);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
