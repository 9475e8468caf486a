import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Context, ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setServices } from "../composition/services.js";
import { handler } from "../handlers/jobs/reconcileUsers.js";
import { startTestCognito, type TestCognito } from "../../test/support/cognito.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";
import { reconcileUsers } from "./reconcileUsers.js";

const PASSWORD = "Correct-Horse-1";
const correlationId = "reconcile-test";

async function userCreatedEvents(services: TestServices) {
  const { Items = [] } = await services.db.send(new ScanCommand({ TableName: services.config.tableName }));
  return Items.filter((item) => item.detailType === "user.created").map(
    (item) => JSON.parse(String(item.detail)) as { userId: string; email: string },
  );
}

describe("reconcileUsers against cognito-local and DynamoDB Local", () => {
  let cognito: TestCognito;
  let services: TestServices;
  let orphanId: string;
  let syncedId: string;

  beforeAll(async () => {
    cognito = await startTestCognito();
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    // Confirmed, profile written by the trigger's use case.
    syncedId = await cognito.createConfirmedUser("synced@example.com", PASSWORD);
    await createUserFromSignUp(services)({ userId: syncedId, email: "synced@example.com", correlationId });
    // Confirmed, but the trigger's write never happened: the orphan the job exists for.
    orphanId = await cognito.createConfirmedUser("Orphan@Example.com", PASSWORD);
    // Signed up, never confirmed: not a user yet, so no profile.
    await cognito.client.send(
      new SignUpCommand({ ClientId: cognito.clientId, Username: "unconfirmed@example.com", Password: PASSWORD }),
    );
  });
  afterAll(() => cognito?.stop());

  it("ignores users created before the window", async () => {
    const later = new Date(Date.now() + 49 * 3600_000);
    const fromTheFuture = await createTestServices(
      { clock: { now: () => later } },
      { tableName: services.config.tableName, cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId },
    );
    expect(await reconcileUsers(fromTheFuture)({ correlationId })).toEqual({ scanned: 0, created: 0, alreadyPresent: 0, failed: 0 });
    expect(await services.profiles.get(orphanId)).toBeUndefined();
  });

  it("creates the missing profile of a confirmed user, and only that one", async () => {
    // Through the scheduled handler: its writes are the function's (the IAM evidence test, test/iam/).
    setServices(services);
    const report = await handler({ id: correlationId, "detail-type": "Scheduled Event" } as ScheduledEvent, { awsRequestId: "req-1" } as Context);

    expect(report).toEqual({ scanned: 2, created: 1, alreadyPresent: 1, failed: 0 });
    const withEmails = await services.profiles.getWithEmails(orphanId);
    expect(withEmails?.profile).toMatchObject({ userId: orphanId, email: "orphan@example.com", status: "active", version: 1 });
    expect(withEmails?.emails).toEqual([
      expect.objectContaining({ email: "orphan@example.com", isPrimary: true, isVerified: true }),
    ]);
    expect(await services.profiles.claimOf("orphan@example.com")).toMatchObject({ userId: orphanId, verified: true });
    expect((await userCreatedEvents(services)).filter((e) => e.userId === orphanId)).toHaveLength(1);
  });

  it("is idempotent: the scheduled handler run again creates nothing", async () => {
    const before = await userCreatedEvents(services);
    setServices(services);
    const event = { id: "schedule-run-2", "detail-type": "Scheduled Event" } as ScheduledEvent;

    const report = await handler(event, { awsRequestId: "req-2" } as Context);

    expect(report).toEqual({ scanned: 2, created: 0, alreadyPresent: 2, failed: 0 });
    expect(await userCreatedEvents(services)).toHaveLength(before.length);
  });
});

describe("reconcileUsers when one user cannot be created", () => {
  let cognito: TestCognito;
  afterAll(() => cognito?.stop());

  it("counts the failure and still heals the others", async () => {
    cognito = await startTestCognito();
    const services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    // Another account already holds the address verified: the sign-up use case refuses it.
    await createUserFromSignUp(services)({ userId: "other-account", email: "contested@example.com", correlationId });
    const contestedId = await cognito.createConfirmedUser("contested@example.com", PASSWORD);
    const healthyId = await cognito.createConfirmedUser("healthy@example.com", PASSWORD);

    const report = await reconcileUsers(services)({ correlationId });

    expect(report).toEqual({ scanned: 2, created: 1, alreadyPresent: 0, failed: 1 });
    expect(await services.profiles.get(contestedId)).toBeUndefined();
    expect(await services.profiles.get(healthyId)).toMatchObject({ email: "healthy@example.com" });
  });
});
