import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { setServices } from "../../src/composition/services.js";
import type { ProfileStore } from "../../src/ports/profileStore.js";
import { suspendUser } from "../../src/usecases/suspendUser.js";
import { api, type ApiCall } from "../support/apiClient.js";
import type { TestClaims } from "../support/apiEvent.js";
import { outboxEvents, parseEvent, readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/fixtures.js";

const RACE_MESSAGE = "Resource was modified. Please refresh and try again.";

describe("profile routes: /users/me", () => {
  let services: TestServices;
  let userId: string;
  let email: string;
  const me = ({ method, sub, claims, ...call }: Omit<ApiCall, "as"> & { method: "GET" | "PUT" | "DELETE"; sub?: string; claims?: Partial<TestClaims> }) =>
    api(`${method} /users/me`, { ...call, as: { sub: sub ?? userId, ...claims } });
  const stored = () => readItem(services, keys.profile(userId));

  beforeEach(async () => {
    services = await createTestServices();
    ({ userId, email } = await signUpUser(services));
  });

  describe("GET", () => {
    it.each([
      ["another app client of the pool", { client_id: "some-other-client" }],
      ["no client_id claim", { client_id: "" }],
    ])("is 401 for a token of %s: the authorizer does not check client_id, the wrapper does", async (_label, claims) => {
      const res = await me({ method: "GET", claims });
      expect(res.statusCode).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: "Unauthorized", requestId: expect.any(String) });
    });

    it("returns 200 with the profile and its ETag", async () => {
      const res = await me({ method: "GET" });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ userId, email, status: "active", version: 1 });
      expect(res.headers.ETag).toBe('"v1"');
    });

    it("is 404 in the error format when the profile is missing", async () => {
      const res = await me({ method: "GET", sub: randomUUID() });
      expect(res.statusCode).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: "Not Found", message: "User not found" });
      expect(res.body.requestId).toEqual(expect.any(String));
    });

    it("is 401 without authorizer claims", async () => {
      const res = await api("GET /users/me", {});
      expect(res.statusCode).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    });
  });

  describe("PUT", () => {
    it("updates, returns the new ETag and writes one user.updated carrying the correlation id", async () => {
      const res = await me({
        method: "PUT",
        body: { firstName: "José", lastName: "O'Brien-Núñez", phone: "+447700900123" },
        headers: { "X-Correlation-Id": "corr-put-1" },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ firstName: "José", lastName: "O'Brien-Núñez", phone: "+447700900123", version: 2 });
      expect(res.headers.ETag).toBe('"v2"');
      expect(res.headers["X-Correlation-Id"]).toBe("corr-put-1");
      expect(await stored()).toMatchObject({ firstName: "José", version: 2 });
      const updates = (await outboxEvents(services)).filter((e) => e.detailType === "user.updated");
      expect(updates).toHaveLength(1);
      expect(parseEvent("user.updated", updates[0]!)).toMatchObject({
        userId,
        changedFields: ["firstName", "lastName", "phone"],
        metadata: { correlationId: "corr-put-1", environment: "test" },
      });
    });

    it("clears the phone with null", async () => {
      await me({ method: "PUT", body: { phone: "+14155550123" } });
      const res = await me({ method: "PUT", body: { phone: null } });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toHaveProperty("phone");
      expect(await stored()).not.toHaveProperty("phone");
    });

    it("accepts the current ETag in If-Match and refuses a stale one with 412", async () => {
      const { headers } = await me({ method: "GET" });
      const ok = await me({ method: "PUT", body: { firstName: "First" }, headers: { "If-Match": headers.ETag! } });
      expect(ok.statusCode).toBe(200);
      const stale = await me({ method: "PUT", body: { firstName: "Second" }, headers: { "If-Match": headers.ETag! } });
      expect(stale.statusCode).toBe(412);
      expect(stale.body).toMatchObject({ statusCode: 412, error: "Precondition Failed" });
      expect(await stored()).toMatchObject({ firstName: "First", version: 2 });
    });

    it("lets exactly one of 10 parallel updates from the same version win; the other 9 get 409", async () => {
      // Every request must read version 1 before any writes, or a late reader would see version 2
      // and fail If-Match (412) instead of losing the write race. The barrier holds each real read
      // (DynamoDB Local answers it) until all ten have read; the writes then race for real.
      setServices({ ...services, profiles: withReadBarrier(services.profiles, 10) });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          me({ method: "PUT", body: { firstName: `Racer${"x".repeat(i)}` }, headers: { "If-Match": '"v1"' } }),
        ),
      );
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, ...Array(9).fill(409)]);
      for (const lost of results.filter((r) => r.statusCode === 409)) {
        expect(lost.body).toMatchObject({ statusCode: 409, error: "Conflict", message: RACE_MESSAGE });
      }
      const winner = results.find((r) => r.statusCode === 200)!;
      expect(await stored()).toMatchObject({ firstName: winner.body.firstName, version: 2 });
      expect((await outboxEvents(services)).filter((e) => e.detailType === "user.updated")).toHaveLength(1);
    });

    describe("bad input gives 4xx in the error format and leaves the profile untouched", () => {
      const cases: [string, string | object | undefined, number, string?][] = [
        ["no body", undefined, 400, "body"],
        ["an empty object", {}, 400, "body"],
        ["malformed JSON", '{"firstName": "Ann"', 400],
        ["a JSON array", [], 400, "body"],
        ["a wrong type", { firstName: 42 }, 400, "firstName"],
        ["a null name", { lastName: null }, 400, "lastName"],
        ["an unknown field", { firstName: "Ann", nickname: "A" }, 400, "nickname"],
        ["a userId in the body", { userId: "someone-else", firstName: "Ann" }, 400, "userId"],
        ["a __proto__ key", '{"__proto__": {"status": "active"}, "firstName": "Ann"}', 400, "__proto__"],
        ["a constructor key", { constructor: { prototype: {} }, firstName: "Ann" }, 400, "constructor"],
        ["digits in a name", { firstName: "R2D2" }, 400, "firstName"],
        ["an empty name", { firstName: "" }, 400, "firstName"],
        ["a blank name", { firstName: "   " }, 400, "firstName"],
        ["a 101-character name", { firstName: "a".repeat(101) }, 400, "firstName"],
        ["a phone without +", { phone: "4155550123" }, 400, "phone"],
        ["a phone with a leading 0", { phone: "+04155550123" }, 400, "phone"],
        ["a 16-digit phone", { phone: "+1234567890123456" }, 400, "phone"],
        ["a body over 10 KB", JSON.stringify({ firstName: "A", pad: "x".repeat(11 * 1024) }), 413],
      ];
      it.each(cases)("%s", async (_label, body, status, field) => {
        const before = await stored();
        const res = await me({ method: "PUT", ...(body !== undefined ? { body } : {}) });
        expect(res.statusCode).toBe(status);
        expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String), requestId: expect.any(String) });
        if (field) expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        expect(await stored()).toEqual(before);
        expect((await outboxEvents(services)).filter((e) => e.detailType === "user.updated")).toHaveLength(0);
      });
    });

    it("reports an unknown field as 'Unknown field'", async () => {
      const res = await me({ method: "PUT", body: { firstName: "Ann", role: "admin" } });
      expect(res.body.details).toEqual([{ field: "role", message: "Unknown field" }]);
    });
  });

  describe("account status", () => {
    it("refuses writes by a suspended user with 403 'Account is not active'; reading still works", async () => {
      await suspendUser(services)({ userId, actorId: "an-admin", reason: "abuse", correlationId: "c" });
      const put = await me({ method: "PUT", body: { firstName: "Nope" } });
      expect(put.statusCode).toBe(403);
      expect(put.body).toMatchObject({ statusCode: 403, error: "Forbidden", message: "Account is not active" });
      expect(await stored()).not.toHaveProperty("firstName");
      const get = await me({ method: "GET" });
      expect(get.statusCode).toBe(200);
      expect(get.body).toMatchObject({ status: "suspended" });
    });
  });

  describe("DELETE", () => {
    it("soft-deletes with 200 {message, deletedAt, purgeAt}, idempotently, and then refuses writes", async () => {
      const first = await me({ method: "DELETE", headers: { "X-Correlation-Id": "corr-del" } });
      expect(first.statusCode).toBe(200);
      expect(first.body).toEqual({ message: "Account deleted", deletedAt: expect.any(String), purgeAt: expect.any(String) });
      expect(Date.parse(String(first.body.purgeAt)) - Date.parse(String(first.body.deletedAt))).toBe(30 * 86_400_000);
      expect(await stored()).toMatchObject({ status: "deleted", deletedAt: first.body.deletedAt, purgeAt: first.body.purgeAt });

      const second = await me({ method: "DELETE" });
      expect(second.statusCode).toBe(200);
      expect(second.body).toEqual(first.body);

      const deletions = (await outboxEvents(services)).filter((e) => e.detailType === "user.deleted");
      expect(deletions).toHaveLength(1);
      expect(parseEvent("user.deleted", deletions[0]!)).toMatchObject({
        userId,
        deletedAt: first.body.deletedAt,
        metadata: { correlationId: "corr-del" },
      });

      const put = await me({ method: "PUT", body: { firstName: "Ghost" } });
      expect(put.statusCode).toBe(403);
      expect(put.body.message).toBe("Account is not active");
      expect((await me({ method: "GET" })).body).toMatchObject({ status: "deleted" });
    });

    it.each([
      ["a sign-in 16 minutes ago", { auth_time: Math.floor(Date.now() / 1000) - 16 * 60 }],
      ["no auth_time claim", { auth_time: "" }],
    ])("needs a recent sign-in: %s is 403 and deletes nothing", async (_label, claims) => {
      const res = await me({ method: "DELETE", claims });
      expect(res.statusCode).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: "Forbidden", message: "Recent sign-in required" });
      expect(await stored()).toMatchObject({ status: "active", version: 1 });
      expect((await outboxEvents(services)).filter((e) => e.detailType === "user.deleted")).toHaveLength(0);
    });

    it("accepts a sign-in 14 minutes ago", async () => {
      const res = await me({ method: "DELETE", claims: { auth_time: Math.floor(Date.now() / 1000) - 14 * 60 } });
      expect(res.statusCode).toBe(200);
    });

    it("is 401 without authorizer claims", async () => {
      const res = await api("DELETE /users/me", {});
      expect(res.statusCode).toBe(401);
      expect(await stored()).toMatchObject({ status: "active" });
    });
  });
});

/** The real store, with its first `parties` reads held until all of them have been answered. */
function withReadBarrier(store: ProfileStore, parties: number): ProfileStore {
  let arrived = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => (release = resolve));
  const barrier = async <T>(read: Promise<T>): Promise<T> => {
    const result = await read;
    if (++arrived === parties) release();
    if (arrived <= parties) await allRead;
    return result;
  };
  // A change reads through getForChange (the profile with its event sequence).
  return { ...store, get: (userId) => barrier(store.get(userId)), getForChange: (userId) => barrier(store.getForChange(userId)) };
}
