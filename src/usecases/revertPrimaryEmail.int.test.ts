import { beforeEach, describe, expect, it } from "vitest";
import { userActor } from "../domain/activity.js";
import type { EmailRecord } from "../domain/email.js";
import { api } from "../../test/support/apiClient.js";
import { changeEvents, emailTestBed, ManualClock, scanTable, signUpUser, verifiedEmail, type TestUser } from "../../test/support/fixtures.js";
import type { TestServices } from "../../test/support/testServices.js";
import { addEmail } from "./addEmail.js";
import { deleteAccount } from "./deleteAccount.js";
import { removeEmail } from "./removeEmail.js";
import { setPrimaryEmail } from "./setPrimaryEmail.js";
import { epochSeconds } from "../ports/clock.js";

let services: TestServices;
let clock: ManualClock;
let alice: TestUser;
let second: EmailRecord;

beforeEach(async () => {
  ({ services, clock, alice } = await emailTestBed());
  second = await verifiedEmail(services, alice, "second@example.com");
});

const INVALID = { statusCode: 400, message: "Invalid or expired link" };
const caller = () => ({ userId: alice.userId, groups: [], authTime: epochSeconds(clock.now()) });
const revert = (token: string) => api("POST /account/revert", { body: { token } });

/** Makes `emailId` primary and returns the token of the revert link mailed to `oldAddress`. */
async function changePrimary(emailId: string, oldAddress: string): Promise<string> {
  await setPrimaryEmail(services)({ caller: caller(), emailId, correlationId: "c-primary" });
  const notice = services.mailbox.to(oldAddress).filter((m) => m.subject === "Your primary email address was changed").at(-1);
  expect(notice).toMatchObject({ code: null, link: expect.stringMatching(/\/#revert=[A-Za-z0-9_-]{43}$/) });
  return (notice?.link ?? "").split("#revert=")[1] ?? "";
}

const primaries = async () => (await services.emails.list(alice.userId)).filter((e) => e.isPrimary).map((e) => e.email);
const revertEvents = async () =>
  (await changeEvents(services)).filter((e) => e.detailType === "email.primary.changed" && e.detail.reason === "revert").map((e) => e.detail);

describe("POST /account/revert", () => {
  it("makes the old address primary again: 200, profile email, email.primary.changed with reason revert, link spent", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    const res = await revert(token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ message: expect.any(String) });
    expect(await primaries()).toEqual([alice.email]);
    expect((await services.profiles.get(alice.userId))?.email).toBe(alice.email);
    expect(await revertEvents()).toEqual([
      expect.objectContaining({ userId: alice.userId, emailId: alice.primaryEmailId, oldEmail: "second@example.com", newEmail: alice.email }),
    ]);
    expect(JSON.stringify(await scanTable(services))).not.toContain(token);
    expect((await scanTable(services)).filter((i) => String(i.PK).startsWith("LINKTOKEN#"))).toEqual([]);
    expect(services.mailbox.to(alice.email).at(-1)).toMatchObject({ subject: "Your primary email address was restored", code: null });
    expect((await revert(token)).body).toMatchObject(INVALID);
  });

  it("re-adds a removed old address, verified and primary, with its claim", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    await removeEmail(services)({ userId: alice.userId, emailId: alice.primaryEmailId, correlationId: "c-rm" });
    expect(services.mailbox.to("second@example.com").at(-1)).toMatchObject({ subject: "An email address was removed from your account", code: null });
    expect((await revert(token)).statusCode).toBe(200);
    const emails = await services.emails.list(alice.userId);
    expect(emails.find((e) => e.email === alice.email)).toMatchObject({ isPrimary: true, isVerified: true });
    expect(await services.profiles.claimOf(alice.email)).toMatchObject({ userId: alice.userId, verified: true });
  });

  it("confirms the old address if the user re-added it unverified: primary, verified, claim verified, code gone", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    await removeEmail(services)({ userId: alice.userId, emailId: alice.primaryEmailId, correlationId: "c-rm" });
    const { email: readded } = await addEmail(services)({ userId: alice.userId, email: alice.email, correlationId: "c-readd" });
    expect((await revert(token)).statusCode).toBe(200);
    expect((await services.emails.list(alice.userId)).find((e) => e.emailId === readded.emailId)).toMatchObject({ isPrimary: true, isVerified: true });
    expect(await services.profiles.claimOf(alice.email)).toMatchObject({ userId: alice.userId, emailId: readded.emailId, verified: true });
    expect((await scanTable(services)).filter((i) => i.SK === `CODE#${readded.emailId}`)).toEqual([]);
  });

  it("409 when another account holds the removed address now; the link stays usable until it expires", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    await removeEmail(services)({ userId: alice.userId, emailId: alice.primaryEmailId, correlationId: "c-rm" });
    const bob = await signUpUser(services);
    await addEmail(services)({ userId: bob.userId, email: alice.email, correlationId: "c-bob" });
    const res = await revert(token);
    expect(res.statusCode).toBe(409);
    expect(res.body).toMatchObject({ message: "Email address is not available" });
    expect(await primaries()).toEqual(["second@example.com"]);
    expect((await scanTable(services)).filter((i) => String(i.PK).startsWith("LINKTOKEN#"))).toHaveLength(1);
  });

  it("a newer primary change replaces the older revert link; expired and restore links are refused", async () => {
    const third = await verifiedEmail(services, alice, "third@example.com");
    const first = await changePrimary(second.emailId, alice.email);
    const latest = await changePrimary(third.emailId, "second@example.com");
    expect((await revert(first)).body).toMatchObject(INVALID);
    expect((await scanTable(services)).filter((i) => String(i.PK).startsWith("LINKTOKEN#"))).toHaveLength(1);
    clock.advance(7 * 24 * 3600);
    expect((await revert(latest)).body).toMatchObject(INVALID);
    expect(await primaries()).toEqual(["third@example.com"]);
  });

  it("403 on a deleted account (restore comes first)", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    await deleteAccount(services)({ userId: alice.userId, correlationId: "c", actor: userActor(alice.userId) });
    const res = await revert(token);
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatchObject({ message: "Account is not active" });
  });

  it("lets exactly one of concurrent uses of one token win", async () => {
    const token = await changePrimary(second.emailId, alice.email);
    const results = await Promise.all([revert(token), revert(token), revert(token)]);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) expect([400, 409]).toContain(r.statusCode);
    expect(await revertEvents()).toHaveLength(1);
    expect(await primaries()).toEqual([alice.email]);
  });
});
