import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parseArgs } from "node:util";
import { redriveDeadLetters } from "./redriveDeadLetters.js";
import { createSqsDeadLetterSource } from "./sqsDeadLetterSource.js";

/**
 * npm run dlq:redrive -- --stage NAME [--max N] [--dry-run]
 * Reads the stage's events DLQ ({stage}-user-service-dlq) and puts each dead letter back on the
 * stage's bus ({stage}-user-service), with the credentials and region of the environment.
 * EVENTBRIDGE_ENDPOINT / SQS_ENDPOINT point it at other endpoints.
 */
const { values } = parseArgs({
  options: {
    stage: { type: "string" },
    max: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    "queue-url": { type: "string" },
    "event-bus": { type: "string" },
  },
});
if (!values.stage) {
  process.stderr.write("usage: npm run dlq:redrive -- --stage NAME [--max N] [--dry-run]\n");
  process.exit(2);
}
const stage = values.stage;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const sqs = new SQSClient({ region, ...(process.env.SQS_ENDPOINT ? { endpoint: process.env.SQS_ENDPOINT } : {}) });
const eventBridge = new EventBridgeClient({
  region,
  ...(process.env.EVENTBRIDGE_ENDPOINT ? { endpoint: process.env.EVENTBRIDGE_ENDPOINT } : {}),
});

const queueUrl =
  values["queue-url"] ?? (await sqs.send(new GetQueueUrlCommand({ QueueName: `${stage}-user-service-dlq` }))).QueueUrl;
if (!queueUrl) throw new Error(`no queue ${stage}-user-service-dlq`);

const source = createSqsDeadLetterSource(sqs, queueUrl);

const report = await redriveDeadLetters({
  source,
  eventBridge,
  eventBusName: values["event-bus"] ?? `${stage}-user-service`,
  maxMessages: values.max ? Number(values.max) : undefined,
  dryRun: values["dry-run"],
});
// A dry run took the messages only to count them: make them visible again at once, or the real
// run right after it (as the runbook does) would find the queue empty for the visibility timeout.
if (values["dry-run"]) await source.release();
process.stdout.write(
  `${values["dry-run"] ? "would redrive" : "redriven"}: ${report.redriven}, refused by the bus: ${report.failed.length}, unreadable: ${report.unreadable.length}\n`,
);
for (const failure of report.failed) process.stdout.write(`  refused ${failure.id}: ${failure.reason}\n`);
for (const id of report.unreadable) process.stdout.write(`  unreadable (left in the queue): ${id}\n`);
process.exit(report.failed.length > 0 || report.unreadable.length > 0 ? 1 : 0);
