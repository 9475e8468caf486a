import { DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";

/**
 * What Lambda puts in the relay's on-failure queue when it gives up on a stream batch (the
 * invocation record's `DDBStreamBatchInfo`): where the batch is, not the events in it.
 */
export interface StreamBatchPointer {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
}

export function pointerOf(body: string): StreamBatchPointer {
  const info = (JSON.parse(body) as { DDBStreamBatchInfo?: StreamBatchPointer }).DDBStreamBatchInfo;
  if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber) throw new Error("not a stream batch pointer (no DDBStreamBatchInfo)");
  return info;
}

const OUTBOX = "OUTBOX#";

/**
 * The event ids of the batch's outbox records, read from the stream (24 hours' retention, so
 * within the hour after Lambda gave up): every record from the first to the last sequence number
 * of the shard (compared as integers: they are longer than a double holds).
 */
export async function eventIdsFromStream(streams: DynamoDBStreamsClient, pointer: StreamBatchPointer, maxPages = 100): Promise<string[]> {
  const end = BigInt(pointer.endSequenceNumber);
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({
        StreamArn: pointer.streamArn,
        ShardId: pointer.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: pointer.startSequenceNumber,
      }),
    )
  ).ShardIterator;
  const ids: string[] = [];
  for (let page = 0; iterator && page < maxPages; page += 1) {
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of Records) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? "0") > end) return ids;
      const image = record.dynamodb?.NewImage;
      if (record.eventName === "INSERT" && image?.PK?.S?.startsWith(OUTBOX) && image.eventId?.S) ids.push(image.eventId.S);
    }
    iterator = NextShardIterator;
  }
  return ids;
}

/**
 * Once the stream has trimmed the records: the outbox items written while the batch arrived (an
 * item's `createdAt` is its event's time), a minute either side. One Scan of the table.
 */
export async function eventIdsByArrival(db: DynamoDBClient, tableName: string, pointer: StreamBatchPointer): Promise<string[]> {
  const minute = 60_000;
  const from = new Date(Date.parse(pointer.approximateArrivalOfFirstRecord) - minute).toISOString();
  const to = new Date(Date.parse(pointer.approximateArrivalOfLastRecord) + minute).toISOString();
  const ids: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "begins_with(PK, :outbox) AND createdAt BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":outbox": { S: OUTBOX }, ":from": { S: from }, ":to": { S: to } },
        ProjectionExpression: "eventId",
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) if (item.eventId?.S) ids.push(item.eventId.S);
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return ids;
}

/**
 * Writes each outbox item again, deleted then put back unchanged: a new stream INSERT, which the
 * relay publishes with the same eventId (consumers deduplicate). Items already expired are listed.
 */
export async function republish(db: DynamoDBClient, tableName: string, eventIds: readonly string[]): Promise<{ republished: string[]; gone: string[] }> {
  const report = { republished: [] as string[], gone: [] as string[] };
  for (const eventId of eventIds) {
    const key = { PK: { S: `${OUTBOX}${eventId}` }, SK: { S: "EVENT" } };
    const { Item } = await db.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item) {
      report.gone.push(eventId);
      continue;
    }
    await db.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
    await db.send(new PutItemCommand({ TableName: tableName, Item }));
    report.republished.push(eventId);
  }
  return report;
}
