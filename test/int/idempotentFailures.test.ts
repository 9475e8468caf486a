import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { api } from "../support/apiClient.js";
import type { TestClaims } from "../support/apiEvent.js";
import { claimsOf, emailTestBed, scanTable, signUpUser, type TestUser } from "../support/fixtures.js";
import type { TestServices } from "../support/testServices.js";

/**
 * Only successful responses are kept under an Idempotency-Key (src/http/idempotency.ts): when the
 * route fails, Powertools deletes its in-progress record, so the same key may be retried. Through
 * the handlers, so the deletes are the functions' own calls (the IAM evidence test, test/iam/).
 */
let services: TestServices;
let alice: TestUser;
let admin: TestClaims;

beforeEach(async () => {
  ({ services, alice } = await emailTestBed());
  admin = { sub: (await signUpUser(services)).userId, groups: ["admins"] };
});

const idempotencyRecords = async (userId: string) => (await scanTable(services)).filter((i) => i.PK === `IDEMPOTENCY#${userId}`);
const key = { "Idempotency-Key": "retry-me" };

describe("a failed idempotent request leaves no record, so its key can be retried", () => {
  it("POST /users/me/emails/{emailId}/verify of an unknown address", async () => {
    const emailId = randomUUID();
    const res = await api("POST /users/me/emails/{emailId}/verify", { params: { emailId }, as: claimsOf(alice, services), headers: key });
    expect(res.statusCode).toBe(404);
    expect(await idempotencyRecords(alice.userId)).toEqual([]);
  });

  it.each([
    ["suspend", { reason: "abuse" }],
    ["reactivate", undefined],
  ] as const)("POST /admin/users/{userId}/%s of an unknown user", async (action, body) => {
    const userId = randomUUID();
    const res = await api(`POST /admin/users/{userId}/${action}`, { params: { userId }, as: admin, headers: key, ...(body ? { body } : {}) });
    expect(res.statusCode).toBe(404);
    expect(await idempotencyRecords(admin.sub)).toEqual([]);
  });
});
