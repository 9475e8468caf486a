import { createHash, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { DeadLetter } from "../../ports/deadLetterQueue.js";
import { createSqsDeadLetterQueue, type DeadLetterMessage } from "./sqsDeadLetterQueue.js";

interface BatchRequest {
  QueueUrl: string;
  Entries: { Id: string; MessageBody: string }[];
}

type Answer = (entry: BatchRequest["Entries"][number]) => "ok" | "refuse" | "omit";

/**
 * No local SQS engine exists, so this server speaks just enough of SQS's JSON protocol
 * (SendMessageBatch, with the body MD5s the SDK checks) to test the adapter over the wire.
 */
async function fakeSqs(answer: Answer = () => "ok", status = 200) {
  const requests: BatchRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const request = JSON.parse(raw) as BatchRequest;
      requests.push(request);
      res.setHeader("Content-Type", "application/x-amz-json-1.0");
      if (status !== 200) {
        res.statusCode = status;
        res.end(JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." }));
        return;
      }
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
  await new Promise((resolve) => running?.close(resolve));
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

  it("throws when the request fails as a whole", async () => {
    const { queue } = await fakeSqs(() => "ok", 400);
    await expect(queue.send(letters(2))).rejects.toThrow(/queue does not exist/);
  });
});
