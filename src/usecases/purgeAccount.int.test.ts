import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoAccountPurgeStore } from "../adapters/dynamodb/dynamoAccountPurgeStore.js";
import { keys } from "../adapters/dynamodb/keys.js";
import { adminActor, systemActor, userActor } from "../domain/activity.js";
import { ConcurrentModificationError, NotFoundError, OwnAccountStatusChangeError } from "../domain/errors.js";
import { changeEvents, ManualClock, scanTable, signUpUser } from "../../test/support/fixtures.js";
import { readItem } from "../../test/support/outbox.js";
import { NOTHING_LEFT, remainsOf, typicalAccount } from "../../test/support/purgeFixtures.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addEmail } from "./addEmail.js";
import { deleteAccount } from "./deleteAccount.js";
import { purgeAccount } from "./purgeAccount.js";
import { purgeDueAccounts } from "./purgeDueAccounts.js";
import { suspendUser } from "./suspendUser.js";

const DAY = 86_400;

async function timedServices(): Promise<{ services: TestServices; clock: ManualClock }> {
  const clock = new ManualClock(new Date("2030-01-01T00:00:00.000Z"));
  return { services: await createTestServices({ clock }), clock };
}

/** The table's document client, failing every `command` after the first `allowed`: a crash half way. */
function crashingAfter(db: DynamoDBDocumentClient, allowed: number, command: { name: string } = BatchWriteCommand): DynamoDBDocumentClient {
  let calls = 0;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver) as unknown;
      return async (sent: Parameters<DynamoDBDocumentClient["send"]>[0]) => {
        if (sent.constructor.name === command.name && ++calls > allowed) throw new Error("crash: the run stops here");
        return target.send(sent);
      };
    },
  });
}

/** Items that still name the user or one of its addresses, anywhere in the table. */
async function itemsMentioning(services: TestServices, needles: string[]): Promise<Record<string, unknown>[]> {
  return (await scanTable(services)).filter((item) => {
    const text = JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...v] : v));
    return needles.some((needle) => text.includes(needle));
  });
}

/**
 * What may outlive a purge: address-keyed send limits (they guard the mailbox, not the account, and
 * expire by TTL within a day), and items whose TTL has passed (DynamoDB deletes them; DynamoDB Local
 * never does): a due account's outbox items, written 30 days before, are long expired.
 */
const outlivesByDesign = (services: TestServices) => (item: Record<string, unknown>) =>
  /^RATELIMIT#(verify|codekills)#/.test(String(item.PK)) ||
  (typeof item.expiresAt === "number" && item.expiresAt * 1000 <= services.clock.now().getTime());

describe("purge (SPEC 12.2)", () => {
  it("the job erases a due account entirely, releases its addresses and emits user.purged without personal data", async () => {
    const { services, clock } = await timedServices();
    const account = await typicalAccount(services);
    expect((await remainsOf(services, account)).partition?.length).toBeGreaterThanOrEqual(50 + 5 + 1);
    clock.advance(30 * DAY);

    const report = await purgeDueAccounts(services)({ correlationId: "purge-run" });
    expect(report).toEqual({ purged: 1, skipped: 0, failed: 0 });

    expect(await remainsOf(services, account)).toEqual(NOTHING_LEFT);
    const left = (await itemsMentioning(services, [account.userId, ...account.addresses])).filter((item) => !outlivesByDesign(services)(item));
    // Only the purge's own event names the user, and it names no address.
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ PK: expect.stringMatching(/^OUTBOX#/), detailType: "user.purged" });

    const purged = (await changeEvents(services)).filter((e) => e.detailType === "user.purged");
    expect(purged).toHaveLength(1);
    expect(purged[0]?.detail).toMatchObject({ userId: account.userId, purgedAt: clock.now().toISOString(), metadata: { correlationId: "purge-run" } });
    expect(purged[0]?.detail).not.toHaveProperty("actorId");
    for (const address of account.addresses) expect(JSON.stringify(purged[0])).not.toContain(address);

    // Every address is free again: the primary signs up as a new user, the others can be added.
    const again = await signUpUser(services, account.addresses[0]);
    expect(again.userId).not.toBe(account.userId);
    await addEmail(services)({ userId: again.userId, email: account.addresses[1]!, correlationId: "c" });
    const other = await signUpUser(services);
    await addEmail(services)({ userId: other.userId, email: account.addresses[4]!, correlationId: "c" });
  });

  it("purges only deleted accounts whose purgeAt has passed", async () => {
    const { services, clock } = await timedServices();
    const early = await signUpUser(services);
    const late = await signUpUser(services);
    const active = await signUpUser(services);
    const suspended = await signUpUser(services);
    await suspendUser(services)({ userId: suspended.userId, actorId: "an-admin", reason: "spam", correlationId: "c" });
    await deleteAccount(services)({ userId: early.userId, correlationId: "c", actor: userActor(early.userId) });
    clock.advance(10 * DAY);
    await deleteAccount(services)({ userId: late.userId, correlationId: "c", actor: userActor(late.userId) });

    clock.advance(20 * DAY - 1);
    expect(await purgeDueAccounts(services)({ correlationId: "run-1" })).toEqual({ purged: 0, skipped: 0, failed: 0 });
    clock.advance(1);
    expect(await purgeDueAccounts(services)({ correlationId: "run-2" })).toEqual({ purged: 1, skipped: 0, failed: 0 });
    expect(await readItem(services, keys.profile(early.userId))).toBeUndefined();
    expect(await readItem(services, keys.profile(late.userId))).toMatchObject({ status: "deleted" });
    expect(await readItem(services, keys.profile(active.userId))).toMatchObject({ status: "active" });
    expect(await readItem(services, keys.profile(suspended.userId))).toMatchObject({ status: "suspended" });

    clock.advance(10 * DAY);
    expect(await purgeDueAccounts(services)({ correlationId: "run-3" })).toEqual({ purged: 1, skipped: 0, failed: 0 });
    expect(await readItem(services, keys.profile(late.userId))).toBeUndefined();
    expect(await readItem(services, keys.profile(active.userId))).toMatchObject({ status: "active" });
    // Nothing more to do: a run after the last purge finds nothing and writes nothing.
    expect(await purgeDueAccounts(services)({ correlationId: "run-4" })).toEqual({ purged: 0, skipped: 0, failed: 0 });
    expect((await changeEvents(services)).filter((e) => e.detailType === "user.purged")).toHaveLength(2);
  });

  it("resumes after a crash half way: the profile stays, the next run finishes, and nothing is left", async () => {
    const { services, clock } = await timedServices();
    const account = await typicalAccount(services);
    clock.advance(31 * DAY);

    const crashing = { ...services, accountPurges: createDynamoAccountPurgeStore(crashingAfter(services.db, 1), services.config.tableName) };
    const crashed = await purgeDueAccounts(crashing)({ correlationId: "crashed-run" });
    expect(crashed).toEqual({ purged: 0, skipped: 0, failed: 1 });

    // Half done: the first batch went, the profile (with its marker and index entry) is still there.
    const profile = await readItem(services, keys.profile(account.userId));
    expect(profile).toMatchObject({ status: "deleted", purgeStartedAt: expect.any(String), GSI2PK: "STATUS#deleted" });
    expect(profile?.purgeAddresses).toEqual(new Set(account.addresses));
    const halfway = await remainsOf(services, account);
    expect(halfway.partition?.length).toBeGreaterThan(1);
    expect(halfway.partition?.length).toBeLessThan(50);
    expect(halfway.claims).toHaveLength(5);
    // The links went with the marker: no restore link can bring back a half-erased account.
    expect(halfway.linkToken).toEqual([]);
    expect(halfway.partition?.map((item) => (item as { SK: string }).SK)).not.toContain("LINK#test");
    expect((await changeEvents(services)).filter((e) => e.detailType === "user.purged")).toHaveLength(0);

    // Crash again after every batch, email items included, is gone (at the claims' read): the
    // addresses recorded on the profile still lead the next run to the claims.
    const again = { ...services, accountPurges: createDynamoAccountPurgeStore(crashingAfter(services.db, 0, BatchGetCommand), services.config.tableName) };
    expect(await purgeDueAccounts(again)({ correlationId: "crashed-again" })).toEqual({ purged: 0, skipped: 0, failed: 1 });
    const beforeLastStep = await remainsOf(services, account);
    expect(beforeLastStep.partition?.map((item) => (item as { SK: string }).SK)).toEqual(["PROFILE"]);
    expect(beforeLastStep.claims).toHaveLength(5);

    expect(await purgeDueAccounts(services)({ correlationId: "clean-run" })).toEqual({ purged: 1, skipped: 0, failed: 0 });
    expect(await remainsOf(services, account)).toEqual(NOTHING_LEFT);
    const purged = (await changeEvents(services)).filter((e) => e.detailType === "user.purged");
    expect(purged).toHaveLength(1);
    expect(purged[0]?.detail.metadata).toMatchObject({ correlationId: "clean-run" });
    await signUpUser(services, account.addresses[0]);
  });

  it("an admin purges at once, any status but its own account; user.purged names the admin; then 404", async () => {
    const { services } = await timedServices();
    const account = await typicalAccount(services, { deleted: false });
    const admin = await signUpUser(services);
    await expect(purgeAccount(services)({ userId: admin.userId, correlationId: "c", actor: adminActor(admin.userId) })).rejects.toBeInstanceOf(
      OwnAccountStatusChangeError,
    );

    const result = await purgeAccount(services)({ userId: account.userId, correlationId: "admin-purge", actor: adminActor(admin.userId) });
    expect(result).toEqual({ outcome: "purged", purgedAt: services.clock.now().toISOString() });
    expect(await remainsOf(services, account)).toEqual(NOTHING_LEFT);
    const [event] = (await changeEvents(services)).filter((e) => e.detailType === "user.purged");
    expect(event?.detail).toMatchObject({ userId: account.userId, actorId: admin.userId });

    await expect(purgeAccount(services)({ userId: account.userId, correlationId: "c", actor: adminActor(admin.userId) })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("two purges of one account at once (the job and an admin): it is erased once, one user.purged", async () => {
    const { services, clock } = await timedServices();
    const account = await typicalAccount(services, { activity: 20 });
    clock.advance(31 * DAY);
    const admin = await signUpUser(services);
    const results = await Promise.allSettled([
      purgeAccount(services)({ userId: account.userId, correlationId: "job", actor: systemActor }),
      purgeAccount(services)({ userId: account.userId, correlationId: "admin", actor: adminActor(admin.userId) }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled" && r.value.outcome === "purged")).toHaveLength(1);
    // The other finds the account gone (absent, or 404 to the admin) or lost the race on the marker (409).
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason instanceof NotFoundError || result.reason instanceof ConcurrentModificationError).toBe(true);
    }
    expect(await remainsOf(services, account)).toEqual(NOTHING_LEFT);
    expect((await changeEvents(services)).filter((e) => e.detailType === "user.purged")).toHaveLength(1);
  });

  it("the job leaves an active account alone (one restored since the index was read)", async () => {
    const { services, clock } = await timedServices();
    const user = await signUpUser(services);
    clock.advance(31 * DAY);
    const purge = await purgeAccount(services)({ userId: user.userId, correlationId: "c", actor: systemActor });
    expect(purge.outcome).toBe("not-due");
    expect(await readItem(services, keys.profile(user.userId))).toMatchObject({ status: "active" });
  });
});
