import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { handler as addEmail } from "../../src/handlers/http/addEmail.js";
import { handler as adminFindUsers } from "../../src/handlers/http/adminFindUsers.js";
import { handler as adminGetUser } from "../../src/handlers/http/adminGetUser.js";
import { handler as adminGetUserActivity } from "../../src/handlers/http/adminGetUserActivity.js";
import { handler as adminPurgeUser } from "../../src/handlers/http/adminPurgeUser.js";
import { handler as adminReactivateUser } from "../../src/handlers/http/adminReactivateUser.js";
import { handler as adminSuspendUser } from "../../src/handlers/http/adminSuspendUser.js";
import { handler as confirmVerification } from "../../src/handlers/http/confirmVerification.js";
import { handler as deleteMe } from "../../src/handlers/http/deleteMe.js";
import { handler as exportMe } from "../../src/handlers/http/exportMe.js";
import { handler as getMe } from "../../src/handlers/http/getMe.js";
import { handler as getMyActivity } from "../../src/handlers/http/getMyActivity.js";
import { handler as listEmails } from "../../src/handlers/http/listEmails.js";
import { handler as removeEmail } from "../../src/handlers/http/removeEmail.js";
import { handler as restoreAccount } from "../../src/handlers/http/restoreAccount.js";
import { handler as revertPrimaryEmail } from "../../src/handlers/http/revertPrimaryEmail.js";
import { handler as sendVerification } from "../../src/handlers/http/sendVerification.js";
import { handler as setPrimaryEmail } from "../../src/handlers/http/setPrimaryEmail.js";
import { handler as updateMe } from "../../src/handlers/http/updateMe.js";
import { invoke, type ApiResponse, type TestClaims } from "./apiEvent.js";

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Every API route, as serverless.yml declares it ("METHOD /resource"), with the handler export
 * the gateway invokes; test/unit/apiClient.test.ts holds the table to serverless.yml.
 */
export const API_ROUTES = {
  "GET /users/me": getMe,
  "PUT /users/me": updateMe,
  "DELETE /users/me": deleteMe,
  "GET /users/me/emails": listEmails,
  "POST /users/me/emails": addEmail,
  "DELETE /users/me/emails/{emailId}": removeEmail,
  "POST /users/me/emails/{emailId}/verify": sendVerification,
  "POST /users/me/emails/{emailId}/verify/confirm": confirmVerification,
  "PUT /users/me/emails/{emailId}/primary": setPrimaryEmail,
  "GET /admin/users/{userId}": adminGetUser,
  "GET /admin/users": adminFindUsers,
  "POST /admin/users/{userId}/suspend": adminSuspendUser,
  "POST /admin/users/{userId}/reactivate": adminReactivateUser,
  "POST /account/restore": restoreAccount,
  "POST /account/revert": revertPrimaryEmail,
  "POST /admin/users/{userId}/purge": adminPurgeUser,
  "GET /users/me/activity": getMyActivity,
  "GET /admin/users/{userId}/activity": adminGetUserActivity,
  "GET /users/me/export": exportMe,
} satisfies Record<string, ProxyHandler>;

export type ApiRoute = keyof typeof API_ROUTES;

export interface ApiCall {
  /** The route's path parameters (`{emailId}`, `{userId}`): each one its resource names, no other. */
  params?: Record<string, string>;
  /** The verified caller's claims; omit for a call without a token (public routes, 401). */
  as?: TestClaims;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string as is (malformed or oversize bodies). */
  body?: string | object;
  headers?: Record<string, string>;
}

/**
 * One typed client for route tests: names a route as the API documents it, fills its path from
 * the parameters, and runs the real handler on a gateway-shaped event, as the deployed API does.
 */
export async function api<T = Record<string, unknown>>(route: ApiRoute, call: ApiCall = {}): Promise<ApiResponse<T>> {
  const [method, resource] = route.split(" ") as [string, string];
  const params = call.params ?? {};
  const names = [...resource.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  if ([...names].sort().join() !== Object.keys(params).sort().join()) {
    throw new Error(`${route} takes the parameters {${names.join(", ")}}, not {${Object.keys(params).join(", ")}}`);
  }
  const path = resource.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  return invoke<T>(API_ROUTES[route], {
    method,
    path,
    resource,
    ...(names.length > 0 ? { pathParameters: params } : {}),
    ...(call.as ? { claims: call.as } : {}),
    ...(call.query ? { query: call.query } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(call.headers ? { headers: call.headers } : {}),
  });
}
