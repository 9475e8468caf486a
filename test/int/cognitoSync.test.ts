import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { EventBridgeEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EVENT_SOURCE } from "../../src/domain/events.js";
import { handler } from "../../src/handlers/events/cognitoSync.js";
import { addEmail } from "../../src/usecases/addEmail.js";
import { confirmVerification } from "../../src/usecases/confirmVerification.js";
import { createUserFromSignUp } from "../../src/usecases/createUserFromSignUp.js";
import { deleteAccount } from "../../src/usecases/deleteAccount.js";
import { reactivateUser } from "../../src/usecases/reactivateUser.js";
import { setPrimaryEmail } from "../../src/usecases/setPrimaryEmail.js";
import { suspendUser } from "../../src/usecases/suspendUser.js";
import type { SyncOutcome } from "../../src/usecases/syncCognitoFromEvent.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { adminActor, userActor } from "../../src/domain/activity.js";
import { purgeAccount } from "../../src/usecases/purgeAccount.js";
import { restoreAccount } from "../../src/usecases/restoreAccount.js";
import { revertPrimaryEmail } from "../../src/usecases/revertPrimaryEmail.js";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";

const PASSWORD = "Correct-Horse-1";
const correlationId = "cognito-sync-test";
const lambdaContext = {} as Parameters<typeof handler>[1];

/** Events as the use cases wrote them to the outbox, shaped as an EventBridge target receives them. */
async function publishedEvents(services: TestServices, userId: string, detailType: string) {
  const { Items = [] } = await services.db.send(new ScanCommand({ TableName: services.config.tableName }));
  return Items.filter((item) => String(item.PK).startsWith("OUTBOX#") && item.detailType === detailType)
    .map((item) => JSON.parse(String(item.detail)) as { userId: string; occurredAt: string; eventId: string })
    .filter((detail) => detail.userId === userId)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .map((detail) => targetEvent(detailType, detail));
}

function targetEvent(detailType: string, detail: { eventId: string; occurredAt: string }): EventBridgeEvent<string, unknown> {
  return {
    version: "0",
    id: detail.eventId,
    "detail-type": detailType,
    source: EVENT_SOURCE,
    account: "000000000000",
    time: detail.occurredAt,
    region: "us-east-1",
    resources: [],
    detail,
  };
}

const deliver = (event: EventBridgeEvent<string, unknown>) => handler(event, lambdaContext) as Promise<SyncOutcome>;

async function lastEvent(services: TestServices, userId: string, detailType: string) {
  const event = (await publishedEvents(services, userId, detailType)).at(-1);
  if (!event) throw new Error(`no ${detailType} for ${userId}`);
  return event;
}

describe("cognitoSync consumer: Cognito follows our events", () => {
  let cognito: TestCognito;
  let services: TestServices;
  let userId: string;
  let email: string;

  beforeAll(async () => {
    cognito = await startTestCognito();
  });
  afterAll(() => cognito?.stop());

  beforeEach(async () => {
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    email = `user-${services.ids.newId()}@example.com`;
    userId = await cognito.createConfirmedUser(email, PASSWORD);
    await createUserFromSignUp(services)({ userId, email, correlationId });
  });

  it("user.suspended disables the Cognito user; delivered twice it is still just disabled", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "abuse report", correlationId });
    const suspended = await lastEvent(services, userId, "user.suspended");

    expect(await deliver(suspended)).toEqual({ action: "disable", userId });
    expect(await deliver(suspended)).toEqual({ action: "disable", userId });

    expect((await cognito.getUser(userId)).Enabled).toBe(false);
    await expect(cognito.signIn(email, PASSWORD)).rejects.toThrow("User is disabled.");
  });

  it("user.reactivated enables the user again and sign-in works", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "abuse report", correlationId });
    await deliver(await lastEvent(services, userId, "user.suspended"));
    await reactivateUser(services)({ userId, actorId: "an-admin", correlationId });
    const reactivated = await lastEvent(services, userId, "user.reactivated");

    expect(await deliver(reactivated)).toEqual({ action: "enable", userId });
    expect(await deliver(reactivated)).toEqual({ action: "enable", userId });

    expect((await cognito.getUser(userId)).Enabled).toBe(true);
    expect((await cognito.signIn(email, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("a user.suspended delivered late, after the reactivation, does not disable the user", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "mistake", correlationId });
    await reactivateUser(services)({ userId, actorId: "an-admin", correlationId });
    const reactivated = await lastEvent(services, userId, "user.reactivated");
    const lateSuspended = await lastEvent(services, userId, "user.suspended");

    expect(await deliver(reactivated)).toEqual({ action: "enable", userId });
    expect(await deliver(lateSuspended)).toEqual({ action: "skipped", userId, reason: "stale" });

    expect((await cognito.getUser(userId)).Enabled).toBe(true);
  });

  it("user.deleted disables the user, and a late user.reactivated cannot revive it", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "review", correlationId });
    await reactivateUser(services)({ userId, actorId: "an-admin", correlationId });
    await deleteAccount(services)({ userId, correlationId, actor: userActor(userId) });

    expect(await deliver(await lastEvent(services, userId, "user.deleted"))).toEqual({ action: "disable", userId });
    expect(await deliver(await lastEvent(services, userId, "user.reactivated"))).toMatchObject({ reason: "stale" });

    expect((await cognito.getUser(userId)).Enabled).toBe(false);
    await expect(cognito.signIn(email, PASSWORD)).rejects.toThrow("User is disabled.");
  });

  it("user.purged deletes the Cognito user (AdminDeleteUser); delivered again, the user already gone is fine", async () => {
    await deleteAccount(services)({ userId, correlationId, actor: userActor(userId) });
    await purgeAccount(services)({ userId, correlationId, actor: adminActor("an-admin") });
    const purged = await lastEvent(services, userId, "user.purged");

    expect(await deliver(purged)).toEqual({ action: "delete", userId });
    await expect(cognito.getUser(userId)).rejects.toThrow();
    await expect(cognito.signIn(email, PASSWORD)).rejects.toThrow();
    expect(await deliver(purged)).toEqual({ action: "delete", userId });
    // The address signs up again as a new Cognito user.
    const again = await cognito.createConfirmedUser(email, PASSWORD);
    expect(again).not.toBe(userId);
  });

  it("email.primary.changed makes the new primary the sign-in name; a late older change is skipped", async () => {
    // The real path: add an address, verify it with the mailed code, make it primary.
    const changePrimary = async (newEmail: string) => {
      const { email: added } = await addEmail(services)({ userId, email: newEmail, correlationId });
      const code = services.mailbox.to(newEmail).at(-1)?.code ?? "";
      await confirmVerification(services)({ userId, emailId: added.emailId, code, correlationId });
      const caller = { userId, groups: [], authTime: Math.floor(Date.now() / 1000) };
      await setPrimaryEmail(services)({ caller, emailId: added.emailId, correlationId });
      return lastEvent(services, userId, "email.primary.changed");
    };
    const second = `second-${email}`;
    const third = `third-${email}`;
    const toSecond = await changePrimary(second);
    const toThird = await changePrimary(third);

    expect(await deliver(toThird)).toEqual({ action: "setEmail", userId });
    expect(await deliver(toThird)).toEqual({ action: "setEmail", userId });
    expect(await deliver(toSecond)).toEqual({ action: "skipped", userId, reason: "stale" });

    const user = await cognito.getUser(userId);
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: "email", Value: third },
        { Name: "email_verified", Value: "true" },
      ]),
    );
    expect((await cognito.signIn(third, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(cognito.signIn(email, PASSWORD)).rejects.toThrow();
  });

  it("user.restored enables the user again (SPEC 12.1); delivered twice, still enabled", async () => {
    await deleteAccount(services)({ userId, correlationId, actor: userActor(userId) });
    expect(await deliver(await lastEvent(services, userId, "user.deleted"))).toEqual({ action: "disable", userId });
    const link = services.mailbox.to(email).filter((m) => m.subject === "Your account was deleted").at(-1)?.link ?? "";
    await restoreAccount(services)({ body: { token: link.split("#restore=")[1] }, correlationId });
    const restored = await lastEvent(services, userId, "user.restored");

    expect(await deliver(restored)).toEqual({ action: "enable", userId });
    expect(await deliver(restored)).toEqual({ action: "enable", userId });
    expect((await cognito.getUser(userId)).Enabled).toBe(true);
    expect((await cognito.signIn(email, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("a revert (SPEC 12.3) restores the sign-in name, revokes refresh tokens and requires a password reset; twice is harmless", async () => {
    const second = `second-${email}`;
    const { email: added } = await addEmail(services)({ userId, email: second, correlationId });
    await confirmVerification(services)({ userId, emailId: added.emailId, code: services.mailbox.to(second).at(-1)?.code ?? "", correlationId });
    await setPrimaryEmail(services)({ caller: { userId, groups: [], authTime: Math.floor(Date.now() / 1000) }, emailId: added.emailId, correlationId });
    expect(await deliver(await lastEvent(services, userId, "email.primary.changed"))).toEqual({ action: "setEmail", userId });
    const session = await cognito.signIn(second, PASSWORD);

    const link = services.mailbox.to(email).filter((m) => m.subject === "Your primary email address was changed").at(-1)?.link ?? "";
    await revertPrimaryEmail(services)({ body: { token: link.split("#revert=")[1] }, correlationId });
    const reverted = await lastEvent(services, userId, "email.primary.changed");
    expect(reverted.detail).toMatchObject({ reason: "revert", newEmail: email });

    expect(await deliver(reverted)).toEqual({ action: "revertEmail", userId });
    expect(await deliver(reverted)).toEqual({ action: "revertEmail", userId });
    const user = await cognito.getUser(userId);
    expect(user.UserStatus).toBe("RESET_REQUIRED");
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: "email", Value: email }]));
    await expect(
      cognito.client.send(
        new InitiateAuthCommand({
          ClientId: cognito.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: session.AuthenticationResult?.RefreshToken ?? "" },
        }),
      ),
    ).rejects.toThrow();
    await expect(cognito.signIn(email, PASSWORD)).rejects.toMatchObject({ name: "PasswordResetRequiredException" });
  });

  it("ignores event types it does not handle", async () => {
    const event = targetEvent("user.updated", { eventId: "e-1", occurredAt: new Date().toISOString() });
    expect(await deliver(event)).toEqual({ action: "skipped", reason: "unhandled-type" });
  });

  it("lets a Cognito failure propagate so EventBridge retries the event", async () => {
    await suspendUser(services)({ userId, actorId: "an-admin", reason: "abuse report", correlationId });
    const suspended = await lastEvent(services, userId, "user.suspended");
    const broken = await createTestServices(
      {},
      { tableName: services.config.tableName, cognitoEndpoint: cognito.endpoint, userPoolId: "us-east-1_missing" },
    );
    expect(broken.config.tableName).toBe(services.config.tableName);

    await expect(deliver(suspended)).rejects.toThrow();
    expect((await cognito.getUser(userId)).Enabled).toBe(true);
  });
});
