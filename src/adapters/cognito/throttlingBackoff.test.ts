import { InternalErrorException, TooManyRequestsException, UserNotFoundException } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { isThrottling, isTransient, retryThrottled } from "./throttlingBackoff.js";

const throttled = () => new TooManyRequestsException({ message: "Rate exceeded", $metadata: {} });

/** A fake clock whose sleeps advance time: the waits are read, never waited. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
}

describe("retryThrottled", () => {
  it("retries a throttled call with growing, jittered waits until it succeeds", async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retryThrottled(
      async () => {
        if (++calls < 5) throw throttled();
        return "done";
      },
      { budgetMs: 60_000, baseMs: 100, capMs: 1_000, random: () => 0.5, ...time },
    );
    expect(result).toBe("done");
    // Half of 100, 200, 400, then the cap of 1000.
    expect(time.sleeps).toEqual([50, 100, 200, 400]);
  });

  it("gives up once the budget would be passed, rethrowing the throttling error", async () => {
    const time = fakeTime();
    const error = throttled();
    await expect(retryThrottled(() => Promise.reject(error), { budgetMs: 1_000, random: () => 1, ...time })).rejects.toBe(error);
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000);
  });

  it("never retries another error", async () => {
    const time = fakeTime();
    let calls = 0;
    const error = new UserNotFoundException({ message: "no", $metadata: {} });
    await expect(retryThrottled(() => (calls++, Promise.reject(error)), { budgetMs: 10_000, ...time })).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(isThrottling(error)).toBe(false);
    expect(isThrottling(throttled())).toBe(true);
  });

  it("retries a transient failure three tries in all, then rethrows it", async () => {
    const time = fakeTime();
    let calls = 0;
    const error = new InternalErrorException({ message: "internal", $metadata: { httpStatusCode: 500 } });
    await expect(retryThrottled(() => (calls++, Promise.reject(error)), { budgetMs: 60_000, ...time })).rejects.toBe(error);
    expect(calls).toBe(3);
    expect(isTransient(error)).toBe(true);
    expect(isTransient(new UserNotFoundException({ message: "no", $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });
});
