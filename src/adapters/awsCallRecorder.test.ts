import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, GetItemCommand, QueryCommand, TransactWriteItemsCommand, BatchGetItemCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { traced } from "../observability.js";
import { RECORD_DIR_ENV, recordCalls, runAsFunction, type AwsCallRecord } from "./awsCallRecorder.js";

/** Answers every call itself: the recorder runs before it, nothing leaves the process. */
function offline<C extends { middlewareStack: { add: (...args: never[]) => void } }>(client: C): C {
  (client.middlewareStack as unknown as { add: (mw: unknown, options: unknown) => void }).add(
    () => async () => ({ output: { $metadata: {} }, response: {} }),
    { step: "build", name: "offline" },
  );
  return client;
}

const recordsIn = (dir: string): AwsCallRecord[] =>
  readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AwsCallRecord),
  );

const credentials = { accessKeyId: "x", secretAccessKey: "y" };

describe("the AWS call recorder", () => {
  // A run that records (int, e2e in one vitest invocation) may have set it for this process too.
  const original = process.env[RECORD_DIR_ENV];
  beforeEach(() => {
    delete process.env[RECORD_DIR_ENV];
  });
  afterEach(() => {
    if (original === undefined) delete process.env[RECORD_DIR_ENV];
    else process.env[RECORD_DIR_ENV] = original;
  });

  it("records a function's calls once each: the operation, a transaction's items, a batch's tables, the index", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aws-calls-"));
    const dynamo = offline(recordCalls(new DynamoDBClient({ region: "us-east-1", credentials }), dir));
    const events = offline(recordCalls(new EventBridgeClient({ region: "us-east-1", credentials }), dir));
    await runAsFunction("addEmail", async () => {
      await dynamo.send(new GetItemCommand({ TableName: "t", Key: { PK: { S: "a" } } }));
      await dynamo.send(new GetItemCommand({ TableName: "t", Key: { PK: { S: "b" } } }));
      await dynamo.send(new QueryCommand({ TableName: "t", IndexName: "GSI1", KeyConditionExpression: "x" }));
      await dynamo.send(new BatchGetItemCommand({ RequestItems: { t: { Keys: [] } } }));
      await dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: "t", Item: {} } },
            { ConditionCheck: { TableName: "t", Key: {}, ConditionExpression: "x" } },
          ],
        }),
      );
      await events.send(new PutEventsCommand({ Entries: [{ EventBusName: "bus", Detail: "{}" }, { Detail: "{}" }] }));
    });
    // Outside any function: not attributed, not recorded.
    await dynamo.send(new GetItemCommand({ TableName: "setup", Key: {} }));

    expect(recordsIn(dir)).toEqual([
      { function: "addEmail", service: "dynamodb", action: "GetItem", resource: "t" },
      { function: "addEmail", service: "dynamodb", action: "Query", resource: "t/index/GSI1" },
      { function: "addEmail", service: "dynamodb", action: "BatchGetItem", resource: "t" },
      { function: "addEmail", service: "dynamodb", action: "TransactWriteItems", resource: "t", part: "Put" },
      { function: "addEmail", service: "dynamodb", action: "TransactWriteItems", resource: "t", part: "ConditionCheck" },
      { function: "addEmail", service: "events", action: "PutEvents", resource: "bus" },
      { function: "addEmail", service: "events", action: "PutEvents", resource: "default" },
    ]);
  });

  it("is not attached by traced() unless AWS_CALL_RECORD_DIR is set", () => {
    const names = (client: DynamoDBClient) => (client.middlewareStack as unknown as { identify(): string[] }).identify().join(",");
    expect(names(traced(new DynamoDBClient({ region: "us-east-1", credentials })))).not.toContain("awsCallRecorder");
    process.env[RECORD_DIR_ENV] = mkdtempSync(join(tmpdir(), "aws-calls-"));
    expect(names(traced(new DynamoDBClient({ region: "us-east-1", credentials })))).toContain("awsCallRecorder");
  });
});
