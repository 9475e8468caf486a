import { AdminCreateUserCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Context, ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setServices } from "../../src/composition/services.js";
import { handler } from "../../src/handlers/jobs/reconcileUsers.js";
import { markSignUpPending } from "../../src/usecases/markSignUpPending.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

const POOL_SIZE = 1000;
const PASSWORD = "Correct-Horse-1";

/**
 * SPEC 14.2: a run costs what the pending sign-ups cost, not what the pool holds. The pool has a
 * thousand users; three are confirmed without a profile and have markers. The job makes three
 * Cognito calls, counted by the local Cognito itself, and writes the three profiles.
 */
describe("reconciliation against a pool of 1,000 users with 3 pending markers", () => {
  let cognito: TestCognito;
  let services: TestServices;
  const orphans: string[] = [];

  beforeAll(async () => {
    cognito = await startTestCognito();
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    for (let i = 0; i < 3; i++) orphans.push(await cognito.createConfirmedUser(`orphan-${i}@example.com`, PASSWORD));
    // The rest of the pool, created by the admin API in parallel (no mail, no triggers).
    const others = Array.from({ length: POOL_SIZE - orphans.length }, (_, i) => `member-${i}@example.com`);
    for (let i = 0; i < others.length; i += 50) {
      await Promise.all(
        others.slice(i, i + 50).map((email) =>
          cognito.client.send(
            new AdminCreateUserCommand({ UserPoolId: cognito.userPoolId, Username: email, TemporaryPassword: PASSWORD, MessageAction: "SUPPRESS" }),
          ),
        ),
      );
    }
    for (const username of orphans) await markSignUpPending(services)({ username });
  }, 120_000);
  afterAll(() => cognito?.stop());

  it("makes one AdminGetUser per marker, never lists the pool, and creates the 3 missing profiles", async () => {
    const { Users = [] } = await cognito.client.send(new ListUsersCommand({ UserPoolId: cognito.userPoolId }));
    expect(Users).toHaveLength(POOL_SIZE);
    cognito.quotas.resetCounts();

    const dueNow = new Date(Date.now() + 16 * 60_000);
    setServices(
      await createTestServices(
        { clock: { now: () => dueNow } },
        { tableName: services.config.tableName, cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId },
      ),
    );
    const report = await handler({ id: "reconcile-at-scale", "detail-type": "Scheduled Event" } as ScheduledEvent, { awsRequestId: "r" } as Context);

    expect(report).toMatchObject({ checked: 3, created: 3, failed: 0 });
    expect(cognito.quotas.calls()).toEqual({ AdminGetUser: 3 });
    for (const userId of orphans) expect(await services.profiles.get(userId)).toMatchObject({ userId, status: "active" });
  });
});
