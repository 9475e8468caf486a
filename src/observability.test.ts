import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it } from "vitest";
import { metrics } from "./observability.js";

afterEach(() => metrics.clearMetrics());

describe("metrics", () => {
  it("carry the stage beside the service, so two stages in one account never add into one series", () => {
    metrics.addMetric("Probe", MetricUnit.Count, 1);
    const doc = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    const [directive] = doc._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe("UserService");
    expect(directive?.Dimensions).toEqual([["service", "stage"]]);
    expect(doc).toMatchObject({ service: "user-service", stage: process.env.STAGE ?? "local" });
  });
});
