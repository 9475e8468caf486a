import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { deleteAccount } from "../../src/usecases/deleteAccount.js";
import { api } from "../support/apiClient.js";
import type { TestClaims } from "../support/apiEvent.js";
import { outboxEvents, parseEvent, readItem } from "../support/outbox.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/fixtures.js";
import { userActor } from "../../src/domain/activity.js";

describe("admin routes", () => {
  let services: TestServices;
  let target: { userId: string; email: string };
  let admin: TestClaims;
  const suspend = (userId: string, body?: string | object, headers?: Record<string, string>, as = admin) =>
    api("POST /admin/users/{userId}/suspend", { params: { userId }, as, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
  const reactivate = (userId: string, as = admin) => api("POST /admin/users/{userId}/reactivate", { params: { userId }, as });
  const getUser = (userId: string, as = admin) => api("GET /admin/users/{userId}", { params: { userId }, as });
  const findUsers = (query: Record<string, string> | undefined, as = admin) => api("GET /admin/users", { as, ...(query ? { query } : {}) });
  const stored = () => readItem(services, keys.profile(target.userId));
  const eventsOf = async (type: string) => (await outboxEvents(services)).filter((e) => e.detailType === type);

  beforeEach(async () => {
    services = await createTestServices();
    target = await signUpUser(services);
    admin = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
  });

  describe("non-admin callers get 403 on every admin route and change nothing", () => {
    const user: TestClaims = { sub: "plain-user", groups: ["users"] };
    it.each([
      ["GET /admin/users/{userId}", () => getUser(target.userId, user)],
      ["GET /admin/users?email=", () => findUsers({ email: target.email }, user)],
      ["POST suspend", () => suspend(target.userId, { reason: "x" }, undefined, user)],
      ["POST reactivate", () => reactivate(target.userId, user)],
      ["POST suspend without any group", () => suspend(target.userId, { reason: "x" }, undefined, { sub: "nobody" })],
    ])("%s", async (_label, call) => {
      const res = await call();
      expect(res.statusCode).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: "Forbidden", message: "Admin access required" });
      expect(await stored()).toMatchObject({ status: "active", version: 1 });
    });
  });

  describe("GET /admin/users/{userId}", () => {
    it("returns the profile and emails", async () => {
      const res = await getUser(target.userId);
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({
        profile: { userId: target.userId, email: target.email, status: "active" },
        emails: [{ email: target.email, isPrimary: true, isVerified: true }],
      });
    });

    it("is 404 for an unknown user", async () => {
      const res = await getUser(randomUUID());
      expect(res.statusCode).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: "User not found" });
    });
  });

  describe("GET /admin/users?email=", () => {
    it("is 404 for an address nobody holds", async () => {
      expect((await findUsers({ email: "nobody@example.com" })).statusCode).toBe(404);
    });

    it.each([
      ["missing", undefined],
      ["empty", { email: "" }],
      ["not an address", { email: "not-an-email" }],
    ])("is 400 when email is %s", async (_label, query) => {
      const res = await findUsers(query);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, details: [expect.objectContaining({ field: "email" })] });
    });
  });

  describe("POST /admin/users/{userId}/suspend and /reactivate", () => {
    it("suspends with one user.suspended; the user then cannot write but can read; reactivation restores writes", async () => {
      const res = await suspend(target.userId, { reason: "Payment fraud" }, { "X-Correlation-Id": "corr-suspend" });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ userId: target.userId, status: "suspended", suspendedReason: "Payment fraud" });
      expect(await stored()).toMatchObject({ status: "suspended", version: 2 });
      const suspended = await eventsOf("user.suspended");
      expect(suspended).toHaveLength(1);
      expect(parseEvent("user.suspended", suspended[0]!)).toMatchObject({
        userId: target.userId,
        reason: "Payment fraud",
        metadata: { correlationId: "corr-suspend" },
      });

      const own = { sub: target.userId };
      const write = await api("PUT /users/me", { as: own, body: { firstName: "Eve" } });
      expect(write.statusCode).toBe(403);
      expect(write.body.message).toBe("Account is not active");
      expect((await api("GET /users/me", { as: own })).statusCode).toBe(200);

      const back = await reactivate(target.userId);
      expect(back.statusCode).toBe(200);
      expect(back.body).toMatchObject({ status: "active", version: 3 });
      expect(back.body).not.toHaveProperty("suspendedReason");
      const reactivated = await eventsOf("user.reactivated");
      expect(reactivated).toHaveLength(1);
      expect(parseEvent("user.reactivated", reactivated[0]!)).toMatchObject({ userId: target.userId });
      const retry = await api("PUT /users/me", { as: own, body: { firstName: "Eve" } });
      expect(retry.statusCode).toBe(200);
    });

    it("refuses to suspend or reactivate a deleted account with 409", async () => {
      await deleteAccount(services)({ userId: target.userId, correlationId: "c", actor: userActor(target.userId) });
      for (const res of [await suspend(target.userId, { reason: "x" }), await reactivate(target.userId)]) {
        expect(res.statusCode).toBe(409);
        expect(res.body).toMatchObject({ statusCode: 409, message: "Account has been deleted" });
      }
      expect(await stored()).toMatchObject({ status: "deleted", version: 2 });
      expect(await eventsOf("user.suspended")).toHaveLength(0);
    });

    it("is 404 for an unknown user", async () => {
      expect((await suspend(randomUUID(), { reason: "x" })).statusCode).toBe(404);
      expect((await reactivate(randomUUID())).statusCode).toBe(404);
    });

    it.each([
      ["no body", undefined, "body"],
      ["no reason", {}, "reason"],
      ["an empty reason", { reason: "" }, "reason"],
      ["a blank reason", { reason: "   " }, "reason"],
      ["a 501-character reason", { reason: "r".repeat(501) }, "reason"],
      ["a reason of the wrong type", { reason: 7 }, "reason"],
      ["an unknown field", { reason: "ok", status: "active" }, "status"],
      ["malformed JSON", "{reason:", undefined],
    ])("refuses a suspension with %s (400) and leaves the account active", async (_label, body, field) => {
      const res = await suspend(target.userId, body);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
      if (field) expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await stored()).toMatchObject({ status: "active", version: 1 });
      expect(await eventsOf("user.suspended")).toHaveLength(0);
    });

    it("accepts a 500-character reason", async () => {
      expect((await suspend(target.userId, { reason: "r".repeat(500) })).statusCode).toBe(200);
    });

    it("honours Idempotency-Key: a retry gets the first answer and causes no second effect", async () => {
      const key = { "Idempotency-Key": `suspend-${randomUUID()}` };
      const first = await suspend(target.userId, { reason: "Chargeback" }, key);
      await reactivate(target.userId);
      const retry = await suspend(target.userId, { reason: "Chargeback" }, key);
      expect(retry.statusCode).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers["Idempotent-Replayed"]).toBe("true");
      expect(await stored()).toMatchObject({ status: "active" });
      expect(await eventsOf("user.suspended")).toHaveLength(1);

      const reused = await suspend(target.userId, { reason: "Something else" }, key);
      expect(reused.statusCode).toBe(422);
    });
  });

  describe("an admin's own account", () => {
    it("a suspended admin loses every admin route, though its token still says admins (403)", async () => {
      const other: TestClaims = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
      expect((await suspend(admin.sub, { reason: "Compromised" }, undefined, other)).statusCode).toBe(200);

      const calls = [
        () => reactivate(admin.sub),
        () => suspend(other.sub, { reason: "Revenge" }),
        () => reactivate(target.userId),
        () => getUser(target.userId),
        () => findUsers({ email: target.email }),
      ];
      for (const call of calls) {
        const res = await call();
        expect(res.statusCode).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: "Forbidden", message: "Account is not active" });
      }
      expect(await readItem(services, keys.profile(admin.sub))).toMatchObject({ status: "suspended" });
      expect(await readItem(services, keys.profile(other.sub))).toMatchObject({ status: "active" });
    });

    it("a deleted admin, or one without a profile, gets 403", async () => {
      await deleteAccount(services)({ userId: admin.sub, correlationId: "c", actor: userActor(admin.sub) });
      const ghost: TestClaims = { sub: randomUUID(), groups: ["admins"] };
      for (const claims of [admin, ghost]) {
        const res = await getUser(target.userId, claims);
        expect(res.statusCode).toBe(403);
        expect(res.body).toMatchObject({ message: "Account is not active" });
      }
    });

    it("no admin suspends or reactivates its own account (403)", async () => {
      for (const res of [await suspend(admin.sub, { reason: "Oops" }), await reactivate(admin.sub)]) {
        expect(res.statusCode).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, message: "Admins cannot change the status of their own account" });
      }
      expect(await readItem(services, keys.profile(admin.sub))).toMatchObject({ status: "active", version: 1 });
    });
  });
});
