import { randomUUID } from "node:crypto";
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { handler as postConfirmation } from "../../src/handlers/cognito/postConfirmation.js";
import { handler as preSignUp } from "../../src/handlers/cognito/preSignUp.js";
import { handler as signUpRetryProcessor } from "../../src/handlers/jobs/signUpRetryProcessor.js";
import { SIGN_UP_GRACE_MS, SIGN_UP_MARKER_TTL_MS } from "../../src/usecases/markSignUpPending.js";
import { lambdaContext } from "../support/apiEvent.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/fixtures.js";

const PASSWORD = "Correct-Horse-1";

function trigger<T extends PreSignUpTriggerEvent | PostConfirmationTriggerEvent>(triggerSource: T["triggerSource"], userName: string, email: string): T {
  return {
    version: "1",
    region: "us-east-1",
    userPoolId: "us-east-1_test",
    userName,
    callerContext: { awsSdkVersion: "aws-sdk-js-3", clientId: "test-client" },
    triggerSource,
    // PreSignUp does not carry the sub; PostConfirmation does.
    request: { userAttributes: triggerSource.startsWith("PreSignUp") ? { email } : { sub: userName, email, email_verified: "true" } },
    response: {},
  } as unknown as T;
}

/** SPEC 14.2: PreSignUp leaves a pending marker; whichever path writes the profile removes it in that write. */
describe("pending sign-up markers through the triggers and the retry processor", () => {
  let cognito: TestCognito;
  let services: TestServices;
  const marker = (username: string) => readItem(services, keys.signUpMarker(username));

  beforeAll(async () => {
    cognito = await startTestCognito();
  });
  afterAll(() => cognito?.stop());
  beforeEach(async () => {
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
  });

  it("PreSignUp leaves a marker naming only the username, due after the grace period, with a TTL", async () => {
    const username = randomUUID();
    const before = Date.now();
    await preSignUp(trigger<PreSignUpTriggerEvent>("PreSignUp_SignUp", username, "new@example.com"), lambdaContext("preSignUp"));

    const item = await marker(username);
    expect(Object.keys(item ?? {}).sort()).toEqual(["GSI2PK", "GSI2SK", "PK", "SK", "expiresAt"]);
    const dueAt = new Date(String(item?.GSI2SK).split("#")[0] ?? "").getTime();
    expect(dueAt).toBeGreaterThanOrEqual(before + SIGN_UP_GRACE_MS);
    expect(Number(item?.expiresAt)).toBeGreaterThanOrEqual(Math.floor((before + SIGN_UP_MARKER_TTL_MS) / 1000));
    expect(JSON.stringify(item)).not.toContain("new@example.com");
  });

  it("a refused sign-up leaves no marker", async () => {
    await signUpUser(services, "taken@example.com");
    const username = randomUUID();
    await expect(
      preSignUp(trigger<PreSignUpTriggerEvent>("PreSignUp_SignUp", username, "taken@example.com"), lambdaContext("preSignUp")),
    ).rejects.toThrow();
    expect(await marker(username)).toBeUndefined();
  });

  it("PostConfirmation removes the marker in the transaction that writes the profile", async () => {
    const username = randomUUID();
    const email = `confirmed-${username}@example.com`;
    await preSignUp(trigger<PreSignUpTriggerEvent>("PreSignUp_SignUp", username, email), lambdaContext("preSignUp"));
    expect(await marker(username)).toBeDefined();

    await postConfirmation(trigger<PostConfirmationTriggerEvent>("PostConfirmation_ConfirmSignUp", username, email), lambdaContext("postConfirmation"));

    expect(await services.profiles.get(username)).toMatchObject({ userId: username, email });
    expect(await marker(username)).toBeUndefined();
  });

  it("the sign-up retry processor removes it too", async () => {
    const email = `queued-${randomUUID()}@example.com`;
    const userId = await cognito.createConfirmedUser(email, PASSWORD);
    await preSignUp(trigger<PreSignUpTriggerEvent>("PreSignUp_SignUp", userId, email), lambdaContext("preSignUp"));
    const record = {
      messageId: randomUUID(),
      body: JSON.stringify({ userId, email, correlationId: "queued", username: userId }),
    } as SQSRecord;

    const result = await signUpRetryProcessor({ Records: [record] }, lambdaContext("signUpRetryProcessor"));

    expect(result.batchItemFailures).toEqual([]);
    expect(await services.profiles.get(userId)).toMatchObject({ userId });
    expect(await marker(userId)).toBeUndefined();
  });
});
