import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { EVENT_TYPES } from "../../src/domain/events.js";
import { assertValidEvent } from "../support/eventSchemas.js";
import { assertErrorBodyMatchesOpenApi, assertMatchesOpenApi } from "../support/openApiContract.js";
import {
  api,
  deployed,
  getJson,
  mailbox,
  makeAdmin,
  registerUser,
  uniqueEmail,
  type ApiResponse,
  type EmailRecord,
  type SignedInUser,
} from "./stack.js";
import { exchange } from "./exchange.js";
import { claimsOf, cognitoLocalPrivateKey, signRs256 } from "./tokens.js";

const latestCode = async (address: string) => (await mailbox(address)).at(-1)?.code ?? "";
const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");
const detailsOf = (response: ApiResponse) => response.body.details as { field: string; message: string }[] | undefined;

async function addVerifiedEmail(user: SignedInUser, email: string): Promise<EmailRecord> {
  const added = await exchange<EmailRecord>(201, "POST", "/users/me/emails", { token: user.accessToken, body: { email } });
  const path = `/users/me/emails/${added.body.emailId}/verify/confirm`;
  return (await exchange<EmailRecord>(200, "POST", path, { token: user.accessToken, body: { code: await latestCode(email) } })).body;
}

describe.skipIf(deployed)("responses match docs/openapi.yaml", () => {
  it("profile: read, update, If-Match, validation, size, authorisation", async () => {
    const user = await registerUser();
    const token = user.accessToken;
    const me = await exchange(200, "GET", "/users/me", { token });
    const etag = me.headers.get("etag") ?? "";

    await exchange(200, "PUT", "/users/me", { token, headers: { "If-Match": etag }, body: { firstName: "Ada", phone: "+441234567890" } });
    await exchange(200, "PUT", "/users/me", { token, body: { phone: null } });
    await exchange(412, "PUT", "/users/me", { token, headers: { "If-Match": etag }, body: { lastName: "Lovelace" } });

    const unknown = await exchange(400, "PUT", "/users/me", { token, body: { role: "admin" } });
    expect(detailsOf(unknown)?.length).toBeGreaterThan(0);
    const invalid = await exchange(400, "PUT", "/users/me", { token, body: { phone: "12345" } });
    expect(detailsOf(invalid)).toEqual([expect.objectContaining({ field: "phone" })]);
    await exchange(400, "PUT", "/users/me", { token, body: {} });
    await exchange(400, "PUT", "/users/me", { token, body: "{not json" });
    await exchange(413, "PUT", "/users/me", { token, body: { firstName: "x".repeat(11 * 1024) } });

    await exchange(401, "GET", "/users/me");
    await exchange(401, "GET", "/users/me", { token: user.idToken });
    await exchange(401, "PUT", "/users/me", { token: "not-a-token", body: { firstName: "Eve" } });

    // Racing writes without If-Match: each one either wins or gets the documented 409.
    const racing = await Promise.all(
      ["Ann", "Bea", "Cat", "Dot"].map((firstName) => api("PUT", "/users/me", { token, body: { firstName } })),
    );
    for (const response of racing) {
      expect([200, 409]).toContain(response.status);
      assertMatchesOpenApi({ method: "PUT", path: "/users/me", status: response.status, body: response.body, headers: response.headers });
    }
  });

  it("emails: add, list, verify, confirm, primary, remove, and their documented errors", async () => {
    const user = await registerUser();
    const token = user.accessToken;
    const second = uniqueEmail("second");
    const added = await exchange<EmailRecord>(201, "POST", "/users/me/emails", { token, body: { email: second } });
    const base = `/users/me/emails/${added.body.emailId}`;
    await exchange(200, "GET", "/users/me/emails", { token });

    const badAddress = await exchange(400, "POST", "/users/me/emails", { token, body: { email: "not-an-address" } });
    expect(detailsOf(badAddress)).toEqual([expect.objectContaining({ field: "email" })]);
    await exchange(409, "POST", "/users/me/emails", { token, body: { email: user.email } });
    await exchange(413, "POST", "/users/me/emails", { token, body: { email: `${"a".repeat(11 * 1024)}@example.com` } });
    await exchange(401, "POST", "/users/me/emails", { body: { email: uniqueEmail() } });

    await exchange(400, "PUT", `${base}/primary`, { token });
    // The code sent on add counts as the first of three per hour.
    await exchange(200, "POST", `${base}/verify`, { token });
    await exchange(200, "POST", `${base}/verify`, { token });
    const limited = await exchange(429, "POST", `${base}/verify`, { token });
    expect(limited.body.retryAfter).toEqual(expect.any(Number));

    const code = await latestCode(second);
    await exchange(400, "POST", `${base}/verify/confirm`, { token, body: { code: wrongCode(code) } });
    await exchange(400, "POST", `${base}/verify/confirm`, { token, body: { code: "12" } });
    await exchange(200, "POST", `${base}/verify/confirm`, { token, body: { code } });
    await exchange(400, "POST", `${base}/verify/confirm`, { token, body: { code } });
    await exchange(400, "POST", `${base}/verify`, { token });

    const stale = signRs256({ ...claimsOf(token), auth_time: Math.floor(Date.now() / 1000) - 3600 }, cognitoLocalPrivateKey());
    const notRecent = await exchange(403, "PUT", `${base}/primary`, { token: stale });
    expect(notRecent.body.message).toBe("Recent sign-in required");
    await exchange(200, "PUT", `${base}/primary`, { token });
    await exchange(400, "DELETE", base, { token });

    const list = await exchange<{ emails: EmailRecord[] }>(200, "GET", "/users/me/emails", { token });
    const old = list.body.emails.find((e) => !e.isPrimary) as EmailRecord;
    await exchange(204, "DELETE", `/users/me/emails/${old.emailId}`, { token });
    await exchange(400, "DELETE", base, { token });

    const big = "x".repeat(11 * 1024);
    await exchange(413, "POST", `${base}/verify`, { token, body: { padding: big } });
    await exchange(413, "POST", `${base}/verify/confirm`, { token, body: { code: big } });
    await exchange(400, "POST", `${base}/verify`, { token, body: { unexpected: true } });
    await exchange(400, "POST", `${base}/verify/confirm`, { token, body: "{not json" });

    const missing = `/users/me/emails/${randomUUID()}`;
    await exchange(404, "DELETE", missing, { token });
    await exchange(404, "POST", `${missing}/verify`, { token });
    await exchange(404, "POST", `${missing}/verify/confirm`, { token, body: { code: "123456" } });
    await exchange(404, "PUT", `${missing}/primary`, { token });
  });

  it("a code dies after five wrong confirmations (429)", async () => {
    const user = await registerUser();
    const address = uniqueEmail("wrong");
    const added = await exchange<EmailRecord>(201, "POST", "/users/me/emails", { token: user.accessToken, body: { email: address } });
    const path = `/users/me/emails/${added.body.emailId}/verify/confirm`;
    const wrong = { token: user.accessToken, body: { code: wrongCode(await latestCode(address)) } };
    for (let attempt = 1; attempt <= 5; attempt++) await exchange(400, "POST", path, wrong);
    await exchange(429, "POST", path, wrong);
  });

  it("Idempotency-Key: a replay gets the first answer, another body with the key is 422", async () => {
    const user = await registerUser();
    const key = { "Idempotency-Key": randomUUID() };
    const body = { email: uniqueEmail("idem") };
    const first = await exchange(201, "POST", "/users/me/emails", { token: user.accessToken, headers: key, body });
    const replay = await exchange(201, "POST", "/users/me/emails", { token: user.accessToken, headers: key, body });
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    await exchange(422, "POST", "/users/me/emails", { token: user.accessToken, headers: key, body: { email: uniqueEmail("other") } });
    await exchange(400, "POST", "/users/me/emails", { token: user.accessToken, headers: { "Idempotency-Key": "" }, body });
  });

  it("adding: a sixth address is 429; so is a fourth code for one address within the hour, with the limit headers", async () => {
    const user = await registerUser();
    const token = user.accessToken;
    for (let n = 2; n <= 5; n++) await exchange(201, "POST", "/users/me/emails", { token, body: { email: uniqueEmail() } });
    const full = await exchange(429, "POST", "/users/me/emails", { token, body: { email: uniqueEmail() } });
    expect(full.body.message).toBe("Maximum of 5 email addresses reached");

    const other = await registerUser();
    const address = uniqueEmail("again");
    for (let send = 1; send <= 3; send++) {
      const added = await exchange<EmailRecord>(201, "POST", "/users/me/emails", { token: other.accessToken, body: { email: address } });
      expect(added.headers.get("x-ratelimit-remaining")).toBe(String(3 - send));
      await exchange(204, "DELETE", `/users/me/emails/${added.body.emailId}`, { token: other.accessToken });
    }
    const limited = await exchange(429, "POST", "/users/me/emails", { token: other.accessToken, body: { email: address } });
    expect(limited.headers.get("retry-after")).toBe(String(limited.body.retryAfter));
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("admin routes, 403 for others, and a suspended account's writes are 403", async () => {
    const target = await registerUser();
    const outsider = await registerUser();
    const { userId } = target;
    await exchange(403, "GET", `/admin/users/${userId}`, { token: outsider.accessToken });
    await exchange(403, "GET", `/admin/users?email=${encodeURIComponent(target.email)}`, { token: outsider.accessToken });
    await exchange(403, "POST", `/admin/users/${userId}/suspend`, { token: outsider.accessToken, body: { reason: "no" } });
    await exchange(403, "POST", `/admin/users/${userId}/reactivate`, { token: outsider.accessToken });
    await exchange(401, "GET", `/admin/users/${userId}`);

    const token = (await makeAdmin(await registerUser())).accessToken;
    await exchange(200, "GET", `/admin/users/${userId}`, { token });
    await exchange(404, "GET", `/admin/users/${randomUUID()}`, { token });
    await exchange(200, "GET", `/admin/users?email=${encodeURIComponent(target.email)}`, { token });
    await exchange(404, "GET", `/admin/users?email=${encodeURIComponent(uniqueEmail("nobody"))}`, { token });
    await exchange(400, "GET", "/admin/users?email=nope", { token });
    await exchange(400, "GET", "/admin/users", { token });

    await exchange(400, "GET", `/admin/users/${"u".repeat(129)}`, { token });
    await exchange(400, "POST", `/admin/users/${userId}/suspend`, { token, body: { reason: "" } });
    await exchange(413, "POST", `/admin/users/${userId}/suspend`, { token, body: { reason: "x".repeat(11 * 1024) } });
    await exchange(400, "POST", `/admin/users/${userId}/reactivate`, { token, body: { reason: "why" } });
    await exchange(413, "POST", `/admin/users/${userId}/reactivate`, { token, body: { padding: "x".repeat(11 * 1024) } });
    await exchange(404, "POST", `/admin/users/${randomUUID()}/suspend`, { token, body: { reason: "e2e" } });
    // The listing (SPEC 12.8): from a GSI, so in AWS a change shows a moment later.
    const listedIn = async (status: string, present: boolean) => {
      for (let attempt = 0; ; attempt += 1) {
        const page = await exchange<{ items: { userId: string; purgeAt?: string }[] }>(200, "GET", `/admin/users?status=${status}&limit=100`, { token });
        const item = page.body.items.find((listed) => listed.userId === userId);
        if (Boolean(item) === present || attempt >= 20) return item;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    await exchange(403, "GET", "/admin/users?status=suspended", { token: outsider.accessToken });
    await exchange(400, "GET", `/admin/users?status=suspended&email=${encodeURIComponent(target.email)}`, { token });
    await exchange(400, "GET", "/admin/users?status=active", { token });
    await exchange(400, "GET", "/admin/users?status=suspended&cursor=forged.cursor", { token });
    await exchange(200, "POST", `/admin/users/${userId}/suspend`, { token, body: { reason: "e2e" } });
    expect(await listedIn("suspended", true)).toMatchObject({ userId, email: target.email, status: "suspended" });
    const inactive = await exchange(403, "PUT", "/users/me", { token: target.accessToken, body: { firstName: "Eve" } });
    expect(inactive.body.message).toBe("Account is not active");
    await exchange(403, "POST", "/users/me/emails", { token: target.accessToken, body: { email: uniqueEmail() } });
    await exchange(200, "POST", `/admin/users/${userId}/reactivate`, { token });
    expect(await listedIn("suspended", false)).toBeUndefined();
    await exchange(404, "POST", `/admin/users/${randomUUID()}/reactivate`, { token });

    await exchange(200, "DELETE", "/users/me", { token: target.accessToken });
    expect(await listedIn("deleted", true)).toMatchObject({ userId, status: "deleted", purgeAt: expect.any(String) });
    await exchange(200, "DELETE", "/users/me", { token: target.accessToken });
    await exchange(409, "POST", `/admin/users/${userId}/suspend`, { token, body: { reason: "gone" } });
    await exchange(409, "POST", `/admin/users/${userId}/reactivate`, { token });

    // Purge (SPEC 12.2): the admin erases the deleted account at once; then it is gone.
    await exchange(403, "POST", `/admin/users/${userId}/purge`, { token: outsider.accessToken });
    await exchange(401, "POST", `/admin/users/${userId}/purge`);
    await exchange(400, "POST", `/admin/users/${userId}/purge`, { token, body: { now: true } });
    const purged = await exchange<{ purgedAt: string }>(200, "POST", `/admin/users/${userId}/purge`, { token });
    expect(purged.body).toEqual({ message: "Account purged", purgedAt: expect.any(String) });
    await exchange(404, "GET", `/admin/users/${userId}`, { token });
    expect(await listedIn("deleted", false)).toBeUndefined();
    await exchange(404, "POST", `/admin/users/${userId}/purge`, { token });
  });

  it("activity and export: pages, cursors, limits, admin view, the download, and their documented errors", async () => {
    const user = await registerUser();
    const token = user.accessToken;
    await exchange(200, "PUT", "/users/me", { token, body: { firstName: "Ada" } });
    await addVerifiedEmail(user, uniqueEmail("trail"));

    const first = await exchange<{ nextCursor?: string }>(200, "GET", "/users/me/activity?limit=2", { token });
    const cursor = encodeURIComponent(first.body.nextCursor ?? "");
    await exchange(200, "GET", `/users/me/activity?limit=100&cursor=${cursor}`, { token });
    await exchange(200, "GET", "/users/me/activity", { token });
    for (const limit of ["0", "101", "x"]) {
      const refused = await exchange(400, "GET", `/users/me/activity?limit=${limit}`, { token });
      expect(detailsOf(refused)).toEqual([expect.objectContaining({ field: "limit" })]);
    }
    const tampered = await exchange(400, "GET", `/users/me/activity?cursor=${cursor.slice(0, -2)}`, { token });
    expect(tampered.body.message).toBe("Invalid cursor");
    await exchange(401, "GET", "/users/me/activity");

    const admin = (await makeAdmin(await registerUser())).accessToken;
    await exchange(200, "GET", `/admin/users/${user.userId}/activity?limit=1`, { token: admin });
    await exchange(400, "GET", `/admin/users/${user.userId}/activity?limit=500`, { token: admin });
    await exchange(400, "GET", `/admin/users/${user.userId}/activity?cursor=${cursor}x`, { token: admin });
    await exchange(403, "GET", `/admin/users/${user.userId}/activity`, { token });
    await exchange(401, "GET", `/admin/users/${user.userId}/activity`);

    const exported = await exchange(200, "GET", "/users/me/export", { token });
    expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="user-export-${user.userId}.json"`);
    await exchange(401, "GET", "/users/me/export");
    await exchange(200, "DELETE", "/users/me", { token });
    await exchange(200, "GET", "/users/me/export", { token });
  });

  it("unknown routes and methods get the Error body", async () => {
    const user = await registerUser();
    const unknownPath = await api("GET", "/users/you", { token: user.accessToken });
    expect(unknownPath.status).toBe(404);
    assertErrorBodyMatchesOpenApi({ method: "GET", path: "/users/you", status: unknownPath.status, body: unknownPath.body });
    const unknownMethod = await api("PATCH", "/users/me", { token: user.accessToken, body: { firstName: "Ada" } });
    expect(unknownMethod.status).toBe(405);
    assertErrorBodyMatchesOpenApi({ method: "PATCH", path: "/users/me", status: unknownMethod.status, body: unknownMethod.body });
  });
});

interface TargetEvent {
  "detail-type": string;
  detail: { userId?: string; eventId?: string; sequence?: number };
}

const TARGET_EVENT_KEYS = ["account", "detail", "detail-type", "id", "region", "resources", "source", "time", "version"];

describe.skipIf(deployed)("published events match the committed JSON Schemas", () => {
  it("every event the stack published validates, in the EventBridge target shape, and every type occurs", async () => {
    const user = await registerUser();
    const token = user.accessToken;
    await exchange(200, "PUT", "/users/me", { token, body: { lastName: "Hopper" } });
    const next = await addVerifiedEmail(user, uniqueEmail("next"));
    await exchange(200, "PUT", `/users/me/emails/${next.emailId}/primary`, { token });
    const list = await exchange<{ emails: EmailRecord[] }>(200, "GET", "/users/me/emails", { token });
    await exchange(204, "DELETE", `/users/me/emails/${list.body.emails[1]?.emailId ?? ""}`, { token });
    const admin = await makeAdmin(await registerUser());
    await exchange(200, "POST", `/admin/users/${user.userId}/suspend`, { token: admin.accessToken, body: { reason: "contract" } });
    await exchange(200, "POST", `/admin/users/${user.userId}/reactivate`, { token: admin.accessToken });
    await exchange(200, "DELETE", "/users/me", { token });
    // The restore link from the deletion notice (SPEC 12.1): the public route's answers, 200 then 400.
    const restoreLink = (await mailbox(next.email)).filter((m) => m.subject === "Your account was deleted").at(-1)?.link ?? "";
    const restoreToken = restoreLink.split("#restore=")[1] ?? "";
    await exchange(200, "POST", "/account/restore", { body: { token: restoreToken } });
    await exchange(400, "POST", "/account/restore", { body: { token: restoreToken } });
    await exchange(400, "POST", "/account/revert", { body: {} });
    await exchange(200, "POST", `/admin/users/${user.userId}/purge`, { token: admin.accessToken });

    const events = await vi.waitFor(
      async () => {
        const all = (await getJson<{ events: TargetEvent[] }>("/_local/events")).events;
        const types = new Set(all.filter((e) => e.detail.userId === user.userId).map((e) => e["detail-type"]));
        expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
        return all;
      },
      { timeout: 15_000, interval: 200 },
    );

    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(TARGET_EVENT_KEYS);
      expect(event).toMatchObject({
        version: "0",
        id: expect.any(String),
        source: "user-service",
        account: expect.stringMatching(/^\d{12}$/),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        region: expect.any(String),
        resources: expect.any(Array),
      });
      assertValidEvent(event["detail-type"], event.detail);
    }
    expect(new Set(events.map((e) => e["detail-type"]))).toEqual(new Set(EVENT_TYPES));
    // SPEC 12.7 through the relay and the bus: the user's events (each once, by eventId) are
    // numbered exactly 1..n, user.created first and user.purged last.
    const ofUser = [...new Map(events.filter((e) => e.detail.userId === user.userId).map((e) => [e.detail.eventId, e])).values()].sort(
      (a, b) => Number(a.detail.sequence) - Number(b.detail.sequence),
    );
    expect(ofUser.map((e) => e.detail.sequence)).toEqual(ofUser.map((_, i) => i + 1));
    expect([ofUser.at(0)?.["detail-type"], ofUser.at(-1)?.["detail-type"]]).toEqual(["user.created", "user.purged"]);
  });
});
