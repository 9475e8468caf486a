import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { keys } from "../adapters/dynamodb/keys.js";
import { EmailNotAvailableError } from "../domain/errors.js";
import { outboxEvents, parseEvent, readItem } from "../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../test/support/testServices.js";
import { addUnverifiedEmail } from "../../test/support/unverifiedEmail.js";
import { signUpUser } from "../../test/support/fixtures.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";

const nowEpoch = () => Math.floor(Date.now() / 1000);

describe("createUserFromSignUp", () => {
  let services: TestServices;
  beforeEach(async () => {
    services = await createTestServices();
  });

  it("writes profile, verified primary email, verified claim and user.created together", async () => {
    const userId = randomUUID();
    const result = await createUserFromSignUp(services)({ userId, email: "  New.User@Example.COM ", correlationId: "c-1" });
    expect(result).toEqual({ created: true });

    const profile = await readItem(services, keys.profile(userId));
    expect(profile).toMatchObject({ userId, email: "new.user@example.com", status: "active", version: 1, emailCount: 1 });
    const { emails } = (await services.profiles.getWithEmails(userId))!;
    expect(emails).toEqual([
      expect.objectContaining({ email: "new.user@example.com", isPrimary: true, isVerified: true }),
    ]);
    const claim = await readItem(services, keys.emailClaim("new.user@example.com"));
    expect(claim).toMatchObject({ userId, emailId: emails[0]!.emailId, verified: true });
    expect(claim).not.toHaveProperty("releaseAt");

    const events = await outboxEvents(services);
    expect(events).toHaveLength(1);
    const detail = parseEvent("user.created", events[0]!);
    expect(detail).toMatchObject({ userId, email: "new.user@example.com", metadata: { correlationId: "c-1", environment: "test" } });
  });

  it("is a no-op on replay, sequential or concurrent: one profile, one event", async () => {
    const userId = randomUUID();
    const input = { userId, email: "replay@example.com", correlationId: "c-2" };
    const results = await Promise.all(Array.from({ length: 5 }, () => createUserFromSignUp(services)(input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await createUserFromSignUp(services)(input)).toEqual({ created: false });
    expect(await outboxEvents(services)).toHaveLength(1);
    expect((await services.profiles.getWithEmails(userId))!.emails).toHaveLength(1);
  });

  it("refuses an address another account has verified, writing nothing", async () => {
    const other = await signUpUser(services, "taken@example.com");
    const userId = randomUUID();
    await expect(
      createUserFromSignUp(services)({ userId, email: "TAKEN@example.com", correlationId: "c-3" }),
    ).rejects.toBeInstanceOf(EmailNotAvailableError);
    expect(await services.profiles.get(userId)).toBeUndefined();
    expect(await readItem(services, keys.emailClaim("taken@example.com"))).toMatchObject({ userId: other.userId });
    expect(await outboxEvents(services)).toHaveLength(1); // only the other user's user.created
  });

  it.each([
    ["expired", -60],
    ["still within its 7 days", 3600],
  ])("takes over an unverified claim (%s) of another account, with email.removed for that owner", async (_label, offset) => {
    const holder = await signUpUser(services);
    const address = `contested-${randomUUID()}@example.com`;
    const stale = await addUnverifiedEmail(services, holder.userId, address, nowEpoch() + offset);
    expect(await readItem(services, keys.profile(holder.userId))).toMatchObject({ emailCount: 2 });

    const userId = randomUUID();
    expect(await createUserFromSignUp(services)({ userId, email: address, correlationId: "c-4" })).toEqual({ created: true });

    expect(await readItem(services, keys.email(holder.userId, stale.emailId))).toBeUndefined();
    expect(await readItem(services, keys.verificationCode(holder.userId, stale.emailId))).toBeUndefined();
    expect(await readItem(services, keys.profile(holder.userId))).toMatchObject({ emailCount: 1 });
    const claim = await readItem(services, keys.emailClaim(address));
    expect(claim).toMatchObject({ userId, verified: true });
    expect((await services.profiles.findByAddress(address))?.profile.userId).toBe(userId);

    const events = (await outboxEvents(services)).filter((e) => e.detail.metadata && (e.detail.metadata as { correlationId: string }).correlationId === "c-4");
    const byType = Object.fromEntries(events.map((e) => [e.detailType, e]));
    expect(Object.keys(byType).sort()).toEqual(["email.removed", "user.created"]);
    expect(parseEvent("email.removed", byType["email.removed"]!)).toMatchObject({
      userId: holder.userId,
      emailId: stale.emailId,
      email: address,
    });
    expect(parseEvent("user.created", byType["user.created"]!)).toMatchObject({ userId, email: address });
  });
});
