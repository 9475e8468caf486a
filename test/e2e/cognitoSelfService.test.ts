import { DeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import type { DeadLetter, TargetEvent } from "../../local/eventBus.js";
import { api, cognitoClient, deployed, eventually, getJson, registerUser, signIn } from "./stack.js";

/**
 * A user holding an access token can delete their own Cognito user, and neither Cognito nor the
 * local Cognito refuses it (SPEC 11.2). The service hears of it through the call's CloudTrail
 * record on the default bus and deletes the account, as DELETE /users/me does.
 */
describe.skipIf(deployed)("a user's own Cognito DeleteUser", () => {
  it("is accepted, and the service ends with the profile deleted and a user.deleted event", async () => {
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
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { messages } = await getJson<{ messages: DeadLetter[] }>("/_local/dlq");
    // (The suite's stack also has a target on user-events that always fails: that one is expected.)
    expect(messages.filter((m) => m.rule === "cognito-sync" && m.event.detail.userId === user.userId)).toEqual([]);
  });
});
