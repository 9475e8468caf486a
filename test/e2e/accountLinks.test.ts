import { ConfirmForgotPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import {
  PASSWORD,
  api,
  cognitoClient,
  deployed,
  eventually,
  getJson,
  localConfig,
  mailbox,
  refresh,
  registerUser,
  signIn,
  uniqueEmail,
  type EmailRecord,
  type MailboxMessage,
  type SignedInUser,
} from "./stack.js";

const INVALID = "Invalid or expired link";

async function addVerifiedEmail(user: SignedInUser, email: string): Promise<EmailRecord> {
  const added = await api<EmailRecord>("POST", "/users/me/emails", { token: user.accessToken, body: { email } });
  expect(added.status).toBe(201);
  const code = (await mailbox(email)).at(-1)?.code;
  const confirmed = await api<EmailRecord>("POST", `/users/me/emails/${added.body.emailId}/verify/confirm`, { token: user.accessToken, body: { code } });
  expect(confirmed.status).toBe(200);
  return confirmed.body;
}

/** The newest message to `to` with this subject, once it has arrived. */
const mailNamed = (to: string, subject: string): Promise<MailboxMessage> =>
  eventually(async () => (await mailbox(to)).filter((m) => m.subject === subject).at(-1));

/** The token of a `{WEB_URL}/#restore=...` or `#revert=...` link. */
function tokenOf(link: string | null, purpose: "restore" | "revert"): string {
  const match = new RegExp(`/#${purpose}=([A-Za-z0-9_-]{43})$`).exec(link ?? "");
  if (!match?.[1]) throw new Error(`no ${purpose} link in ${String(link)}`);
  return match[1];
}

interface LocalEvent {
  "detail-type": string;
  detail: Record<string, unknown>;
}

async function signInError(email: string, password = PASSWORD): Promise<string | undefined> {
  try {
    await signIn(email, password);
    return undefined;
  } catch (error) {
    return (error as Error).name;
  }
}

describe.skipIf(deployed)("restore and revert links over HTTP and the Cognito API (SPEC 12.1, 12.3, 12.6)", () => {
  it("primary change -> revert link from the old mailbox -> old address primary, sessions revoked, password reset required", async () => {
    const user = await registerUser();
    const second = uniqueEmail("second");
    const third = uniqueEmail("third");
    const b = await addVerifiedEmail(user, second);
    const c = await addVerifiedEmail(user, third);
    // Security notice to the primary for each address added: no code, no link.
    expect(await mailNamed(user.email, "An email address was added to your account")).toMatchObject({ code: null, link: null });

    expect((await api("PUT", `/users/me/emails/${b.emailId}/primary`, { token: user.accessToken })).status).toBe(200);
    const first = tokenOf((await mailNamed(user.email, "Your primary email address was changed")).link, "revert");
    expect((await api("PUT", `/users/me/emails/${c.emailId}/primary`, { token: user.accessToken })).status).toBe(200);
    const notice = await mailNamed(second, "Your primary email address was changed");
    expect(notice.code).toBeNull();
    const token = tokenOf(notice.link, "revert");

    // The newer link of the purpose killed the older one; a restore token is no revert token either.
    for (const body of [{ token: first }, { token: "x".repeat(43) }, { token: 42 }, {}]) {
      const refused = await api("POST", "/account/revert", { body });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe(INVALID);
    }
    expect((await api("POST", "/account/restore", { body: { token } })).body.message).toBe(INVALID);

    // Public: no token needed, and a bogus Authorization header changes nothing.
    const reverted = await api("POST", "/account/revert", { body: { token }, headers: { Authorization: "Bearer nonsense" } });
    expect(reverted.status).toBe(200);
    expect(reverted.body.message).toEqual(expect.any(String));
    expect((await api("POST", "/account/revert", { body: { token } })).body.message).toBe(INVALID);

    const emails = await api<{ emails: EmailRecord[] }>("GET", "/users/me/emails", { token: user.accessToken });
    expect(emails.body.emails.filter((e) => e.isPrimary).map((e) => e.email)).toEqual([second]);
    const events = await eventually(async () => {
      const all = (await getJson<{ events: LocalEvent[] }>("/_local/events")).events;
      const found = all.filter((e) => e["detail-type"] === "email.primary.changed" && e.detail.userId === user.userId);
      return found.length === 3 ? found : undefined;
    });
    expect(events.map((e) => e.detail.reason)).toEqual(["change", "change", "revert"]);
    expect(events[2]?.detail).toMatchObject({ oldEmail: third, newEmail: second });

    // The Cognito-sync consumer: refresh tokens revoked, and the password must be reset.
    await eventually(async () => ((await refresh(user.refreshToken).catch((e: Error) => e)) instanceof Error ? true : undefined), 15_000);
    expect(await eventually(async () => (await signInError(second)) ?? undefined, 15_000)).toBe("PasswordResetRequiredException");
    const reset = await mailNamed(second, "Your password reset code");
    const client = await cognitoClient();
    try {
      await client.send(
        new ConfirmForgotPasswordCommand({ ClientId: (await localConfig()).clientId, Username: second, ConfirmationCode: reset.code ?? "", Password: "Another-Horse-7" }),
      );
    } finally {
      client.destroy();
    }
    expect((await signIn(second, "Another-Horse-7")).AccessToken).toBeTruthy();
  }, 60_000);

  it("delete -> restore link from the mailbox -> sign in again; the link works once", async () => {
    const user = await registerUser();
    const deleted = await api("DELETE", "/users/me", { token: user.accessToken });
    expect(deleted.status).toBe(200);
    const notice = await mailNamed(user.email, "Your account was deleted");
    expect(notice.code).toBeNull();
    const token = tokenOf(notice.link, "restore");
    expect(await eventually(async () => (await signInError(user.email)) ?? undefined, 15_000)).toBe("NotAuthorizedException");

    // Another purpose's route refuses it with the one message.
    expect((await api("POST", "/account/revert", { body: { token } })).body).toMatchObject({ statusCode: 400, message: INVALID });

    const restored = await api("POST", "/account/restore", { body: { token } });
    expect(restored.status).toBe(200);
    expect(restored.body.message).toEqual(expect.any(String));
    expect((await api("POST", "/account/restore", { body: { token } })).body).toMatchObject({ statusCode: 400, message: INVALID });
    expect((await mailNamed(user.email, "Your account was restored")).code).toBeNull();

    const tokens = await eventually(async () => signIn(user.email).catch(() => undefined), 15_000);
    const me = await api("GET", "/users/me", { token: tokens.AccessToken ?? "" });
    expect(me.body).toMatchObject({ status: "active" });
    expect(me.body).not.toHaveProperty("purgeAt");
    const events = (await getJson<{ events: LocalEvent[] }>("/_local/events")).events;
    expect(events.some((e) => e["detail-type"] === "user.restored" && e.detail.userId === user.userId)).toBe(true);
  }, 60_000);
});
