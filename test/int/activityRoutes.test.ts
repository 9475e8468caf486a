import { beforeEach, describe, expect, it } from "vitest";
import { api } from "../support/apiClient.js";
import type { TestClaims } from "../support/apiEvent.js";
import { createTestServices, type TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/fixtures.js";

interface Page {
  items: { activityId: string; type: string; occurredAt: string; actor: Record<string, unknown>; details: Record<string, unknown>; correlationId: string }[];
  nextCursor?: string;
}

describe("activity routes", () => {
  let services: TestServices;
  let alice: { userId: string; email: string };
  let admin: TestClaims;

  const mine = (as: TestClaims, query?: Record<string, string>) => api<Page>("GET /users/me/activity", { as, ...(query ? { query } : {}) });
  const theirs = (userId: string, as: TestClaims, query?: Record<string, string>) =>
    api<Page>("GET /admin/users/{userId}/activity", { params: { userId }, as, ...(query ? { query } : {}) });
  const rename = async (firstName: string) => {
    const res = await api("PUT /users/me", { as: { sub: alice.userId }, body: { firstName } });
    expect(res.statusCode).toBe(200);
  };

  beforeEach(async () => {
    services = await createTestServices();
    alice = await signUpUser(services);
    admin = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
  });

  describe("GET /users/me/activity", () => {
    it("lists the caller's changes newest first with who made them, and pages with nextCursor", async () => {
      await rename("Ann");
      await rename("Anna");
      await rename("Anne");

      const first = await mine({ sub: alice.userId }, { limit: "2" });
      expect(first.statusCode).toBe(200);
      expect(first.body.items.map((i) => i.type)).toEqual(["user.updated", "user.updated"]);
      expect(first.body.items[0]).toMatchObject({
        actor: { type: "user", userId: alice.userId },
        details: { changedFields: ["firstName"] },
        activityId: expect.any(String),
        correlationId: expect.any(String),
      });
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const second = await mine({ sub: alice.userId }, { limit: "2", cursor: first.body.nextCursor! });
      expect(second.statusCode).toBe(200);
      expect(second.body.items.map((i) => i.type)).toEqual(["user.updated", "user.created"]);
      expect(second.body.items[1]).toMatchObject({ actor: { type: "system" }, details: { email: alice.email } });
      expect(second.body).not.toHaveProperty("nextCursor");
      const ids = [...first.body.items, ...second.body.items].map((i) => i.activityId);
      expect(new Set(ids).size).toBe(4);
    });

    it.each([["0"], ["101"], ["-1"], ["abc"], ["1.5"], [""], ["1e2"]])("is 400 with details for limit=%s", async (limit) => {
      const res = await mine({ sub: alice.userId }, { limit });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        message: "Request validation failed",
        details: [{ field: "limit", message: "Must be a whole number from 1 to 100" }],
      });
    });

    it("accepts limit=1 and limit=100", async () => {
      expect((await mine({ sub: alice.userId }, { limit: "1" })).statusCode).toBe(200);
      expect((await mine({ sub: alice.userId }, { limit: "100" })).statusCode).toBe(200);
    });

    it("is 400 \"Invalid cursor\" for a tampered, truncated or foreign cursor", async () => {
      await rename("Ann");
      const bob = await signUpUser(services);
      const cursor = (await mine({ sub: alice.userId }, { limit: "1" })).body.nextCursor!;
      const renamed = await api("PUT /users/me", { as: { sub: bob.userId }, body: { lastName: "Bee" } });
      expect(renamed.statusCode).toBe(200);
      const foreign = (await mine({ sub: bob.userId }, { limit: "1" })).body.nextCursor!;
      expect(foreign).toEqual(expect.any(String));

      const tampered = `${cursor.slice(0, 4)}${cursor[4] === "Q" ? "R" : "Q"}${cursor.slice(5)}`;
      for (const bad of [tampered, cursor.slice(0, -3), foreign, "garbage", "", "a".repeat(600)]) {
        const res = await mine({ sub: alice.userId }, { cursor: bad });
        expect(res.statusCode).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: "Bad Request", message: "Invalid cursor", details: [{ field: "cursor" }] });
      }
      expect((await mine({ sub: alice.userId }, { cursor })).statusCode).toBe(200);
    });

  });

  describe("GET /admin/users/{userId}/activity", () => {
    it("names the admin as the actor of a suspension and a reactivation, with the reason", async () => {
      const params = { userId: alice.userId };
      const suspended = await api("POST /admin/users/{userId}/suspend", {
        params,
        as: admin,
        body: { reason: "Chargeback" },
        headers: { "X-Correlation-Id": "corr-suspend" },
      });
      expect(suspended.statusCode).toBe(200);
      const reactivated = await api("POST /admin/users/{userId}/reactivate", { params, as: admin });
      expect(reactivated.statusCode).toBe(200);

      const res = await theirs(alice.userId, admin);
      expect(res.statusCode).toBe(200);
      const byAdmin = { type: "admin", userId: admin.sub };
      expect(res.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({ type: "user.reactivated", actor: byAdmin, details: {} }),
        expect.objectContaining({ type: "user.suspended", actor: byAdmin, details: { reason: "Chargeback" }, correlationId: "corr-suspend" }),
      ]);
      // The user sees the same trail, admin named.
      const own = await mine({ sub: alice.userId });
      expect(own.body.items.slice(0, 2).map((i) => i.actor)).toEqual([byAdmin, byAdmin]);
    });

    it("pages another user's trail with its own cursor, bound to that user", async () => {
      await rename("Ann");
      await rename("Anna");
      const first = await theirs(alice.userId, admin, { limit: "2" });
      expect(first.body.items).toHaveLength(2);
      const rest = await theirs(alice.userId, admin, { limit: "2", cursor: first.body.nextCursor! });
      expect(rest.statusCode).toBe(200);
      expect(rest.body.items.map((i) => i.type)).toEqual(["user.created"]);
      // The cursor of alice's listing does not page the admin's own.
      const wrong = await theirs(admin.sub, admin, { cursor: first.body.nextCursor! });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toMatchObject({ message: "Invalid cursor" });
    });

    it("validates limit as the user's route does", async () => {
      const res = await theirs(alice.userId, admin, { limit: "500" });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({ details: [{ field: "limit" }] });
    });

    it.each([
      ["a user outside the admins group", { sub: "plain-user", groups: ["users"] }],
      ["a user with no group", { sub: "nobody" }],
    ])("is 403 for %s", async (_label, claims) => {
      const res = await theirs(alice.userId, claims);
      expect(res.statusCode).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: "Admin access required" });
      expect(res.body).not.toHaveProperty("items");
    });
  });
});
