import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AdminCreateUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { EventBridgeEvent } from "aws-lambda";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalEventBus, type LocalEventBus, type TargetEvent } from "../../local/events/eventBus.js";
import { setServices } from "../../src/composition/services.js";
import { EVENT_SOURCE } from "../../src/domain/events.js";
import { handler as cognitoSync } from "../../src/handlers/events/cognitoSync.js";
import { createUserFromSignUp } from "../../src/usecases/createUserFromSignUp.js";
import { suspendUser } from "../../src/usecases/suspendUser.js";
import { lambdaContext } from "../support/apiEvent.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { outboxEvents } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

const ACCOUNTS = 200;
/**
 * The local Cognito's UserUpdate rate: Cognito's own default quota. The consumer runs unpaced here
 * (COGNITO_CALLS_PER_SECOND unset), so only the quota and its backoff hold it.
 */
const USER_UPDATE_RPS = 25;

/** cognitoSync's reserved concurrency, as deployed: the most invocations Lambda runs at once. */
function reservedConcurrency(): number {
  const doc = parse(readFileSync(resolve(import.meta.dirname, "../../serverless.yml"), "utf8"), { logLevel: "silent" }) as {
    functions: Record<string, { reservedConcurrency?: number }>;
  };
  const value = doc.functions.cognitoSync?.reservedConcurrency;
  if (!value) throw new Error("serverless.yml gives cognitoSync no reservedConcurrency");
  return value;
}

/** Lambda's asynchronous queue in front of a function at its reserved concurrency: the rest wait their turn. */
function atConcurrency(limit: number, invoke: (event: TargetEvent) => Promise<void>) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (event: TargetEvent) => {
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    running += 1;
    try {
      await invoke(event);
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * An admin suspends 200 accounts at once (the doc's 10,000 a minute, scaled down) while the local
 * Cognito throttles UserUpdate calls: the cognitoSync consumer, at its deployed concurrency and
 * with the local bus's retries and dead letters standing for EventBridge and Lambda's, backs off
 * and applies every event; nothing is dead-lettered.
 */
describe("a burst of suspensions drains through Cognito's throttling", () => {
  let cognito: TestCognito;
  let services: TestServices;
  let bus: LocalEventBus;
  const userIds: string[] = [];

  beforeAll(async () => {
    cognito = await startTestCognito();
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    for (let i = 0; i < ACCOUNTS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, ACCOUNTS - i) }, (_, j) =>
          cognito.client.send(
            new AdminCreateUserCommand({ UserPoolId: cognito.userPoolId, Username: `burst-${i + j}@example.com`, MessageAction: "SUPPRESS" }),
          ),
        ),
      );
      for (const { User } of batch) userIds.push(User?.Attributes?.find((a) => a.Name === "sub")?.Value ?? "");
    }
    // Ten at a time: DynamoDB Local serves a few transactions at once far faster than hundreds.
    for (let i = 0; i < userIds.length; i += 10) {
      await Promise.all(
        userIds.slice(i, i + 10).map((userId, j) => createUserFromSignUp(services)({ userId, email: `burst-${i + j}@example.com`, correlationId: "burst" })),
      );
    }
    for (let i = 0; i < userIds.length; i += 10) {
      await Promise.all(
        userIds.slice(i, i + 10).map((userId) => suspendUser(services)({ userId, actorId: "an-admin", reason: "spam wave", correlationId: "burst" })),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await bus?.stop();
    await cognito?.stop();
  });

  it("every user.suspended disables its user in Cognito, throttled calls are retried, the DLQ stays empty", async () => {
    const suspended = (await outboxEvents(services)).filter((e) => e.detailType === "user.suspended");
    expect(suspended).toHaveLength(ACCOUNTS);

    setServices(services);
    bus = createLocalEventBus();
    let failedInvocations = 0;
    bus.addTarget(
      "cognito-sync",
      atConcurrency(reservedConcurrency(), async (event) => {
        try {
          await cognitoSync(event as EventBridgeEvent<string, unknown>, lambdaContext("cognitoSync"));
        } catch (error) {
          failedInvocations += 1;
          throw error;
        }
      }),
    );
    cognito.quotas.resetCounts();
    // Whether 25 calls a second are exceeded depends on how fast this machine answers (a loaded CI
    // runner may not reach it). So the burst opens at one call a second, which two concurrent
    // invocations always exceed, and Cognito's default takes over once a call has been refused.
    cognito.quotas.setLimits({ UserUpdate: 1 });
    const refusedOnce = setInterval(() => {
      if (Object.keys(cognito.quotas.throttled()).length === 0) return;
      cognito.quotas.setLimits({ UserUpdate: USER_UPDATE_RPS });
      clearInterval(refusedOnce);
    }, 20);

    for (const { detailType, detail } of suspended) {
      bus.put({ id: String(detail.eventId), source: EVENT_SOURCE, detailType, detail: JSON.stringify(detail) });
    }
    await bus.idle();
    clearInterval(refusedOnce);
    cognito.quotas.setLimits({});

    expect(bus.dlq().messages).toEqual([]);
    // The function's own backoff absorbed the throttling: no invocation failed, so none waited on
    // Lambda's retries (a minute, then two) or came near the DLQ.
    expect(failedInvocations).toBe(0);
    // Cognito refused calls for the rate, and the consumer came back for them.
    const throttled = cognito.quotas.throttled();
    expect((throttled.AdminDisableUser ?? 0) + (throttled.AdminUserGlobalSignOut ?? 0)).toBeGreaterThan(0);
    const calls = cognito.quotas.calls();
    expect(calls.AdminDisableUser).toBe(ACCOUNTS + (throttled.AdminDisableUser ?? 0));
    const enabled = await Promise.all(userIds.map(async (userId) => (await cognito.getUser(userId)).Enabled));
    expect(enabled.filter((e) => e !== false)).toEqual([]);
  }, 90_000);
});
