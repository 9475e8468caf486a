import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { userActor } from "../../src/domain/activity.js";
import { deleteAccount } from "../../src/usecases/deleteAccount.js";
import { api } from "../support/apiClient.js";
import type { TestClaims } from "../support/apiEvent.js";
import { ManualClock, signUpUser } from "../support/fixtures.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

interface Listed {
  userId: string;
  email: string;
  status: string;
  updatedAt: string;
  purgeAt?: string;
}
interface Listing {
  items: Listed[];
  nextCursor?: string;
}

describe("GET /admin/users?status= (the admin listing)", () => {
  let services: TestServices;
  let clock: ManualClock;
  let admin: TestClaims;

  const list = (query: Record<string, string>, as = admin) => api<Listing>("GET /admin/users", { as, query });
  const post = (action: "suspend" | "reactivate" | "purge", userId: string, body?: object) =>
    api(`POST /admin/users/{userId}/${action}`, { params: { userId }, as: admin, headers: { "Idempotency-Key": randomUUID() }, ...(body ? { body } : {}) });
  const suspend = async (userId: string) => {
    clock.advance(60);
    expect((await post("suspend", userId, { reason: "spam" })).statusCode).toBe(200);
  };
  /** Every page of a listing, following nextCursor. */
  const allPages = async (status: string, limit: number) => {
    const pages: Listing[] = [];
    let cursor: string | undefined;
    do {
      const res = await list({ status, limit: String(limit), ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor);
    return pages;
  };

  beforeEach(async () => {
    clock = new ManualClock(new Date("2030-03-01T00:00:00.000Z"));
    services = await createTestServices({ clock });
    admin = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
  });

  it("pages suspended accounts newest first over more than one page; reactivated ones leave the list", async () => {
    const users = [];
    for (let i = 0; i < 5; i += 1) users.push(await signUpUser(services));
    await signUpUser(services); // active: never listed
    for (const user of users) await suspend(user.userId);

    const pages = await allPages("suspended", 2);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    const listed = pages.flatMap((page) => page.items);
    expect(listed.map((item) => item.userId)).toEqual(users.map((user) => user.userId).reverse());
    expect(listed[0]).toEqual({ userId: users[4]!.userId, email: users[4]!.email, status: "suspended", updatedAt: expect.any(String) });
    expect(listed.map((item) => item.updatedAt)).toEqual([...listed.map((item) => item.updatedAt)].sort().reverse());

    expect((await post("reactivate", users[4]!.userId)).statusCode).toBe(200);
    expect((await post("reactivate", users[1]!.userId)).statusCode).toBe(200);
    const after = await list({ status: "suspended" });
    expect(after.body.items.map((item) => item.userId)).toEqual([users[3]!.userId, users[2]!.userId, users[0]!.userId]);
    expect(after.body).not.toHaveProperty("nextCursor");
  });

  it("lists deleted accounts with purgeAt, latest purge first; a purged account is gone", async () => {
    const first = await signUpUser(services);
    const second = await signUpUser(services);
    await deleteAccount(services)({ userId: first.userId, correlationId: "c", actor: userActor(first.userId) });
    clock.advance(3600);
    const { purgeAt } = await deleteAccount(services)({ userId: second.userId, correlationId: "c", actor: userActor(second.userId) });

    const res = await list({ status: "deleted" });
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((item) => item.userId)).toEqual([second.userId, first.userId]);
    expect(res.body.items[0]).toEqual({ userId: second.userId, email: second.email, status: "deleted", updatedAt: expect.any(String), purgeAt });
    expect(await list({ status: "suspended" })).toMatchObject({ statusCode: 200, body: { items: [] } });

    expect((await post("purge", second.userId)).statusCode).toBe(200);
    expect((await list({ status: "deleted" })).body.items.map((item) => item.userId)).toEqual([first.userId]);
  });

  it("is 403 for a caller outside admins", async () => {
    const user = await signUpUser(services);
    const res = await list({ status: "suspended" }, { sub: user.userId, groups: ["users"] });
    expect(res.statusCode).toBe(403);
  });

  describe("400s", () => {
    it.each([
      [{ status: "active" }, "status", "Must be suspended or deleted"],
      [{ status: "" }, "status", "Must be suspended or deleted"],
      [{ status: "suspended", email: "a@example.com" }, "status", "Give either email or status, not both"],
      [{ status: "suspended", limit: "0" }, "limit", "Must be a whole number from 1 to 100"],
      [{ status: "deleted", limit: "101" }, "limit", "Must be a whole number from 1 to 100"],
    ])("%j", async (query, field, message) => {
      const res = await list(query);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: "Request validation failed", details: [{ field, message }] });
    });

    it("refuses a tampered cursor, one of the other listing and one of an activity listing", async () => {
      for (let i = 0; i < 3; i += 1) await suspend((await signUpUser(services)).userId);
      const page = await list({ status: "suspended", limit: "1" });
      const cursor = page.body.nextCursor!;
      expect(cursor).toEqual(expect.any(String));
      expect((await list({ status: "suspended", limit: "1", cursor })).statusCode).toBe(200);

      const [body, signature] = cursor.split(".") as [string, string];
      const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), id: "someone-else" })).toString("base64url");
      const activity = await api<Listing>("GET /admin/users/{userId}/activity", { params: { userId: admin.sub }, as: admin, query: { limit: "1" } });
      for (const bad of [`${edited}.${signature}`, `${body}.${signature.slice(0, -2)}`, "garbage", activity.body.nextCursor ?? "x.y"]) {
        const res = await list({ status: "suspended", cursor: bad });
        expect(res.statusCode, bad).toBe(400);
        expect(res.body).toMatchObject({ message: "Invalid cursor", details: [{ field: "cursor", message: "Invalid cursor" }] });
      }
      expect((await list({ status: "deleted", cursor })).statusCode).toBe(400);
    });
  });

  it("keeps ?email= the lookup", async () => {
    const user = await signUpUser(services);
    const res = await api<{ profile: { userId: string } }>("GET /admin/users", { as: admin, query: { email: user.email } });
    expect(res).toMatchObject({ statusCode: 200, body: { profile: { userId: user.userId } } });
    expect((await api("GET /admin/users", { as: admin })).statusCode).toBe(400);
  });
});
