import { DeleteUserCommand, UpdateUserAttributesCommand, VerifyUserAttributeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import type { DeadLetter, TargetEvent } from "../../local/events/eventBus.js";
import { api, cognitoClient, deployed, eventually, getJson, mailbox, registerUser, signIn, uniqueEmail } from "./stack.js";

/**
 * Calls a user can make to Cognito with their own access token, which neither Cognito nor the
 * local Cognito refuses (SPEC 11.2). The service hears of them through their CloudTrail records
 * on the default bus and answers: a deletion deletes the account, a confirmed address change is
 * undone so the sign-in name stays the profile's primary.
 */
describe.skipIf(deployed)("a user's own Cognito calls", () => {
  it("DeleteUser is accepted, and the service ends with the profile deleted and a user.deleted event", async () => {
    const user = await registerUser();
    const client = await cognitoClient();
    try {
      await client.send(new DeleteUserCommand({ AccessToken: user.accessToken }));
    } finally {
      client.destroy();
    }
    await expect(signIn(user.email)).rejects.toMatchObject({ name: "NotAuthorizedException" });

    const deleted = await eventually(async () => {
      const { events } = await getJson<{ events: TargetEvent[] }>("/_local/events");
      return events.find((e) => e["detail-type"] === "user.deleted" && e.detail.userId === user.userId);
    });
    expect(deleted.detail).toMatchObject({ userId: user.userId, deletedAt: expect.any(String) });

    // The access token is still within its hour: the profile answers, marked deleted.
    const me = await api<{ status: string }>("GET", "/users/me", { token: user.accessToken });
    expect(me.body.status).toBe("deleted");

    // The cognito-sync consumer finds no Cognito user to disable: a no-op, not a dead letter.
    // (The suite's stack also has a target on user-events that always fails: that one is expected.)
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { messages } = await getJson<{ messages: DeadLetter[] }>("/_local/dlq");
    expect(messages.filter((m) => m.rule === "cognito-sync" && m.event.detail.userId === user.userId)).toEqual([]);
  });

  it("an email change confirmed with its code does not move the sign-in name off the primary", async () => {
    const user = await registerUser();
    const elsewhere = uniqueEmail("elsewhere");
    const client = await cognitoClient();
    try {
      // The app client may write email (the pool requires it): the change waits for its code.
      await client.send(new UpdateUserAttributesCommand({ AccessToken: user.accessToken, UserAttributes: [{ Name: "email", Value: elsewhere }] }));
      const code = (await mailbox(elsewhere)).at(-1)?.code;
      expect(code).toBeTruthy();
      await expect(signIn(elsewhere)).rejects.toMatchObject({ name: "NotAuthorizedException" });
      await client.send(new VerifyUserAttributeCommand({ AccessToken: user.accessToken, AttributeName: "email", Code: code ?? "" }));
    } finally {
      client.destroy();
    }

    // The service answers the VerifyUserAttribute record: the primary is the sign-in name again.
    await eventually(async () => ((await signIn(user.email).catch(() => undefined))?.AccessToken ? true : undefined));
    await expect(signIn(elsewhere)).rejects.toMatchObject({ name: "NotAuthorizedException" });
    const me = await api<{ email: string; status: string }>("GET", "/users/me", { token: user.accessToken });
    expect(me.body).toMatchObject({ email: user.email, status: "active" });
  });
});
