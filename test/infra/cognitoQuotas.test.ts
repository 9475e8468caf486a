import { beforeAll, describe, expect, inject, it } from "vitest";
import { readTemplate, resourcesOfType, type CfnTemplate } from "./support/template.js";

/**
 * What keeps the functions that call Cognito under its per-category request quotas
 * (docs/capacity.md), as the packaged template deploys it.
 */
let template: CfnTemplate;
beforeAll(() => {
  template = readTemplate(inject("packageDir"));
});

const props = (fn: string) => template.Resources[`${fn[0]?.toUpperCase()}${fn.slice(1)}LambdaFunction`]?.Properties ?? {};
const callsPerSecond = (fn: string) => Number((props(fn).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.COGNITO_CALLS_PER_SECOND);

describe("Cognito's quotas, by design", () => {
  it("cognitoSync: reserved concurrency times its paced rate stays under UserUpdate's 25 per second", () => {
    const concurrency = Number(props("cognitoSync").ReservedConcurrentExecutions);
    expect(concurrency).toBeGreaterThan(0);
    expect(concurrency * callsPerSecond("cognitoSync")).toBeLessThanOrEqual(20);
  });

  it("cognitoSync: a queued burst may wait Lambda's longest event age, with two retries, then the DLQ", () => {
    const [config] = resourcesOfType(template, "AWS::Lambda::EventInvokeConfig").filter(
      ([, r]) => JSON.stringify(r.Properties?.FunctionName).includes("CognitoSyncLambdaFunction"),
    );
    expect(config?.[1].Properties).toMatchObject({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 2 });
  });

  it("the jobs run one at a time, reconciliation paced under UserRead's 120 per second", () => {
    expect(props("reconcileUsers").ReservedConcurrentExecutions).toBe(1);
    expect(props("purgeAccounts").ReservedConcurrentExecutions).toBe(1);
    expect(callsPerSecond("reconcileUsers")).toBeLessThanOrEqual(60);
  });

  it("the sign-up retry processor: at most two pollers (the mapping's cap, not reserved concurrency)", () => {
    const [mapping] = resourcesOfType(template, "AWS::Lambda::EventSourceMapping").filter(([, r]) =>
      JSON.stringify(r.Properties?.FunctionName).includes("SignUpRetryProcessorLambdaFunction"),
    );
    expect(mapping?.[1].Properties?.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(props("signUpRetryProcessor").ReservedConcurrentExecutions).toBeUndefined();
    expect(callsPerSecond("signUpRetryProcessor") * 2).toBeLessThanOrEqual(60);
  });
});
