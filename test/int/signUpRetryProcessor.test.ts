import { randomUUID } from "node:crypto";
import type { SQSRecord } from "aws-lambda";
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { handler } from "../../src/handlers/jobs/signUpRetryProcessor.js";
import type { SignUpJob } from "../../src/ports/jobQueue.js";
import { lambdaContext } from "../support/apiEvent.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { outboxEvents, readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/fixtures.js";

function sqsRecord(body: SignUpJob | string): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: "handle",
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "sender",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "md5",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:test-sign-up-retry",
    awsRegion: "us-east-1",
  };
}

const PASSWORD = "Correct-Horse-1";

describe("sign-up retry processor (SQS)", () => {
  let cognito: TestCognito;
  let services: TestServices;
  beforeAll(async () => {
    cognito = await startTestCognito();
  });
  afterAll(() => cognito?.stop());
  beforeEach(async () => {
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
  });
  /** A user confirmed in the pool, and the job the PostConfirmation trigger would have queued. */
  const confirmedJob = async (email: string, correlationId = "c"): Promise<SignUpJob> => ({
    userId: await cognito.createConfirmedUser(email, PASSWORD),
    email,
    correlationId,
  });
  const run = (...jobs: (SignUpJob | string)[]) => {
    const records = jobs.map(sqsRecord);
    return handler({ Records: records }, lambdaContext("signUpRetryProcessor")).then((result) => ({
      records,
      failed: result.batchItemFailures.map((f) => f.itemIdentifier).sort(),
    }));
  };

  it("writes queued sign-ups and reports only the failing records", async () => {
    await signUpUser(services, "already.verified@example.com");
    const good = await confirmedJob(`Queued-${randomUUID()}@Example.com`, "corr-queued");
    const { records, failed } = await run(
      good,
      await confirmedJob("already.verified@example.com"),
      "not json",
      JSON.stringify({ userId: "", email: "x@example.com" }),
    );

    expect(failed).toEqual(records.slice(1).map((r) => r.messageId).sort());
    expect(await readItem(services, keys.profile(good.userId))).toMatchObject({
      email: good.email.toLowerCase(),
      status: "active",
    });
    const created = (await outboxEvents(services)).filter((e) => e.detail.userId === good.userId);
    expect(created.map((e) => [e.detailType, (e.detail.metadata as { correlationId: string }).correlationId])).toEqual([
      ["user.created", "corr-queued"],
    ]);
  });

  it("treats a redelivered job whose profile exists as done", async () => {
    const job = await confirmedJob(`redelivered-${randomUUID()}@example.com`);
    expect((await run(job)).failed).toEqual([]);
    expect((await run(job)).failed).toEqual([]);
    expect(await outboxEvents(services)).toHaveLength(1);
  });

  describe("re-reads the user from the pool before writing a verified claim", () => {
    it.each([
      ["a sub the pool does not know", async () => ({ userId: randomUUID(), email: `forged-${randomUUID()}@example.com`, correlationId: "c" })],
      [
        "another address than the pool's",
        async () => ({ ...(await confirmedJob(`real-${randomUUID()}@example.com`)), email: `victim-${randomUUID()}@example.com` }),
      ],
      [
        "a user who never confirmed",
        async () => {
          const email = `unconfirmed-${randomUUID()}@example.com`;
          const signUp = await cognito.client.send(new SignUpCommand({ ClientId: cognito.clientId, Username: email, Password: PASSWORD }));
          return { userId: signUp.UserSub ?? "", email, correlationId: "c" };
        },
      ],
    ])("%s: the job fails and nothing is written", async (_label, makeJob) => {
      const job = await makeJob();
      const { records, failed } = await run(job);
      expect(failed).toEqual([records[0]!.messageId]);
      expect(await readItem(services, keys.profile(job.userId))).toBeUndefined();
      expect(await readItem(services, keys.emailClaim(job.email.toLowerCase()))).toBeUndefined();
      expect(await outboxEvents(services)).toHaveLength(0);
    });
  });
});
