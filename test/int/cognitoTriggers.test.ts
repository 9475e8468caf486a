import { randomUUID } from "node:crypto";
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSqsServer, type LocalSqs } from "../../local/sqs/sqsServer.js";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { createPostConfirmationHandler, handler as postConfirmation } from "../../src/handlers/cognito/postConfirmation.js";
import { handler as preSignUp, SIGN_UP_REFUSED_MESSAGE } from "../../src/handlers/cognito/preSignUp.js";
import type { SignUpJob } from "../../src/ports/jobQueue.js";
import { lambdaContext } from "../support/apiEvent.js";
import { outboxEvents, parseEvent, readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { addUnverifiedEmail } from "../support/unverifiedEmail.js";
import { signUpUser } from "../support/fixtures.js";

/**
 * The sign-up retry queue is the composition's own SQS adapter on a local SQS server started for
 * this file: jobs are read back with ReceiveMessage, and a queue that does not exist there is a
 * failure SQS itself answers.
 */
const RETRY_QUEUE = "test-user-service-signup-retry";
let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: RETRY_QUEUE }] });
});
afterAll(() => sqs.stop());

/** A graph whose every DynamoDB write fails (a table that does not exist) and whose retry queue is `queueUrl`. */
const failingTableServices = (queueUrl: string) =>
  createTestServices({}, { tableName: `missing-${randomUUID()}`, sqsEndpoint: sqs.endpoint, signUpRetryQueueUrl: queueUrl });

function cognitoEvent<T extends PostConfirmationTriggerEvent | PreSignUpTriggerEvent>(
  triggerSource: T["triggerSource"],
  attributes: Record<string, string>,
): T {
  return {
    version: "1",
    region: "us-east-1",
    userPoolId: "us-east-1_test",
    userName: attributes.sub ?? randomUUID(),
    callerContext: { awsSdkVersion: "aws-sdk-js-3", clientId: "test-client" },
    triggerSource,
    request: { userAttributes: attributes },
    response: {},
  } as T;
}

const confirmSignUp = (sub: string, email: string) =>
  cognitoEvent<PostConfirmationTriggerEvent>("PostConfirmation_ConfirmSignUp", {
    sub,
    email,
    email_verified: "true",
    "cognito:user_status": "CONFIRMED",
  });

describe("Cognito PostConfirmation trigger", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("creates profile, primary email, claim and user.created in one go; a replay changes nothing", async () => {
    const sub = randomUUID();
    const event = confirmSignUp(sub, "Fresh.User@Example.com");
    const context = lambdaContext("postConfirmation");
    expect(await postConfirmation(event, context)).toEqual(event);

    expect(await readItem(services, keys.profile(sub))).toMatchObject({
      userId: sub,
      email: "fresh.user@example.com",
      status: "active",
      emailCount: 1,
    });
    const { emails } = (await services.profiles.getWithEmails(sub))!;
    expect(emails).toEqual([expect.objectContaining({ email: "fresh.user@example.com", isPrimary: true, isVerified: true })]);
    expect(await readItem(services, keys.emailClaim("fresh.user@example.com"))).toMatchObject({ userId: sub, verified: true });
    const events = await outboxEvents(services);
    expect(events).toHaveLength(1);
    expect(parseEvent("user.created", events[0]!)).toMatchObject({
      userId: sub,
      email: "fresh.user@example.com",
      metadata: { correlationId: context.awsRequestId },
    });

    const profileBefore = await readItem(services, keys.profile(sub));
    expect(await postConfirmation(event, lambdaContext("postConfirmation"))).toEqual(event);
    expect(await readItem(services, keys.profile(sub))).toEqual(profileBefore);
    expect(await outboxEvents(services)).toHaveLength(1);
  });

  it("does nothing for a forgotten-password confirmation", async () => {
    const sub = randomUUID();
    const event = cognitoEvent<PostConfirmationTriggerEvent>("PostConfirmation_ConfirmForgotPassword", {
      sub,
      email: "forgot@example.com",
    });
    expect(await postConfirmation(event, lambdaContext())).toEqual(event);
    expect(await readItem(services, keys.profile(sub))).toBeUndefined();
    expect(await outboxEvents(services)).toHaveLength(0);
  });

  it("takes over an expired unverified claim of another account", async () => {
    const holder = await signUpUser(services);
    const stale = await addUnverifiedEmail(services, holder.userId, "wanted@example.com", Math.floor(Date.now() / 1000) - 1);
    const sub = randomUUID();
    await postConfirmation(confirmSignUp(sub, "wanted@example.com"), lambdaContext());

    expect(await readItem(services, keys.emailClaim("wanted@example.com"))).toMatchObject({ userId: sub, verified: true });
    expect(await readItem(services, keys.email(holder.userId, stale.emailId))).toBeUndefined();
    expect(await readItem(services, keys.profile(holder.userId))).toMatchObject({ emailCount: 1 });
    const removed = (await outboxEvents(services)).filter((e) => e.detailType === "email.removed");
    expect(removed.map((e) => parseEvent("email.removed", e))).toEqual([
      expect.objectContaining({ userId: holder.userId, emailId: stale.emailId, email: "wanted@example.com" }),
    ]);
  });

  it("retries with backoff against a real DynamoDB failure, then queues the job and still returns the event", async () => {
    // A table that does not exist: every write fails inside DynamoDB Local itself.
    services = await failingTableServices(sqs.queueUrl(RETRY_QUEUE));
    const sleeps: number[] = [];
    const handler = createPostConfirmationHandler({ sleep: async (ms) => void sleeps.push(ms) });
    const sub = randomUUID();
    const event = confirmSignUp(sub, "Unlucky@Example.com");
    const context = lambdaContext("postConfirmation");

    expect(await handler(event, context)).toEqual(event);
    expect(sleeps).toEqual([100, 200, 400]);
    const jobs = (await sqs.browse(RETRY_QUEUE)).map((m) => JSON.parse(m.Body ?? "") as SignUpJob);
    expect(jobs).toEqual([{ userId: sub, email: "unlucky@example.com", correlationId: context.awsRequestId, username: sub }]);
  });

  it("never fails the confirmation, even when the queue is down too", async () => {
    services = await failingTableServices(sqs.queueUrl("no-such-queue"));
    // The queue really refuses: SQS answers that the queue does not exist.
    await expect(services.signUpRetryQueue.enqueue({ userId: "u", email: "e@example.com", correlationId: "c" })).rejects.toThrow(
      /queue does not exist/i,
    );
    const handler = createPostConfirmationHandler({ sleep: async () => undefined });
    const event = confirmSignUp(randomUUID(), "twice.unlucky@example.com");
    await expect(handler(event, lambdaContext())).resolves.toEqual(event);
  });
});

describe("Cognito PreSignUp trigger", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  const signUp = (email: string) =>
    preSignUp(cognitoEvent<PreSignUpTriggerEvent>("PreSignUp_SignUp", { email }), lambdaContext("preSignUp"));

  it("allows a free address and returns the event", async () => {
    const event = cognitoEvent<PreSignUpTriggerEvent>("PreSignUp_SignUp", { email: "free@example.com" });
    expect(await preSignUp(event, lambdaContext())).toEqual(event);
  });

  it("refuses an address another account has verified, with the neutral message", async () => {
    await signUpUser(services, "verified.elsewhere@example.com");
    await expect(signUp("Verified.Elsewhere@example.com")).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
  });

  it("allows an address another account holds unverified", async () => {
    const holder = await signUpUser(services);
    await addUnverifiedEmail(services, holder.userId, "pending@example.com", Math.floor(Date.now() / 1000) + 3600);
    await expect(signUp("pending@example.com")).resolves.toMatchObject({ triggerSource: "PreSignUp_SignUp" });
  });
});
