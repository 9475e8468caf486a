import { randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { handler } from "../../src/handlers/jobs/signUpRetryProcessor.js";
import type { SignUpJob } from "../../src/ports/jobQueue.js";
import { lambdaContext } from "../support/apiEvent.js";
import { outboxEvents, readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/users.js";

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

describe("sign-up retry processor (SQS)", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("writes queued sign-ups and reports only the failing records", async () => {
    await signUpUser(services, "already.verified@example.com");
    const good = { userId: randomUUID(), email: "Queued@Example.com", correlationId: "corr-queued" };
    const records = [
      sqsRecord(good),
      sqsRecord({ userId: randomUUID(), email: "already.verified@example.com", correlationId: "c" }),
      sqsRecord("not json"),
      sqsRecord(JSON.stringify({ userId: "", email: "x@example.com" })),
    ];
    const event: SQSEvent = { Records: records };

    const result = await handler(event, lambdaContext("signUpRetryProcessor"));

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      records.slice(1).map((r) => r.messageId).sort(),
    );
    expect(await readItem(services, keys.profile(good.userId))).toMatchObject({ email: "queued@example.com", status: "active" });
    const created = (await outboxEvents(services)).filter((e) => e.detail.userId === good.userId);
    expect(created.map((e) => [e.detailType, (e.detail.metadata as { correlationId: string }).correlationId])).toEqual([
      ["user.created", "corr-queued"],
    ]);
  });

  it("treats a redelivered job whose profile exists as done", async () => {
    const job = { userId: randomUUID(), email: "redelivered@example.com", correlationId: "c" };
    const first = await handler({ Records: [sqsRecord(job)] }, lambdaContext());
    const again = await handler({ Records: [sqsRecord(job)] }, lambdaContext());
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(await outboxEvents(services)).toHaveLength(1);
  });
});
