import { createHash, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startSqsServer } from "../../../local/sqs/sqsServer.js";
import type { DeadLetter } from "../../ports/deadLetterQueue.js";
import { createSqsDeadLetterQueue, type DeadLetterMessage } from "./sqsDeadLetterQueue.js";
import { createSqsJobQueue } from "./sqsJobQueue.js";

interface BatchRequest {
  QueueUrl: string;
  Entries: { Id: string; MessageBody: string }[];
}

type Answer = (entry: BatchRequest["Entries"][number]) => "ok" | "refuse" | "omit";

/**
 * Answers SQS never gives on demand (entries listed as Failed, or left out of the answer), and the
 * requests themselves (how the adapter batches), which the local server does not show: a stub
 * speaking just enough of SQS's JSON protocol (SendMessageBatch, with the body MD5s the SDK
 * checks). Storing, reading back and a failed request run against the local SQS server below.
 */
async function fakeSqs(answer: Answer = () => "ok") {
  const requests: BatchRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const request = JSON.parse(raw) as BatchRequest;
      requests.push(request);
      res.setHeader("Content-Type", "application/x-amz-json-1.0");
      const md5 = (body: string) => createHash("md5").update(body).digest("hex");
      res.end(
        JSON.stringify({
          Successful: request.Entries.filter((e) => answer(e) === "ok").map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) })),
          Failed: request.Entries.filter((e) => answer(e) === "refuse").map((e) => ({ Id: e.Id, SenderFault: false, Code: "InternalError", Message: "try later" })),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  running = server;
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queueUrl = `${endpoint}/000000000000/events-dlq`;
  const queue = createSqsDeadLetterQueue({ region: "us-east-1", eventBusName: "test-user-service", sqsEndpoint: endpoint, queueUrl });
  return { queue, requests, queueUrl };
}

let running: Server | undefined;
afterEach(async () => {
  const server = running;
  if (server) await new Promise((resolve) => server.close(resolve));
  running = undefined;
});

const letters = (count: number): DeadLetter[] =>
  Array.from({ length: count }, (_, i) => ({
    eventId: `event-${i}`,
    detailType: "email.added",
    detail: JSON.stringify({ eventId: `event-${i}`, userId: "u-1" }),
    occurredAt: "2026-01-01T00:00:00.000Z",
    error: { code: "InternalFailure", message: "refused" },
  }));

const bodyOf = (entry: { MessageBody: string }) => JSON.parse(entry.MessageBody) as DeadLetterMessage;

describe("SQS dead-letter queue adapter", () => {
  it("sends batches of at most 10 messages, each the PutEvents entry plus the error", async () => {
    const { queue, requests, queueUrl } = await fakeSqs();
    const input = letters(23);
    expect(await queue.send(input)).toEqual({ failed: [] });

    expect(requests.map((r) => r.Entries.length)).toEqual([10, 10, 3]);
    expect(requests.every((r) => r.QueueUrl === queueUrl)).toBe(true);
    expect(bodyOf(requests[0]?.Entries[0] as { MessageBody: string })).toEqual({
      EventBusName: "test-user-service",
      Source: "user-service",
      DetailType: "email.added",
      Detail: input[0]?.detail,
      Time: "2026-01-01T00:00:00.000Z",
      ErrorCode: "InternalFailure",
      ErrorMessage: "refused",
    });
    expect(requests.flatMap((r) => r.Entries.map((e) => JSON.parse(bodyOf(e).Detail).eventId))).toEqual(input.map((e) => e.eventId));
  });

  it("reports the entries SQS lists as Failed, and any it does not answer for", async () => {
    const refused = (e: { MessageBody: string }) => bodyOf(e).Detail.includes('"event-1"');
    const omitted = (e: { MessageBody: string }) => bodyOf(e).Detail.includes('"event-3"');
    const { queue } = await fakeSqs((e) => (refused(e) ? "refuse" : omitted(e) ? "omit" : "ok"));

    expect(await queue.send(letters(5))).toEqual({
      failed: [
        { eventId: "event-1", reason: "InternalError: try later" },
        { eventId: "event-3", reason: expect.stringContaining("MissingResult") },
      ],
    });
  });
});

describe("SQS adapters against the local SQS server (local-aws-sqs, JSON protocol)", () => {
  it("the dead-letter queue stores every letter, batched, and each message reads back as the PutEvents entry plus the error", async () => {
    const sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "test-dlq" }] });
    try {
      const queue = createSqsDeadLetterQueue({ region: "us-east-1", eventBusName: "test-user-service", sqsEndpoint: sqs.endpoint, queueUrl: sqs.queueUrl("test-dlq") });
      const input = letters(23);
      expect(await queue.send(input)).toEqual({ failed: [] });
      const stored = (await sqs.browse("test-dlq")).map((m) => JSON.parse(m.Body ?? "{}") as DeadLetterMessage);
      expect(stored.map((m) => (JSON.parse(m.Detail) as { eventId: string }).eventId).sort()).toEqual(input.map((e) => e.eventId).sort());
      expect(stored[0]).toMatchObject({ EventBusName: "test-user-service", Source: "user-service", ErrorCode: "InternalFailure" });
    } finally {
      await sqs.stop();
    }
  });

  it("the dead-letter queue throws when the request fails as a whole (a queue that does not exist)", async () => {
    const sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "test-dlq" }] });
    try {
      const queue = createSqsDeadLetterQueue({ region: "us-east-1", eventBusName: "test-user-service", sqsEndpoint: sqs.endpoint, queueUrl: sqs.queueUrl("nope") });
      await expect(queue.send(letters(2))).rejects.toThrow(/queue does not exist/i);
    } finally {
      await sqs.stop();
    }
  });

  it("the job queue sends the job as JSON; a queue that does not exist fails loudly", async () => {
    const sqs = await startSqsServer({ region: "us-east-1", queues: [{ QueueName: "test-jobs" }] });
    try {
      const jobs = createSqsJobQueue<{ userId: string }>({ region: "us-east-1", endpoint: sqs.endpoint, queueUrl: sqs.queueUrl("test-jobs") });
      await jobs.enqueue({ userId: "u-1" });
      expect((await sqs.browse("test-jobs")).map((m) => JSON.parse(m.Body ?? "{}") as unknown)).toEqual([{ userId: "u-1" }]);
      const missing = createSqsJobQueue({ region: "us-east-1", endpoint: sqs.endpoint, queueUrl: sqs.queueUrl("nope") });
      await expect(missing.enqueue({ userId: "u-2" })).rejects.toThrow(/does not exist/);
    } finally {
      await sqs.stop();
    }
  });
});
