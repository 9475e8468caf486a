import { randomUUID } from "node:crypto";
import type { EventBridgeEvent } from "aws-lambda";
import { AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { handler } from "../handlers/events/cognitoSelfService.js";
import { cloudTrailEntry } from "../../local/cognito/cloudTrail.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { startTestCognito, type TestCognito } from "../../test/support/cognito.js";
import { createTestServices, setServices, type TestServices } from "../../test/support/testServices.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";
import { answerCognitoSelfService } from "./answerCognitoSelfService.js";

type CloudTrailEvent = EventBridgeEvent<"AWS API Call via CloudTrail", Record<string, unknown>>;

/** The record of a user's own call as the default bus's rule target receives it. */
function callRecord(eventName: string, sub: string, change: Record<string, unknown> = {}): CloudTrailEvent {
  const entry = cloudTrailEntry({ eventName, sub });
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.cognito-idp",
    account: "123456789012",
    time: new Date().toISOString(),
    region: "us-east-1",
    resources: [],
    detail: { ...(JSON.parse(entry.detail) as Record<string, unknown>), ...change },
  };
}

const lambdaContext = {} as Parameters<typeof handler>[1];

describe("answerCognitoSelfService: a user's own Cognito DeleteUser deletes the account", () => {
  let services: TestServices;
  let userId: string;
  beforeEach(async () => {
    services = await createTestServices();
    ({ userId } = await signUpUser(services));
    setServices(services);
  });

  it("marks the profile deleted and writes one user.deleted, correlated with the CloudTrail record", async () => {
    const event = callRecord("DeleteUser", userId);

    const outcome = await handler(event, lambdaContext);

    expect(outcome).toMatchObject({ action: "deleted", userId });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "deleted", deletedAt: expect.any(String) });
    const deletions = (await outboxEvents(services)).filter((e) => e.detailType === "user.deleted");
    expect(deletions).toHaveLength(1);
    expect(parseEvent("user.deleted", deletions[0]!)).toMatchObject({ userId, metadata: { correlationId: event.detail.eventID } });
  });

  it("is idempotent: the record delivered twice deletes once", async () => {
    const event = callRecord("DeleteUser", userId);
    await handler(event, lambdaContext);
    const stored = await readItem(services, keys.profile(userId));

    await handler(event, lambdaContext);

    expect(await readItem(services, keys.profile(userId))).toEqual(stored);
    expect((await outboxEvents(services)).filter((e) => e.detailType === "user.deleted")).toHaveLength(1);
  });

  it("ignores a call Cognito refused: the user still exists", async () => {
    const outcome = await answerCognitoSelfService(services)(
      callRecord("DeleteUser", userId, { errorCode: "NotAuthorizedException", errorMessage: "Access Token has been revoked" }),
    );
    expect(outcome).toEqual({ action: "skipped", userId, reason: "call-failed" });
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "active" });
  });

  it("skips a user it has no profile for (never confirmed, or another pool's)", async () => {
    const stranger = randomUUID();
    expect(await answerCognitoSelfService(services)(callRecord("DeleteUser", stranger))).toEqual({
      action: "skipped",
      userId: stranger,
      reason: "no-profile",
    });
    expect(await outboxEvents(services)).toHaveLength(1); // only the sign-up's user.created
  });

  it("fails on a record that names no user, so the target retries and dead-letters it for a person to read", async () => {
    await expect(handler(callRecord("DeleteUser", userId, { additionalEventData: {} }), lambdaContext)).rejects.toThrow();
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "active" });
  });
});

describe("answerCognitoSelfService: a user's own confirmed email change is undone", () => {
  let cognito: TestCognito;
  let services: TestServices;
  let userId: string;
  const primary = "keeper@example.com";
  const emailOf = async () => (await cognito.getUser(userId)).UserAttributes?.find((a) => a.Name === "email")?.Value;

  beforeAll(async () => {
    cognito = await startTestCognito();
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    userId = await cognito.createConfirmedUser(primary, "Correct-Horse-1");
    await createUserFromSignUp(services)({ userId, email: primary, correlationId: "signup" });
    setServices(services);
  });
  afterAll(() => cognito?.stop());

  it("puts the profile's primary back as the sign-in address after VerifyUserAttribute", async () => {
    // What the user's confirmed change left in the pool.
    await cognito.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: cognito.userPoolId,
        Username: userId,
        UserAttributes: [
          { Name: "email", Value: "elsewhere@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );

    const outcome = await handler(callRecord("VerifyUserAttribute", userId), lambdaContext);

    expect(outcome).toEqual({ action: "restoredEmail", userId });
    expect(await emailOf()).toBe(primary);
    expect(await readItem(services, keys.profile(userId))).toMatchObject({ status: "active", email: primary });
  });

  it("is idempotent, and ignores a verification Cognito refused", async () => {
    await handler(callRecord("VerifyUserAttribute", userId), lambdaContext);
    expect(await emailOf()).toBe(primary);
    expect(await answerCognitoSelfService(services)(callRecord("VerifyUserAttribute", userId, { errorCode: "CodeMismatchException" }))).toEqual({
      action: "skipped",
      userId,
      reason: "call-failed",
    });
  });
});
