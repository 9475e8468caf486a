import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { assertErrorBodyMatchesOpenApi } from "../support/openApiContract.js";
import { exchange } from "./exchange.js";
import { api, deployed, testUser, type EmailRecord, type SignedInUser } from "./stack.js";

/**
 * What must hold on every stage, so this file runs both locally (a fresh user) and against a
 * deployed stage (its standing test user). There nothing can be read back but the API, and the run
 * is repeated on every push: each test undoes what it did, and leftovers of a broken run are
 * removed first, so the user is left as it was found.
 */

// SES's mailbox simulator takes any +label, delivers nowhere and works from the SES sandbox too.
const SMOKE_PREFIX = "success+smoke-";
const SIMULATOR = "@simulator.amazonses.com";
const smokeAddress = () => `${SMOKE_PREFIX}${randomUUID().slice(0, 8)}${SIMULATOR}`;

const listEmails = async (token: string) => (await exchange<{ emails: EmailRecord[] }>(200, "GET", "/users/me/emails", { token })).body.emails;

describe(`smoke: the API on any stage (now ${deployed ? "a deployed one" : "the local stack"})`, () => {
  let user: SignedInUser;
  let token: string;

  beforeAll(async () => {
    user = await testUser();
    token = user.accessToken;
    for (const leftover of (await listEmails(token)).filter((e) => !e.isPrimary && e.email.startsWith(SMOKE_PREFIX))) {
      await exchange(204, "DELETE", `/users/me/emails/${leftover.emailId}`, { token });
    }
  });

  it("GET /users/me: the active caller's profile, an ETag, the correlation id echoed", async () => {
    const correlationId = `smoke-${randomUUID()}`;
    const me = await exchange(200, "GET", "/users/me", { token, headers: { "X-Correlation-Id": correlationId } });
    expect(me.body).toMatchObject({ userId: user.userId, email: user.email.toLowerCase(), status: "active" });
    expect(me.headers.get("etag")).toMatch(/.+/);
    expect(me.headers.get("x-correlation-id")).toBe(correlationId);
  });

  // The phone, not a name: a name cannot be cleared again, so only the phone can always be restored.
  it("PUT /users/me: If-Match is honoured and a stale one is 412; the phone is put back", async () => {
    const before = await exchange<{ phone?: string; version: number }>(200, "GET", "/users/me", { token });
    const etag = before.headers.get("etag") ?? "";
    const phone = before.body.phone === "+15555550100" ? "+15555550101" : "+15555550100";
    try {
      const updated = await exchange(200, "PUT", "/users/me", { token, headers: { "If-Match": etag }, body: { phone } });
      expect(updated.body).toMatchObject({ phone, version: before.body.version + 1 });
      const stale = await exchange(412, "PUT", "/users/me", { token, headers: { "If-Match": etag }, body: { phone: null } });
      expect(stale.body).toMatchObject({ statusCode: 412, requestId: expect.any(String) });
    } finally {
      await api("PUT", "/users/me", { token, body: { phone: before.body.phone ?? null } });
    }
    const after = await exchange(200, "GET", "/users/me", { token });
    expect(after.body.phone).toBe(before.body.phone);
  });

  it("GET /users/me/emails: the primary first", async () => {
    const emails = await listEmails(token);
    expect(emails[0]).toMatchObject({ email: user.email.toLowerCase(), isPrimary: true, isVerified: true });
    expect(emails.filter((e) => e.isPrimary)).toHaveLength(1);
  });

  it("POST then DELETE /users/me/emails: 201 unverified, 204, and the list is as before", async () => {
    const before = await listEmails(token);
    const email = smokeAddress();
    const added = await exchange<EmailRecord>(201, "POST", "/users/me/emails", { token, body: { email } });
    try {
      expect(added.body).toMatchObject({ email, isPrimary: false, isVerified: false });
      expect((await listEmails(token)).map((e) => e.email)).toContain(email);
    } finally {
      await exchange(204, "DELETE", `/users/me/emails/${added.body.emailId}`, { token });
    }
    expect(await listEmails(token)).toEqual(before);
  });

  it("400 with details for an invalid body", async () => {
    const invalid = await exchange(400, "POST", "/users/me/emails", { token, body: { email: "not-an-address" } });
    expect(invalid.body).toMatchObject({ statusCode: 400, error: "Bad Request", details: [expect.objectContaining({ field: "email" })] });
    const unknown = await exchange(400, "PUT", "/users/me", { token, body: { role: "admin" } });
    expect(unknown.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]));
  });

  it.each([
    ["no token", () => undefined],
    ["a garbage token", () => "not-a-jwt"],
    ["an ID token", () => user.idToken],
  ])("401 in the error body for %s", async (_label, tokenOf) => {
    const response = await exchange(401, "GET", "/users/me", { token: tokenOf() ?? "" });
    expect(response.body).toEqual({ statusCode: 401, error: "Unauthorized", message: expect.any(String), requestId: expect.any(String) });
  });

  it("an unknown route gets the error body too", async () => {
    const response = await api("GET", `/no-such-route-${randomUUID().slice(0, 8)}`, { token });
    expect(response.status).toBe(404);
    assertErrorBodyMatchesOpenApi({ method: "GET", path: "/no-such-route", status: response.status, body: response.body });
    expect(response.body).toMatchObject({ statusCode: 404, error: "Not Found", requestId: expect.any(String) });
  });
});
