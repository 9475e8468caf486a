import type { Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { writtenLines } from "../../test/support/writtenLines.js";
import { logger } from "../observability.js";
import { lambdaEntry } from "./lambdaEntry.js";

// The suites run with logging and metrics off; this file reads both, so they are on before the
// shared logger and metrics are made (src/observability.ts).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
});

const lines = writtenLines();

const context = { functionName: "cognitoSync", awsRequestId: "aws-1", getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const busEvent = { id: "evt-1", "detail-type": "user.updated", correlation: "corr-9" };
type BusEvent = typeof busEvent;

const entry = (run: (event: BusEvent, entry: { correlationId: string }) => Promise<string>) =>
  lambdaEntry<BusEvent, string>(
    { name: "Probe", keysOf: (event) => ({ correlationId: event.correlation, eventId: event.id, detailType: event["detail-type"], triggerSource: undefined }) },
    run,
  );

const logLines = () => lines().filter((line) => typeof line.message === "string");
const metricNames = () =>
  lines().flatMap((line) => {
    const aws = line._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
    return aws?.CloudWatchMetrics?.flatMap((m) => m.Metrics.map((metric) => metric.Name)) ?? [];
  });

describe("the one entry of non-HTTP functions", () => {
  it("puts the invocation's keys and the Lambda context on every line, hands the correlation id over, counts the outcome", async () => {
    const handler = entry(async (_event, { correlationId }) => {
      logger.info("Work done");
      return correlationId;
    });
    await expect(handler(busEvent, context)).resolves.toBe("corr-9");

    const [line] = logLines().filter((l) => l.message === "Work done");
    expect(line).toMatchObject({ correlationId: "corr-9", eventId: "evt-1", detailType: "user.updated", function_request_id: "aws-1", function_name: "cognitoSync" });
    expect(line).not.toHaveProperty("triggerSource");
    expect(metricNames()).toEqual(["ProbeHandled"]);
  });

  it("rethrows a failure, counts it, and leaves no key behind for the next invocation", async () => {
    await expect(entry(async () => Promise.reject(new Error("bus down")))(busEvent, context)).rejects.toThrow("bus down");
    expect(metricNames()).toEqual(["ProbeFailed"]);

    logger.info("Between invocations");
    const [line] = logLines().filter((l) => l.message === "Between invocations");
    expect(line).not.toHaveProperty("correlationId");
    expect(line).not.toHaveProperty("eventId");
  });
});
