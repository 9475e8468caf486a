import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { putOutboxEvent } from "../../src/adapters/dynamodb/outboxItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import { systemActor } from "../../src/domain/activity.js";
import { createEvent } from "../../src/domain/events.js";
import { eventContext } from "../../src/usecases/eventContext.js";
import { eventIdsByArrival, eventIdsFromStream, pointerOf, republish, type StreamBatchPointer } from "../../scripts/relayFailurePointer.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

/**
 * The relay-failures pointer (Lambda's `DDBStreamBatchInfo`) mapped back to event ids against
 * DynamoDB Local's real stream, and the republish the runbook then does; the CLI as typed there.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const local = { region: "us-east-1", endpoint: inject("dynamoEndpoint"), credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const db = new DynamoDBClient(local);
const streams = new DynamoDBStreamsClient(local);
let services: TestServices;

beforeEach(async () => {
  services = await createTestServices();
});

/** Writes n events as the use cases do, each in its own transaction; their ids in order. */
async function writeEvents(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const event = createEvent("user.updated", { userId: `u-${i}`, changes: ["firstName"] } as never, eventContext(services, `c-${i}`, systemActor), 1);
    await transactWrite(services.db, [putOutboxEvent(services.config.tableName, event)]);
    ids.push(event.detail.eventId);
  }
  return ids;
}

/** The stream's records for the table, oldest first, as Lambda would have batched them. */
async function streamRecords() {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: services.config.tableName }));
  const streamArn = Table?.LatestStreamArn ?? "";
  const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards?.[0];
  const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard?.ShardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
  const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
  return { streamArn, shardId: shard?.ShardId ?? "", records: Records };
}

/** The pointer Lambda would send for records [from, to] of the shard. */
function pointerFor(stream: Awaited<ReturnType<typeof streamRecords>>, from: number, to: number): StreamBatchPointer {
  const at = (i: number) => stream.records[i]?.dynamodb;
  return {
    shardId: stream.shardId,
    streamArn: stream.streamArn,
    startSequenceNumber: at(from)?.SequenceNumber ?? "",
    endSequenceNumber: at(to)?.SequenceNumber ?? "",
    approximateArrivalOfFirstRecord: new Date(Number(at(from)?.ApproximateCreationDateTime ?? 0)).toISOString(),
    approximateArrivalOfLastRecord: new Date(Number(at(to)?.ApproximateCreationDateTime ?? 0)).toISOString(),
  };
}

describe("a relay-failures pointer becomes event ids, and the events are published again", () => {
  it("from the stream: exactly the outbox events between the first and last sequence numbers", async () => {
    const ids = await writeEvents(5);
    const stream = await streamRecords();
    expect(stream.records).toHaveLength(5);

    expect(await eventIdsFromStream(streams, pointerFor(stream, 1, 3))).toEqual(ids.slice(1, 4));
  });

  it("by arrival time once the stream is gone: the outbox items written in the batch's window", async () => {
    const ids = await writeEvents(3);
    const found = await eventIdsByArrival(db, services.config.tableName, pointerFor(await streamRecords(), 0, 2));
    expect(found.sort()).toEqual([...ids].sort());
  });

  it("republishing writes each item again as a new stream INSERT with the same eventId; an expired one is listed", async () => {
    const [id = ""] = await writeEvents(1);
    const report = await republish(db, services.config.tableName, [id, "expired-event"]);

    expect(report).toEqual({ republished: [id], gone: ["expired-event"] });
    const inserts = (await streamRecords()).records.filter((r) => r.eventName === "INSERT" && r.dynamodb?.NewImage?.eventId?.S === id);
    expect(inserts).toHaveLength(2);
  });

  it("the CLI as the runbook types it reads the queue message's body and prints the ids", async () => {
    const ids = await writeEvents(2);
    const body = JSON.stringify({ version: "1.0", requestContext: { condition: "RecordAgeExceeded" }, DDBStreamBatchInfo: pointerFor(await streamRecords(), 0, 1) });
    expect(pointerOf(body).shardId).not.toBe("");
    const child = promisify(execFile)("npx", ["tsx", "scripts/relayFailureEvents.ts", "--table", services.config.tableName], {
      cwd: ROOT,
      env: { ...process.env, DYNAMODB_ENDPOINT: local.endpoint, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: "us-east-1" },
    });
    child.child.stdin?.end(body);
    const { stdout } = await child;
    expect(stdout.trim().split("\n")).toEqual(ids);
  });
});
