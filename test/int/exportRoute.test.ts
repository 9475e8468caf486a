import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { addedEmail, scanTable, signUpUser, verifiedEmail } from "../support/fixtures.js";
import { api } from "../support/apiClient.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

interface Export {
  exportedAt: string;
  profile: Record<string, unknown>;
  emails: Record<string, unknown>[];
  activity: Record<string, unknown>[];
}

/**
 * Every kind of item the table holds in a user's partition, by sort-key prefix, and what the export
 * does with it. A new kind fails the "no secrets" test until someone decides here.
 */
const PARTITION_ITEM_KINDS = {
  // The status index keys, the purge's marker and the event counter are bookkeeping, not data about the person.
  PROFILE: { exported: "profile", internal: ["PK", "SK", "emailCount", "sequence", "GSI2PK", "GSI2SK", "purgeStartedAt", "purgeAddresses"] },
  "EMAIL#": { exported: "emails", internal: ["PK", "SK", "GSI1PK", "GSI1SK", "userId"] },
  "ACTIVITY#": { exported: "activity", internal: ["PK", "SK", "expiresAt"] },
  // A verification code: its keyed hash, tries and expiry. A secret: never exported.
  "CODE#": { exported: false, internal: [], secret: ["codeHash"] },
  // A restore or revert link's pointer: names the token item by the keyed digest of the token.
  "LINK#": { exported: false, internal: [], secret: ["tokenPK"] },
} as const;

const kindOf = (sk: string) =>
  (Object.keys(PARTITION_ITEM_KINDS) as (keyof typeof PARTITION_ITEM_KINDS)[]).find((kind) =>
    kind.endsWith("#") ? sk.startsWith(kind) : sk === kind,
  );

describe("GET /users/me/export", () => {
  let services: TestServices;
  let alice: { userId: string; email: string };
  const exportOf = (userId: string) => api<Export>("GET /users/me/export", { as: { sub: userId } });

  beforeEach(async () => {
    services = await createTestServices();
    alice = await signUpUser(services);
    const renamed = await api("PUT /users/me", { as: { sub: alice.userId }, body: { firstName: "Alice", lastName: "Liddell", phone: "+14155550123" } });
    expect(renamed.statusCode).toBe(200);
    await verifiedEmail(services, alice, "work@example.com");
    await addedEmail(services, alice, "pending@example.com"); // leaves a live code (its hash) in the partition
  });

  /**
   * Exports the account and holds the export against the raw partition: every item is exported with
   * exactly its attributes but the internal ones, or is of a kind left out whose secrets appear
   * nowhere in the export. Returns the kinds it met.
   */
  async function exportCheckedAgainstPartition() {
    const res = await exportOf(alice.userId);
    const text = JSON.stringify(res.body);
    const partition = (await scanTable(services)).filter((item) => item.PK === keys.userPartition(alice.userId));
    const seen = new Set<string>();
    expect(res.statusCode).toBe(200);

    for (const item of partition) {
      const kind = kindOf(String(item.SK));
      expect(kind, `an undecided kind of item in the partition: ${String(item.SK)}`).toBeDefined();
      const rule = PARTITION_ITEM_KINDS[kind!];
      seen.add(kind!);
      if (rule.exported === false) {
        // Its secret (a code hash, a token digest) is there in the table and nowhere in the export.
        for (const name of rule.secret) {
          expect(item[name]).toEqual(expect.any(String));
          expect(text).not.toContain(String(item[name]));
        }
        continue;
      }
      const exported = rule.exported === "profile" ? [res.body.profile] : res.body[rule.exported];
      const match = exported.find((entry) =>
        rule.exported === "profile" ? true : rule.exported === "emails" ? entry.emailId === item.emailId : entry.activityId === item.activityId,
      );
      expect(match, `${String(item.SK)} is exported`).toBeDefined();
      const expected = Object.fromEntries(Object.entries(item).filter(([name]) => !(rule.internal as readonly string[]).includes(name)));
      expect(match).toEqual(expected);
    }
    return { res, text, seen };
  }

  it("is the profile, the addresses and the activity, as a JSON attachment named after the user", async () => {
    const res = await exportOf(alice.userId);
    expect(res.statusCode).toBe(200);
    expect(res.headers["Content-Disposition"]).toBe(`attachment; filename="user-export-${alice.userId}.json"`);
    expect(res.headers["Content-Type"]).toBe("application/json");
    expect(res.headers["Cache-Control"]).toBe("no-store");

    expect(Object.keys(res.body).sort()).toEqual(["activity", "emails", "exportedAt", "profile"]);
    expect(Date.parse(res.body.exportedAt)).not.toBeNaN();
    expect(res.body.profile).toEqual({
      userId: alice.userId,
      email: alice.email,
      firstName: "Alice",
      lastName: "Liddell",
      phone: "+14155550123",
      status: "active",
      version: 2,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.body.emails.map((e) => [e.email, e.isPrimary, e.isVerified])).toEqual([
      [alice.email, true, true],
      ["work@example.com", false, true],
      ["pending@example.com", false, false],
    ]);
    // Newest first; changes within one millisecond may come in either order.
    const times = res.body.activity.map((a) => String(a.occurredAt));
    expect(times).toEqual([...times].sort().reverse());
    expect(res.body.activity.map((a) => a.type).sort()).toEqual(["email.added", "email.added", "email.verified", "user.created", "user.updated"]);
    expect(res.body.activity[0]).toMatchObject({ type: "email.added", details: { email: "pending@example.com" } });
    expect(res.body.activity.at(-1)).toMatchObject({ actor: { type: "system" }, details: { email: alice.email } });
  });

  it("holds no secret: every item of the partition is exported without its keys and internals, or deliberately left out", async () => {
    const { text, seen } = await exportCheckedAgainstPartition();
    expect([...seen].sort()).toEqual(["ACTIVITY#", "CODE#", "EMAIL#", "PROFILE"]);
    expect(text).not.toMatch(/codeHash|attempts|PK|GSI1|EMAILCLAIM|RATELIMIT|OUTBOX/);

    // Outside the partition: the claims, send windows and outbox items about the user stay out too.
    const outside = (await scanTable(services)).filter((item) => item.PK !== keys.userPartition(alice.userId) && JSON.stringify(item).includes(alice.userId));
    expect(outside.map((item) => String(item.PK).split("#")[0]).sort()).toEqual(expect.arrayContaining(["EMAILCLAIM", "OUTBOX"]));
    for (const item of outside) expect(text).not.toContain(String(item.PK));
  });

  it("works for a deleted account, its deletion in the trail", async () => {
    const deleted = await api("DELETE /users/me", { as: { sub: alice.userId } });
    expect(deleted.statusCode).toBe(200);

    // The deleted profile (status index keys, a restore link's pointer once issued) still holds no secret.
    const { res } = await exportCheckedAgainstPartition();
    expect(res.body.profile).toMatchObject({ status: "deleted", deletedAt: expect.any(String) });
    expect(res.body.emails).toHaveLength(3);
    expect(res.body.activity[0]).toMatchObject({ type: "user.deleted", actor: { type: "user", userId: alice.userId } });
  });

  it("is 404 for a caller without a profile", async () => {
    const res = await exportOf("no-such-user");
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: "User not found" });
    expect(res.headers).not.toHaveProperty("Content-Disposition");
  });
});
