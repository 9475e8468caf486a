import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
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
import { freePort } from "../../local/server/freePort.js";
import { SesTestMailbox } from "../support/sesMailbox.js";
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
 * The local pool's app client, as Terraform's, may write `email` only (Cognito makes every client
 * able to write each attribute the pool requires, and the pool requires `email`), and nothing else
 * the service owns. A user's own change of `email` stays pending until its code is confirmed.
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

  it("refuses the attributes the service owns besides email: email_verified, names, phone", async () => {
    for (const Name of ["email_verified", "given_name", "family_name", "name", "phone_number", "locale"]) {
      await expect(
        cognito.client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name, Value: "x" }] })),
        Name,
      ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    }
  });

  it("keeps a user's own email change pending: the sign-in address stays until the code is confirmed", async () => {
    await cognito.client.send(
      new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: "email", Value: "elsewhere@example.com" }] }),
    );
    const user = await cognito.getUser(userId);
    expect(attributeOf(user.UserAttributes, "email")).toBe(email);
    expect((await cognito.signIn(email, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("refuses to verify an attribute the client may not write", async () => {
    await expect(
      cognito.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: "phone_number" })),
    ).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    await expect(
      cognito.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: "phone_number", Code: "123456" })),
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

  it("refuses a sign-up whose email attribute is not the username, and one sending an attribute the client may not write", async () => {
    const address = "attribute-sender@example.com";
    const signUp = (UserAttributes: { Name: string; Value: string }[]) =>
      cognito.client.send(new SignUpCommand({ ClientId: cognito.clientId, Username: address, Password: PASSWORD, UserAttributes }));
    await expect(signUp([{ Name: "email", Value: "someone-else@example.com" }])).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "User email should be empty or same as username, since username attribute is email",
    });
    await expect(signUp([{ Name: "given_name", Value: "Ann" }])).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    await expect(signUp([{ Name: "email_verified", Value: "true" }])).rejects.toMatchObject(UNAUTHORIZED_ATTRIBUTE);
    // The address is still free: the refused calls left nothing behind.
    await expect(signUp([{ Name: "email", Value: address }])).resolves.toMatchObject({ UserConfirmed: false });
  });

  it("refuses an app client that may not write a required attribute, or may write email_verified, as Cognito does", async () => {
    const create = (WriteAttributes: string[]) =>
      cognito.client.send(new CreateUserPoolClientCommand({ UserPoolId: cognito.userPoolId, ClientName: "other", WriteAttributes }));
    for (const write of [["locale"], ["email", "email_verified"]]) {
      await expect(create(write), write.join()).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: "Invalid write attributes specified while creating a client",
      });
    }
    await expect(create(CLIENT_SETTINGS.WriteAttributes)).resolves.toBeDefined();
  });
});

describe("a kept local data folder", () => {
  it("gets the client's attribute permissions on the next start, whatever they were", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cognito-attributes-"));
    const start = async () =>
      startCognitoLocal({ port: await freePort(), dataDir, mailer: await SesTestMailbox.create(), region: "us-east-1" });
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
      await describeClient(first.endpoint, first.userPoolId, first.clientId, ["email", "locale", "given_name"]);
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
