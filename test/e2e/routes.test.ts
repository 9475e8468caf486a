import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, deployed, eventually, mailbox, makeAdmin, registerUser, uniqueEmail, type EmailRecord, type SignedInUser } from "./stack.js";

/** Adds an address over the API and confirms it with the code the mailbox received. */
async function addVerifiedEmail(user: SignedInUser, email: string): Promise<EmailRecord> {
  const added = await api<EmailRecord>("POST", "/users/me/emails", { token: user.accessToken, body: { email } });
  expect(added.status).toBe(201);
  const code = (await mailbox(email)).at(-1)?.code;
  const confirmed = await api<EmailRecord>("POST", `/users/me/emails/${added.body.emailId}/verify/confirm`, {
    token: user.accessToken,
    body: { code },
  });
  expect(confirmed.status).toBe(200);
  return confirmed.body;
}

describe.skipIf(deployed)("every route over HTTP", () => {
  it("profile: read with ETag, partial update, If-Match, validation errors", async () => {
    const user = await registerUser();
    const me = await api("GET", "/users/me", { token: user.accessToken });
    const etag = me.headers.get("etag") ?? "";

    const updated = await api("PUT", "/users/me", {
      token: user.accessToken,
      headers: { "If-Match": etag },
      body: { firstName: "Ada", lastName: "Lovelace", phone: "+441234567890" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ firstName: "Ada", lastName: "Lovelace", phone: "+441234567890", version: 2 });

    const stale = await api("PUT", "/users/me", { token: user.accessToken, headers: { "If-Match": etag }, body: { firstName: "Bob" } });
    expect(stale.status).toBe(412);

    const unknown = await api("PUT", "/users/me", { token: user.accessToken, body: { role: "admin" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ statusCode: 400, error: "Bad Request", details: expect.any(Array) });

    const malformed = await api("PUT", "/users/me", { token: user.accessToken, body: "{not json" });
    expect(malformed.status).toBe(400);

    const tooLarge = await api("PUT", "/users/me", { token: user.accessToken, body: { firstName: "x".repeat(11 * 1024) } });
    expect(tooLarge.status).toBe(413);

    expect((await api("GET", "/users/me", { token: user.accessToken })).body).toMatchObject({ firstName: "Ada", version: 2 });
  });

  it("emails: add (code mailed, rate-limit headers), verify, confirm, make primary, remove", async () => {
    const user = await registerUser();
    const second = uniqueEmail("second");
    const added = await api<EmailRecord>("POST", "/users/me/emails", {
      token: user.accessToken,
      headers: { "Idempotency-Key": randomUUID() },
      body: { email: second },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: second, isPrimary: false, isVerified: false });
    expect(added.headers.get("x-ratelimit-limit")).toBe("3");

    const resent = await api("POST", `/users/me/emails/${added.body.emailId}/verify`, { token: user.accessToken });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ expiresIn: 900 });
    const codes = (await mailbox(second)).map((m) => m.code);
    expect(codes).toHaveLength(2);

    const wrong = await api("POST", `/users/me/emails/${added.body.emailId}/verify/confirm`, {
      token: user.accessToken,
      body: { code: codes[1] === "000000" ? "111111" : "000000" },
    });
    expect(wrong.status).toBe(400);
    const confirmed = await api<EmailRecord>("POST", `/users/me/emails/${added.body.emailId}/verify/confirm`, {
      token: user.accessToken,
      body: { code: codes[1] },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.isVerified).toBe(true);

    const primary = await api<EmailRecord>("PUT", `/users/me/emails/${added.body.emailId}/primary`, { token: user.accessToken });
    expect(primary.status).toBe(200);
    expect(primary.body.isPrimary).toBe(true);
    expect((await mailbox(user.email)).at(-1)).toMatchObject({ code: null });

    const list = await api<{ emails: EmailRecord[] }>("GET", "/users/me/emails", { token: user.accessToken });
    expect(list.body.emails.map((e) => [e.email, e.isPrimary])).toEqual([
      [second, true],
      [user.email, false],
    ]);

    const old = list.body.emails[1] as EmailRecord;
    expect((await api("DELETE", `/users/me/emails/${old.emailId}`, { token: user.accessToken })).status).toBe(204);
    const last = await api("DELETE", `/users/me/emails/${added.body.emailId}`, { token: user.accessToken });
    expect(last.status).toBe(400);
    expect(last.body.message).toBe("Cannot delete last email. Account must have at least one email.");
    expect((await api("DELETE", `/users/me/emails/${randomUUID()}`, { token: user.accessToken })).status).toBe(404);
  });

  it("an address verified by one account cannot be claimed or signed up with by another", async () => {
    const owner = await registerUser();
    const shared = uniqueEmail("shared");
    await addVerifiedEmail(owner, shared);
    const other = await registerUser();
    const taken = await api("POST", "/users/me/emails", { token: other.accessToken, body: { email: shared } });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe("Email address is not available");
    await expect(registerUser(shared)).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Email address is not available.",
    });
  });

  it("admin routes: 403 for others; get, find by email, suspend (writes 403) and reactivate", async () => {
    const target = await registerUser();
    const outsider = await registerUser();
    expect((await api("GET", `/admin/users/${target.userId}`, { token: outsider.accessToken })).status).toBe(403);

    const admin = await makeAdmin(await registerUser());
    const found = await api("GET", `/admin/users/${target.userId}`, { token: admin.accessToken });
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.body)).toContain(target.email);
    const byEmail = await api("GET", `/admin/users?email=${encodeURIComponent(target.email)}`, { token: admin.accessToken });
    expect(byEmail.status).toBe(200);
    expect(JSON.stringify(byEmail.body)).toContain(target.userId);

    const suspended = await api("POST", `/admin/users/${target.userId}/suspend`, { token: admin.accessToken, body: { reason: "e2e" } });
    expect(suspended.status).toBe(200);
    const write = await api("PUT", "/users/me", { token: target.accessToken, body: { firstName: "Eve" } });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe("Account is not active");

    const reactivated = await api("POST", `/admin/users/${target.userId}/reactivate`, { token: admin.accessToken });
    expect(reactivated.status).toBe(200);
    expect((await api("PUT", "/users/me", { token: target.accessToken, body: { firstName: "Eve" } })).status).toBe(200);
  });

  it("activity: the caller's changes newest first, paged with a signed cursor; the admin's view names the admin", async () => {
    const user = await registerUser();
    for (const firstName of ["Ann", "Bea"]) {
      expect((await api("PUT", "/users/me", { token: user.accessToken, body: { firstName } })).status).toBe(200);
    }
    type Page = { items: { type: string; actor: { type: string; userId?: string } }[]; nextCursor?: string };
    const first = await api<Page>("GET", "/users/me/activity?limit=2", { token: user.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.type)).toEqual(["user.updated", "user.updated"]);
    const rest = await api<Page>("GET", `/users/me/activity?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? "")}`, {
      token: user.accessToken,
    });
    expect(rest.body.items.map((i) => [i.type, i.actor.type])).toEqual([["user.created", "system"]]);
    expect(rest.body.nextCursor).toBeUndefined();
    const tampered = await api("GET", `/users/me/activity?cursor=${encodeURIComponent(`${first.body.nextCursor ?? ""}x`)}`, {
      token: user.accessToken,
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.message).toBe("Invalid cursor");
    expect((await api("GET", "/users/me/activity?limit=0", { token: user.accessToken })).status).toBe(400);

    expect((await api("GET", `/admin/users/${user.userId}/activity`, { token: user.accessToken })).status).toBe(403);
    const admin = await makeAdmin(await registerUser());
    await api("POST", `/admin/users/${user.userId}/suspend`, { token: admin.accessToken, body: { reason: "e2e" } });
    const seen = await api<Page>("GET", `/admin/users/${user.userId}/activity?limit=1`, { token: admin.accessToken });
    expect(seen.status).toBe(200);
    expect(seen.body.items).toEqual([expect.objectContaining({ type: "user.suspended", actor: { type: "admin", userId: admin.userId } })]);
  });

  it("export: the caller's data as an attachment, also after the account is deleted", async () => {
    const user = await registerUser();
    const exported = await api<{ profile: { userId: string }; emails: unknown[]; activity: unknown[] }>("GET", "/users/me/export", {
      token: user.accessToken,
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="user-export-${user.userId}.json"`);
    expect(exported.body.profile.userId).toBe(user.userId);
    expect(exported.body.emails).toHaveLength(1);
    expect(JSON.stringify(exported.body)).not.toMatch(/codeHash|PK|EMAILCLAIM/);

    expect((await api("DELETE", "/users/me", { token: user.accessToken })).status).toBe(200);
    const after = await api<{ profile: { status: string }; activity: { type: string }[] }>("GET", "/users/me/export", {
      token: user.accessToken,
    });
    expect(after.status).toBe(200);
    expect(after.body.profile.status).toBe("deleted");
    expect(after.body.activity[0]?.type).toBe("user.deleted");
  });

  it("DELETE /users/me is a soft delete, idempotent, and later writes are 403", async () => {
    const user = await registerUser();
    const deleted = await api("DELETE", "/users/me", { token: user.accessToken });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ message: expect.any(String), deletedAt: expect.any(String), purgeAt: expect.any(String) });
    // The grace period (DELETION_GRACE_DAYS, 30 by default) before the purge.
    expect(Date.parse(String(deleted.body.purgeAt)) - Date.parse(String(deleted.body.deletedAt))).toBe(30 * 86_400_000);
    expect((await api("DELETE", "/users/me", { token: user.accessToken })).body).toEqual(deleted.body);
    expect((await api("PUT", "/users/me", { token: user.accessToken, body: { firstName: "Gone" } })).status).toBe(403);
  });

  it("POST /admin/users/{userId}/purge erases the account; user.purged deletes the Cognito user; the address signs up again", async () => {
    const user = await registerUser();
    await addVerifiedEmail(user, uniqueEmail("second"));
    const admin = await makeAdmin(await registerUser());
    expect((await api("DELETE", "/users/me", { token: user.accessToken })).status).toBe(200);

    const purged = await api("POST", `/admin/users/${user.userId}/purge`, { token: admin.accessToken });
    expect(purged.status).toBe(200);
    expect(purged.body).toEqual({ message: "Account purged", purgedAt: expect.any(String) });
    expect((await api("GET", `/admin/users/${user.userId}`, { token: admin.accessToken })).status).toBe(404);

    // The Cognito-sync consumer deletes the Cognito user on user.purged: then the address is free in
    // the pool too, and signs up as a new user.
    const again = await eventually(() => registerUser(user.email).catch(() => undefined), 20_000);
    expect(again.userId).not.toBe(user.userId);
    const me = await api("GET", "/users/me", { token: again.accessToken });
    expect(me.body).toMatchObject({ userId: again.userId, email: user.email, status: "active" });
  });
});
