import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { OUTBOX_RETENTION_SECONDS } from "../../src/adapters/dynamodb/outboxItems.js";
import { readStreamMapping } from "../../local/dynamodb/streamMapping.js";
import { readTemplate, resourcesOfType, type CfnTemplate } from "./support/template.js";
import { readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** DynamoDB Streams keeps a record 24 hours; it cannot be configured. */
const STREAM_RETENTION_SECONDS = 24 * 60 * 60;

let template: CfnTemplate;
let tf: TerraformConfig;
beforeAll(async () => {
  template = readTemplate(inject("packageDir"));
  tf = await readTerraform();
});

const relayMapping = () =>
  resourcesOfType(template, "AWS::Lambda::EventSourceMapping")
    .map(([, m]) => m.Properties ?? {})
    .find((m) => JSON.stringify(m.FunctionName).includes("OutboxRelay"));

describe("the outbox relay's stream mapping rides out an EventBridge outage", () => {
  it("retries reported records with no retry count until they are 23 hours old, in order, without bisecting", () => {
    const relay = relayMapping();
    expect(relay).toMatchObject({
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 23 * 60 * 60,
      DestinationConfig: { OnFailure: { Destination: { Ref: "RelayFailureQueueArn" } } },
    });
    // Bisecting would split the batch at the failure and retry halves; the report already says where to restart.
    expect(relay?.BisectBatchOnFunctionError ?? false).toBe(false);
    // Handed to the on-failure queue before the stream trims the record, never lost to the trim.
    expect(relay?.MaximumRecordAgeInSeconds as number).toBeLessThan(STREAM_RETENTION_SECONDS);
  });

  it("keeps outbox items longer than the retry window plus what the queues keep", () => {
    const window = relayMapping()?.MaximumRecordAgeInSeconds as number;
    for (const queue of ["relay_failures", "events_dlq"]) {
      const retention = Number(resource(tf, "aws_sqs_queue", queue).message_retention_seconds);
      expect(retention, queue).toBe(14 * 24 * 60 * 60);
      expect(OUTBOX_RETENTION_SECONDS, queue).toBeGreaterThanOrEqual(retention + window);
    }
  });

  it("is the mapping the local stack's poller copies", () => {
    const relay = relayMapping();
    expect(readStreamMapping(ROOT, "outboxRelay")).toEqual({
      batchSize: relay?.BatchSize,
      maxRetryAttempts: relay?.MaximumRetryAttempts,
      maxRecordAgeSeconds: relay?.MaximumRecordAgeInSeconds,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: true,
    });
  });

  it("is described where an operator looks: the runbook's outage section and the architecture's outbox", () => {
    const runbooks = readFileSync(resolve(ROOT, "docs/runbooks.md"), "utf8");
    const architecture = readFileSync(resolve(ROOT, "docs/architecture.md"), "utf8");
    expect(runbooks).toMatch(/^## EventBridge outage$/m);
    expect(architecture).toContain("23 hours");
    expect(architecture).not.toContain("events wait in the stream (24 h), then in the DLQ");
  });
});
