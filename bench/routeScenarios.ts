import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { MemoryMailbox } from "../src/adapters/mailer/memoryMailbox.js";
import type { Services } from "../src/ports/services.js";
import { handler as addEmail } from "../src/handlers/http/addEmail.js";
import { handler as adminFindUsers } from "../src/handlers/http/adminFindUsers.js";
import { handler as adminGetUser } from "../src/handlers/http/adminGetUser.js";
import { handler as adminPurgeUser } from "../src/handlers/http/adminPurgeUser.js";
import { handler as adminReactivateUser } from "../src/handlers/http/adminReactivateUser.js";
import { handler as adminSuspendUser } from "../src/handlers/http/adminSuspendUser.js";
import { handler as confirmVerification } from "../src/handlers/http/confirmVerification.js";
import { handler as deleteMe } from "../src/handlers/http/deleteMe.js";
import { handler as adminGetUserActivity } from "../src/handlers/http/adminGetUserActivity.js";
import { handler as exportMe } from "../src/handlers/http/exportMe.js";
import { handler as getMe } from "../src/handlers/http/getMe.js";
import { handler as getMyActivity } from "../src/handlers/http/getMyActivity.js";
import { handler as listEmails } from "../src/handlers/http/listEmails.js";
import { handler as removeEmail } from "../src/handlers/http/removeEmail.js";
import { handler as restoreAccount } from "../src/handlers/http/restoreAccount.js";
import { handler as revertPrimaryEmail } from "../src/handlers/http/revertPrimaryEmail.js";
import { handler as sendVerification } from "../src/handlers/http/sendVerification.js";
import { handler as setPrimaryEmail } from "../src/handlers/http/setPrimaryEmail.js";
import { handler as updateMe } from "../src/handlers/http/updateMe.js";
import { userActor } from "../src/domain/activity.js";
import { deleteAccount } from "../src/usecases/deleteAccount.js";
import { setPrimaryEmail as changePrimary } from "../src/usecases/setPrimaryEmail.js";
import { suspendUser } from "../src/usecases/suspendUser.js";
import type { ApiEventInput } from "../test/support/apiEvent.js";
import type { Allowance } from "./benchReport.js";
import { benchFixtures, type BenchUser } from "./benchFixtures.js";

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface RouteScenario {
  route: string;
  /** "purge": many round trips by design; checked for batched deletes instead (benchReport.ts). */
  kind: "read" | "write" | "purge";
  /** Round trips beyond the target on purpose, and why. */
  allowance?: Allowance;
  handler: ProxyHandler;
  status: number;
  /** The events for `count` calls, with whatever state each needs written beforehand (not measured). */
  prepare(count: number): Promise<ApiEventInput[]>;
}

const me = (user: BenchUser) => ({ sub: user.userId });
/** Every admin route reads the caller's own profile first (SPEC 11.1): a suspended admin has no powers. */
const ADMIN_CHECK: Allowance = { reads: 1, why: "the admin's own profile" };
const emailPath = (suffix: string) => ({ resource: `/users/me/emails/{emailId}${suffix}` });

/**
 * Every HTTP route, each call on state of its own where the call consumes it (a new address per
 * add, a fresh code per confirm, a fresh account per delete or suspend).
 */
export async function routeScenarios(services: Services, mailbox: MemoryMailbox): Promise<RouteScenario[]> {
  const f = benchFixtures(services, mailbox);
  const reader = await f.signUp();
  // Admin routes read the caller's own profile first: the admin is a real, active account.
  const admin = { sub: (await f.signUp()).userId, groups: ["admins"] };
  await f.addVerified(reader);
  await f.addUnverified(reader);
  const switcher = await f.signUp();
  const switchTargets = [(await f.addVerified(switcher)).emailId, switcher.primaryEmailId];
  const suspended: BenchUser[] = [];

  return [
    { route: "GET /users/me", kind: "read", handler: getMe, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: "/users/me", claims: me(reader) })) },
    { route: "GET /users/me/emails", kind: "read", handler: listEmails, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: "/users/me/emails", claims: me(reader) })) },
    { route: "GET /users/me/activity", kind: "read", handler: getMyActivity, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: "/users/me/activity", claims: me(reader) })) },
    { route: "GET /users/me/export", kind: "read", handler: exportMe, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: "/users/me/export", claims: me(reader) })) },
    { route: "GET /admin/users/{userId}/activity", allowance: ADMIN_CHECK, kind: "read", handler: adminGetUserActivity, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: `/admin/users/${reader.userId}/activity`, resource: "/admin/users/{userId}/activity", pathParameters: { userId: reader.userId }, claims: admin })) },
    { route: "GET /admin/users/{userId}", allowance: ADMIN_CHECK, kind: "read", handler: adminGetUser, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: `/admin/users/${reader.userId}`, resource: "/admin/users/{userId}", pathParameters: { userId: reader.userId }, claims: admin })) },
    { route: "GET /admin/users?email=", allowance: { reads: 2, why: "the admin's own profile; GSI1 holds only email items, so the partition is read after it, consistently" }, kind: "read", handler: adminFindUsers, status: 200, prepare: async (n) => repeat(n, () => ({ method: "GET", path: "/admin/users", query: { email: reader.email }, claims: admin })) },
    {
      route: "GET /admin/users?status=", allowance: ADMIN_CHECK, kind: "read", handler: adminFindUsers, status: 200,
      // A page of three suspended accounts from the status index (GSI2).
      prepare: async (n) => {
        for (const user of await f.users(3)) await suspendUser(services)({ userId: user.userId, actorId: admin.sub, reason: "bench", correlationId: "bench" });
        return repeat(n, () => ({ method: "GET", path: "/admin/users", query: { status: "suspended", limit: "20" }, claims: admin }));
      },
    },
    {
      route: "PUT /users/me", kind: "write", handler: updateMe, status: 200,
      // Alternating names: every call is a real change, never the no-op path.
      prepare: async (n) => repeat(n, (i) => ({ method: "PUT", path: "/users/me", body: { firstName: i % 2 ? "Ada" : "Bea" }, claims: me(reader) })),
    },
    {
      route: "POST /users/me/emails", kind: "write", handler: addEmail, status: 201,
      prepare: async (n) => {
        const users = await f.users(Math.ceil(n / 4));
        return repeat(n, (i) => ({ method: "POST", path: "/users/me/emails", body: { email: `added-${i}-${users[0]?.userId}@example.com` }, claims: me(users[Math.floor(i / 4)] as BenchUser) }));
      },
    },
    {
      route: "POST .../{emailId}/verify", allowance: { reads: 1, why: "the send windows are keyed by the folded address, which only the email item holds" }, kind: "write", handler: sendVerification, status: 200,
      prepare: async (n) => (await f.unverifiedEmails(n)).map(({ user, emailId }) => ({ method: "POST", path: `/users/me/emails/${emailId}/verify`, ...emailPath("/verify"), pathParameters: { emailId }, claims: me(user) })),
    },
    {
      route: "POST .../{emailId}/verify/confirm", allowance: { writes: 1, why: "the attempt is spent with an UpdateItem before the code is compared" }, kind: "write", handler: confirmVerification, status: 200,
      prepare: async (n) => (await f.unverifiedEmails(n)).map(({ user, emailId, code }) => ({ method: "POST", path: `/users/me/emails/${emailId}/verify/confirm`, ...emailPath("/verify/confirm"), pathParameters: { emailId }, body: { code }, claims: me(user) })),
    },
    {
      route: "PUT .../{emailId}/primary", kind: "write", handler: setPrimaryEmail, status: 200,
      prepare: async (n) => repeat(n, (i) => {
        const emailId = switchTargets[i % 2] as string;
        return { method: "PUT", path: `/users/me/emails/${emailId}/primary`, ...emailPath("/primary"), pathParameters: { emailId }, claims: me(switcher) };
      }),
    },
    {
      route: "DELETE /users/me/emails/{emailId}", kind: "write", handler: removeEmail, status: 204,
      prepare: async (n) => (await f.unverifiedEmails(n)).map(({ user, emailId }) => ({ method: "DELETE", path: `/users/me/emails/${emailId}`, ...emailPath(""), pathParameters: { emailId }, claims: me(user) })),
    },
    { route: "DELETE /users/me", kind: "write", handler: deleteMe, status: 200, prepare: async (n) => (await f.users(n)).map((user) => ({ method: "DELETE", path: "/users/me", claims: me(user) })) },
    {
      route: "POST /admin/users/{userId}/suspend", allowance: ADMIN_CHECK, kind: "write", handler: adminSuspendUser, status: 200,
      prepare: async (n) => {
        const users = await f.users(n);
        suspended.push(...users);
        return users.map(({ userId }) => ({ method: "POST", path: `/admin/users/${userId}/suspend`, resource: "/admin/users/{userId}/suspend", pathParameters: { userId }, body: { reason: "bench" }, claims: admin }));
      },
    },
    {
      route: "POST /admin/users/{userId}/reactivate", allowance: ADMIN_CHECK, kind: "write", handler: adminReactivateUser, status: 200,
      // The accounts the suspend route just suspended.
      prepare: async (n) => suspended.splice(0, n).map(({ userId }) => ({ method: "POST", path: `/admin/users/${userId}/reactivate`, resource: "/admin/users/{userId}/reactivate", pathParameters: { userId }, claims: admin })),
    },
    {
      // Public: the token of the restore link mailed at deletion (each account deleted beforehand).
      route: "POST /account/restore", allowance: { reads: 1, why: "only the token item says whose account it is" }, kind: "write", handler: restoreAccount, status: 200,
      prepare: async (n) =>
        Promise.all(
          (await f.users(n)).map(async (user) => {
            await deleteAccount(services)({ userId: user.userId, correlationId: "bench", actor: userActor(user.userId) });
            return { method: "POST", path: "/account/restore", body: { token: linkToken(mailbox, user.email, "restore") } };
          }),
        ),
    },
    {
      // Public: the revert link mailed to the old address after a primary change made beforehand.
      route: "POST /account/revert", allowance: { reads: 1, why: "only the token item says whose account it is" }, kind: "write", handler: revertPrimaryEmail, status: 200,
      prepare: async (n) =>
        Promise.all(
          (await f.users(n)).map(async (user) => {
            const { emailId } = await f.addVerified(user);
            const caller = { userId: user.userId, groups: [], authTime: Math.floor(services.clock.now().getTime() / 1000) };
            await changePrimary(services)({ caller, emailId, correlationId: "bench" });
            return { method: "POST", path: "/account/revert", body: { token: linkToken(mailbox, user.email, "revert") } };
          }),
        ),
    },
    {
      route: "POST /admin/users/{userId}/purge (new account)", kind: "purge", handler: adminPurgeUser, status: 200,
      prepare: async (n) => (await f.users(n)).map(({ userId }) => purgeCall(userId, admin)),
    },
  ];
}

/** The purge of the typical account (5 addresses, 50 activity items), through the admin route. */
export async function typicalPurgeScenario(services: Services, mailbox: MemoryMailbox): Promise<RouteScenario> {
  const f = benchFixtures(services, mailbox);
  const admin = { sub: (await f.signUp()).userId, groups: ["admins"] };
  return {
    route: "POST /admin/users/{userId}/purge (typical: 5 addresses, 50 activity items)", kind: "purge", handler: adminPurgeUser, status: 200,
    prepare: async (n) => (await f.typicalAccounts(n)).map(({ userId }) => purgeCall(userId, admin)),
  };
}

const purgeCall = (userId: string, admin: { sub: string; groups: string[] }): ApiEventInput => ({
  method: "POST",
  path: `/admin/users/${userId}/purge`,
  resource: "/admin/users/{userId}/purge",
  pathParameters: { userId },
  claims: admin,
});

/** The token of the newest restore or revert link mailed to an address. */
function linkToken(mailbox: MemoryMailbox, address: string, purpose: "restore" | "revert"): string {
  for (const mail of mailbox.to(address).reverse()) {
    const token = new RegExp(`#${purpose}=([A-Za-z0-9_-]{43})`).exec(mail.text)?.[1];
    if (token) return token;
  }
  throw new Error(`no ${purpose} link mailed to ${address}`);
}

const repeat = (n: number, make: (i: number) => ApiEventInput): ApiEventInput[] => Array.from({ length: n }, (_, i) => make(i));
