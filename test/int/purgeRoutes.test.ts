import { randomUUID } from "node:crypto";
import type { Context, ScheduledEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { handler as purgeAccounts } from "../../src/handlers/jobs/purgeAccounts.js";
import { api } from "../support/apiClient.js";
import { lambdaContext, type TestClaims } from "../support/apiEvent.js";
import { ManualClock, signUpUser } from "../support/fixtures.js";
import { outboxEvents, readItem } from "../support/outbox.js";
import { NOTHING_LEFT, remainsOf, typicalAccount } from "../support/purgeFixtures.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

const DAY = 86_400;

describe("purge routes and job", () => {
  let services: TestServices;
  let clock: ManualClock;
  let admin: TestClaims;
  const purge = (userId: string, as = admin, headers?: Record<string, string>, body?: string | object) =>
    api("POST /admin/users/{userId}/purge", { params: { userId }, as, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) });
  const getUser = (userId: string) => api("GET /admin/users/{userId}", { params: { userId }, as: admin });

  beforeEach(async () => {
    clock = new ManualClock(new Date("2030-02-01T00:00:00.000Z"));
    services = await createTestServices({ clock });
    admin = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
  });

  describe("POST /admin/users/{userId}/purge", () => {
    it("erases the account at once: 200 {message, purgedAt}, user.purged names the admin, then GET is 404", async () => {
      const account = await typicalAccount(services, { deleted: false, activity: 10 });
      const res = await purge(account.userId, admin, { "Idempotency-Key": `purge-${randomUUID()}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toEqual({ message: "Account purged", purgedAt: clock.now().toISOString() });
      expect(await remainsOf(services, account)).toEqual(NOTHING_LEFT);
      const events = (await outboxEvents(services)).filter((e) => e.detailType === "user.purged");
      expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ userId: account.userId, actorId: admin.sub, purgedAt: res.body.purgedAt })]);

      const after = await getUser(account.userId);
      expect(after.statusCode).toBe(404);
      expect(after.body).toMatchObject({ message: "User not found" });
      expect((await purge(account.userId)).statusCode).toBe(404);
    });

    it("is 403 for a non-admin, and for the admin's own account, and changes nothing", async () => {
      const target = await signUpUser(services);
      const plain = await purge(target.userId, { sub: target.userId, groups: ["users"] });
      expect(plain.statusCode).toBe(403);
      const own = await purge(admin.sub, admin);
      expect(own.statusCode).toBe(403);
      expect(own.body).toMatchObject({ message: "Admins cannot change the status of their own account" });
      expect(await readItem(services, keys.profile(target.userId))).toMatchObject({ status: "active" });
      expect(await readItem(services, keys.profile(admin.sub))).toMatchObject({ status: "active" });
    });

    it("is 404 for an unknown user and 400 for a body", async () => {
      expect((await purge(randomUUID())).statusCode).toBe(404);
      const target = await signUpUser(services);
      expect((await purge(target.userId, admin, undefined, { now: true })).statusCode).toBe(400);
    });
  });

  describe("the purgeAccounts job", () => {
    const run = () => purgeAccounts({ id: `run-${randomUUID()}` } as ScheduledEvent, lambdaContext("purgeAccounts") as Context);

    it("erases the accounts whose grace period has ended and leaves the others", async () => {
      const due = await typicalAccount(services, { activity: 10 });
      clock.advance(5 * DAY);
      const notYet = await typicalAccount(services, { activity: 10 });
      clock.advance(25 * DAY);

      expect(await run()).toEqual({ purged: 1, skipped: 0, failed: 0 });
      expect(await remainsOf(services, due)).toEqual(NOTHING_LEFT);
      expect(await readItem(services, keys.profile(notYet.userId))).toMatchObject({ status: "deleted" });
      expect((await getUser(due.userId)).statusCode).toBe(404);
      expect((await getUser(notYet.userId)).statusCode).toBe(200);

      clock.advance(5 * DAY);
      expect(await run()).toEqual({ purged: 1, skipped: 0, failed: 0 });
      expect(await remainsOf(services, notYet)).toEqual(NOTHING_LEFT);
      expect(await run()).toEqual({ purged: 0, skipped: 0, failed: 0 });
    });
  });
});
