import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { logger } from "../observability.js";
import { userActor } from "../domain/activity.js";
import { api } from "../../test/support/apiClient.js";
import { changeEvents, emailTestBed, ManualClock, scanTable, signUpUser, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";
import { createTestServices } from "../../test/support/testServices.js";
import { deleteAccount } from "./deleteAccount.js";
import { suspendUser } from "./suspendUser.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed(new Date("2030-03-01T10:00:00.000Z")));
});

const INVALID = { statusCode: 400, error: "Bad Request", message: "Invalid or expired link" };

const restore = (body: unknown, route: "POST /account/restore" | "POST /account/revert" = "POST /account/restore") => api(route, { body: body as object });

/** Deletes alice's account and returns the token of the restore link mailed to her. */
async function deleteAndGetToken(): Promise<string> {
  await deleteAccount(services)({ userId: alice.userId, correlationId: "c-del", actor: userActor(alice.userId) });
  const notice = services.mailbox.to(alice.email).filter((m) => m.subject === "Your account was deleted").at(-1);
  expect(notice).toMatchObject({ code: null, link: expect.stringMatching(/^http:\/\/localhost:3000\/#restore=[A-Za-z0-9_-]{43}$/) });
  expect(notice?.text).toContain("2030-03-31T10:00:00.000Z");
  return (notice?.link ?? "").split("#restore=")[1] ?? "";
}

const profileOf = async (userId: string) => (await scanTable(services)).find((i) => i.PK === `USER#${userId}` && i.SK === "PROFILE");

describe("POST /account/restore", () => {
  it("makes the deleted account active again: 200, no deletedAt/purgeAt/status index, user.restored, link spent, notice", async () => {
    const token = await deleteAndGetToken();
    const before = await profileOf(alice.userId);
    expect(before).toMatchObject({ status: "deleted", GSI2PK: "STATUS#deleted" });

    const res = await restore({ token });
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ message: expect.any(String) });

    const after = await profileOf(alice.userId);
    expect(after).toMatchObject({ status: "active", version: Number(before?.version) + 1 });
    for (const gone of ["deletedAt", "purgeAt", "GSI2PK", "GSI2SK"]) expect(after).not.toHaveProperty(gone);
    const restored = (await changeEvents(services)).filter((e) => e.detailType === "user.restored");
    expect(restored.map((e) => e.detail)).toEqual([expect.objectContaining({ userId: alice.userId })]);
    const items = await scanTable(services);
    expect(items.filter((i) => String(i.PK).startsWith("LINKTOKEN#") || String(i.SK).startsWith("LINK#"))).toEqual([]);
    // The token itself is nowhere in the table (only its keyed digest ever was).
    expect(JSON.stringify(items)).not.toContain(token);
    expect(services.mailbox.to(alice.email).at(-1)).toMatchObject({ subject: "Your account was restored", code: null, link: null });
  });

  it("stores only the keyed digest of the token, keyed by it, with a pointer in the user's partition", async () => {
    const token = await deleteAndGetToken();
    const items = await scanTable(services);
    const tokenItem = items.find((i) => String(i.PK).startsWith("LINKTOKEN#"));
    const pointer = items.find((i) => i.PK === `USER#${alice.userId}` && i.SK === "LINK#restore");
    expect(tokenItem).toMatchObject({ SK: "TOKEN", userId: alice.userId, purpose: "restore", expiresAt: Date.parse("2030-03-31T10:00:00.000Z") / 1000 });
    expect(pointer).toMatchObject({ tokenPK: tokenItem?.PK, tokenSK: "TOKEN" });
    expect(JSON.stringify(items)).not.toContain(token);
  });

  it("answers 400 \"Invalid or expired link\" for a used, unknown, malformed or other-purpose token", async () => {
    const token = await deleteAndGetToken();
    for (const body of [{ token: "A".repeat(43) }, { token: "short" }, { token: 7 }, {}, "not json"]) {
      const res = await restore(body);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject(body === "not json" ? { statusCode: 400 } : INVALID);
    }
    // A restore token on the revert route is refused, and is not spent by it.
    expect((await restore({ token }, "POST /account/revert")).body).toMatchObject(INVALID);
    expect((await restore({ token })).statusCode).toBe(200);
    expect((await restore({ token })).body).toMatchObject(INVALID);
  });

  it("expires at purgeAt (the clock, not the TTL sweep, decides)", async () => {
    const token = await deleteAndGetToken();
    clock.advance(30 * 24 * 3600);
    expect((await restore({ token })).body).toMatchObject(INVALID);
    expect(await profileOf(alice.userId)).toMatchObject({ status: "deleted" });
  });

  it("lets exactly one of two concurrent uses of one token win", async () => {
    const token = await deleteAndGetToken();
    const results = await Promise.all([restore({ token }), restore({ token }), restore({ token })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400].sort());
    expect((await changeEvents(services)).filter((e) => e.detailType === "user.restored")).toHaveLength(1);
  });

  it("brings back a suspended account as suspended: deleting does not lift a suspension", async () => {
    await suspendUser(services)({ userId: alice.userId, actorId: "an-admin", reason: "spam", correlationId: "c" });
    const token = await deleteAndGetToken();
    expect((await restore({ token })).statusCode).toBe(200);
    expect(await profileOf(alice.userId)).toMatchObject({ status: "suspended", suspendedReason: "spam", GSI2PK: "STATUS#suspended" });
  });

  describe("logs", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("hold no link token, whatever happens: issued, refused, spent, or its notice lost (SPEC 11.9)", async () => {
      // Every call to the logger, whatever the level the tests run at, as the line it would print.
      const lines: string[] = [];
      for (const level of ["debug", "info", "warn", "error"] as const) {
        vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
          lines.push(JSON.stringify(args, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value)));
        });
      }

      const token = await deleteAndGetToken();
      await restore({ token: token.slice(0, 42) + (token.endsWith("A") ? "B" : "A") });
      await restore({ token });
      await restore({ token });
      // A notice that cannot be sent is logged (and counted): its text, which holds the link, is not.
      const failing = await createTestServices({ mailer: { send: () => Promise.reject(new Error("SES is down")) } });
      const { userId } = await signUpUser(failing);
      await deleteAccount(failing)({ userId, correlationId: "c", actor: userActor(userId) });

      expect(lines.some((line) => line.includes("Security notice not sent"))).toBe(true);
      expect(lines.join("\n")).not.toContain(token);
      expect(lines.join("\n")).not.toMatch(/#restore=/);
    });
  });

  it("a later deletion mails a new link; the spent one stays dead", async () => {
    const first = await deleteAndGetToken();
    expect((await restore({ token: first })).statusCode).toBe(200);
    const second = await deleteAndGetToken();
    expect(second).not.toBe(first);
    expect((await restore({ token: first })).body).toMatchObject(INVALID);
    expect((await restore({ token: second })).statusCode).toBe(200);
  });
});
