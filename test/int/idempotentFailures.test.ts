import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { handler as adminReactivateUser } from "../../src/handlers/http/adminReactivateUser.js";
import { handler as adminSuspendUser } from "../../src/handlers/http/adminSuspendUser.js";
import { handler as sendVerification } from "../../src/handlers/http/sendVerification.js";
import { invoke, type TestClaims } from "../support/apiEvent.js";
import { claimsOf, emailTestBed, scanTable, type TestUser } from "../support/emailFixtures.js";
import type { TestServices } from "../support/testServices.js";
import { signUpUser } from "../support/users.js";

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
    const res = await invoke(sendVerification, {
      method: "POST",
      path: `/users/me/emails/${emailId}/verify`,
      resource: "/users/me/emails/{emailId}/verify",
      pathParameters: { emailId },
      claims: claimsOf(alice, services),
      headers: key,
    });
    expect(res.statusCode).toBe(404);
    expect(await idempotencyRecords(alice.userId)).toEqual([]);
  });

  it.each([
    ["suspend", adminSuspendUser, { reason: "abuse" }],
    ["reactivate", adminReactivateUser, undefined],
  ] as const)("POST /admin/users/{userId}/%s of an unknown user", async (action, handler, body) => {
    const userId = randomUUID();
    const res = await invoke(handler, {
      method: "POST",
      path: `/admin/users/${userId}/${action}`,
      resource: `/admin/users/{userId}/${action}`,
      pathParameters: { userId },
      claims: admin,
      headers: key,
      ...(body ? { body } : {}),
    });
    expect(res.statusCode).toBe(404);
    expect(await idempotencyRecords(admin.sub)).toEqual([]);
  });
});
