import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { eventIdsByArrival, eventIdsFromStream, pointerOf, republish } from "./relayFailurePointer.js";

/**
 * npx tsx scripts/relayFailureEvents.ts --table NAME [--republish] < pointer.json
 * A relay-failures message (docs/runbooks.md, "Dead letters") names a stream batch by shard and
 * sequence numbers: this prints the event ids in it, one a line (from the stream while it still
 * holds the records, else by the outbox items' times), and with --republish writes those outbox
 * items again so the relay publishes them. DYNAMODB_ENDPOINT points it at another endpoint.
 */
const { values } = parseArgs({ options: { table: { type: "string" }, republish: { type: "boolean", default: false } } });
if (!values.table) {
  process.stderr.write("usage: npx tsx scripts/relayFailureEvents.ts --table NAME [--republish] < pointer.json\n");
  process.exit(2);
}
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const endpoint = process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {};
const db = new DynamoDBClient({ region, ...endpoint });
const streams = new DynamoDBStreamsClient({ region, ...endpoint });

const pointer = pointerOf(readFileSync(0, "utf8"));
let ids: string[] = [];
try {
  ids = await eventIdsFromStream(streams, pointer);
  process.stderr.write(`from the stream: ${ids.length} event(s)\n`);
} catch (error) {
  process.stderr.write(`stream not readable (${(error as Error).name}): by the outbox items' times instead\n`);
}
if (ids.length === 0) {
  ids = await eventIdsByArrival(db, values.table, pointer);
  process.stderr.write(`by arrival time: ${ids.length} event(s)\n`);
}
for (const id of ids) process.stdout.write(`${id}\n`);
if (values.republish) {
  const report = await republish(db, values.table, ids);
  process.stderr.write(`republished: ${report.republished.length}, expired: ${report.gone.length}\n`);
  for (const id of report.gone) process.stderr.write(`  expired (not in the table): ${id}\n`);
}
