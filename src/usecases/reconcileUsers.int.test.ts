import { AdminDeleteUserCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Context, ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { handler } from "../handlers/jobs/reconcileUsers.js";
import { startTestCognito, type TestCognito } from "../../test/support/cognito.js";
import { readItem } from "../../test/support/outbox.js";
import { createTestServices, setServices, type TestServices } from "../../test/support/testServices.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";
import { markSignUpPending } from "./markSignUpPending.js";
import { reconcileUsers, type ReconcileReport } from "./reconcileUsers.js";

const PASSWORD = "Correct-Horse-1";
const correlationId = "reconcile-test";
const MINUTE = 60_000;
const none: ReconcileReport = { checked: 0, created: 0, alreadyPresent: 0, deferred: 0, dropped: 0, failed: 0 };

describe("reconcileUsers reads only the pending sign-up markers (SPEC 14.2)", () => {
  let cognito: TestCognito;
  let services: TestServices;
  /** The same table and pool, seen from `minutes` later. */
  const later = (minutes: number) =>
    createTestServices(
      { clock: { now: () => new Date(Date.now() + minutes * MINUTE) } },
      { tableName: services.config.tableName, cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId },
    );
  /** Through the scheduled handler: its calls are the function's (the IAM evidence test, test/iam/). */
  const runJob = async (minutesLater: number, id = correlationId) => {
    setServices(await later(minutesLater));
    return handler({ id, "detail-type": "Scheduled Event" } as ScheduledEvent, { awsRequestId: id } as Context);
  };
  const marker = (username: string) => readItem(services, keys.signUpMarker(username));

  beforeAll(async () => {
    cognito = await startTestCognito();
  });
  afterAll(() => cognito?.stop());
  beforeEach(async () => {
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    cognito.quotas.resetCounts();
  });

  it("creates the missing profile of a confirmed user once its marker is due; the write takes the marker", async () => {
    const orphanId = await cognito.createConfirmedUser(`Orphan-${services.ids.newId()}@Example.com`, PASSWORD);
    await markSignUpPending(services)({ username: orphanId });
    cognito.quotas.resetCounts();

    // Not due yet: within the grace period PostConfirmation and the retry queue have the job.
    expect(await runJob(0)).toEqual(none);
    expect(cognito.quotas.calls()).toEqual({});

    expect(await runJob(16)).toEqual({ ...none, checked: 1, created: 1 });
    expect(cognito.quotas.calls()).toEqual({ AdminGetUser: 1 });
    expect(await services.profiles.getWithEmails(orphanId)).toMatchObject({
      profile: { userId: orphanId, status: "active", version: 1 },
      emails: [expect.objectContaining({ isPrimary: true, isVerified: true })],
    });
    expect(await marker(orphanId)).toBeUndefined();

    // Run again: no marker left, no call, nothing written twice.
    expect(await runJob(16, "schedule-run-2")).toEqual(none);
    expect(cognito.quotas.calls()).toEqual({ AdminGetUser: 1 });
  });

  it("a sign-up the trigger wrote costs the job nothing: the profile's transaction removed its marker", async () => {
    const email = `synced-${services.ids.newId()}@example.com`;
    const userId = await cognito.createConfirmedUser(email, PASSWORD);
    await markSignUpPending(services)({ username: userId });
    await createUserFromSignUp(services)({ userId, email, correlationId, username: userId });

    expect(await marker(userId)).toBeUndefined();
    expect(await runJob(16)).toEqual(none);
  });

  it("a profile already there (written before the marker went) drops the marker", async () => {
    const email = `present-${services.ids.newId()}@example.com`;
    const userId = await cognito.createConfirmedUser(email, PASSWORD);
    await createUserFromSignUp(services)({ userId, email, correlationId });
    await markSignUpPending(services)({ username: userId });

    expect(await runJob(16)).toEqual({ ...none, checked: 1, alreadyPresent: 1 });
    expect(await marker(userId)).toBeUndefined();
  });

  it("an unconfirmed sign-up is looked at again later, backing off, and dropped once its code has expired", async () => {
    const email = `unconfirmed-${services.ids.newId()}@example.com`;
    const { UserSub = "" } = await cognito.client.send(new SignUpCommand({ ClientId: cognito.clientId, Username: email, Password: PASSWORD }));
    await markSignUpPending(services)({ username: UserSub });

    expect(await runJob(16)).toEqual({ ...none, checked: 1, deferred: 1 });
    // Deferred by about its age (16 minutes), not to the next hourly run.
    const [deferred] = await services.profiles.dueSignUpMarkers(new Date(Date.now() + 48 * 3600_000).toISOString(), 10);
    const dueIn = new Date(deferred?.dueAt ?? 0).getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(31 * MINUTE);
    expect(dueIn).toBeLessThan(33 * MINUTE);
    expect(await runJob(20)).toEqual(none);

    expect(await runJob(25 * 60)).toEqual({ ...none, checked: 1, dropped: 1 });
    expect(await marker(UserSub)).toBeUndefined();
    expect(await services.profiles.get(UserSub)).toBeUndefined();
  });

  it("a marker whose user is gone from the pool is dropped", async () => {
    const userId = await cognito.createConfirmedUser(`gone-${services.ids.newId()}@example.com`, PASSWORD);
    await markSignUpPending(services)({ username: userId });
    await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: cognito.userPoolId, Username: userId }));

    expect(await runJob(16)).toEqual({ ...none, checked: 1, dropped: 1 });
    expect(await marker(userId)).toBeUndefined();
    expect(await services.profiles.get(userId)).toBeUndefined();
  });

  it("waits out Cognito's throttling: every due marker is still checked and healed", async () => {
    const orphans: string[] = [];
    for (let i = 0; i < 3; i++) orphans.push(await cognito.createConfirmedUser(`throttled-${i}-${services.ids.newId()}@example.com`, PASSWORD));
    for (const username of orphans) await markSignUpPending(services)({ username });
    cognito.quotas.resetCounts();
    // One AdminGetUser a second (UserRead), where the job would make three at once.
    cognito.quotas.setLimits({ UserRead: 1 });
    try {
      expect(await runJob(16)).toEqual({ ...none, checked: 3, created: 3 });
    } finally {
      cognito.quotas.setLimits({});
    }
    expect(cognito.quotas.throttled().AdminGetUser).toBeGreaterThan(0);
    for (const userId of orphans) expect(await services.profiles.get(userId)).toBeDefined();
  });

  it("counts a failure, keeps that marker for the next run, and still heals the others", async () => {
    // Another account already holds the address verified: the sign-up use case refuses it.
    await createUserFromSignUp(services)({ userId: "other-account", email: "contested@example.com", correlationId });
    const contestedId = await cognito.createConfirmedUser("contested@example.com", PASSWORD);
    const healthyId = await cognito.createConfirmedUser(`healthy-${services.ids.newId()}@example.com`, PASSWORD);
    await markSignUpPending(services)({ username: contestedId });
    await markSignUpPending(services)({ username: healthyId });

    const report = await reconcileUsers(await later(16))({ correlationId });

    expect(report).toEqual({ ...none, checked: 2, created: 1, failed: 1 });
    expect(await services.profiles.get(contestedId)).toBeUndefined();
    expect(await marker(contestedId)).toBeDefined();
    expect(await services.profiles.get(healthyId)).toBeDefined();
    await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: cognito.userPoolId, Username: contestedId }));
  });
});
