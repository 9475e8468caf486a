import type { APIGatewayProxyEvent } from "aws-lambda";
import type { Caller } from "../domain/caller.js";
import { UnauthorizedError } from "../domain/errors.js";
import { MalformedBodyError, PayloadTooLargeError } from "./transportErrors.js";

export const MAX_BODY_BYTES = 10 * 1024;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A header value, case-insensitively (API Gateway keeps the client's casing). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** A well-formed incoming X-Correlation-Id, else the gateway's request id. */
export function correlationIdOf(event: APIGatewayProxyEvent): string {
  const incoming = header(event, "x-correlation-id");
  return incoming && CORRELATION_ID.test(incoming) ? incoming : event.requestContext.requestId;
}

/**
 * The caller from the authorizer's verified claims, and from nowhere else. API Gateway REST
 * hands claims over as strings; `cognito:groups` arrives as "admins" or "[a b]" / "a,b".
 * The authorizer checks signature, issuer, expiry and scope but not which app client the token
 * was issued to: a token of another client of the pool (one with other scopes or flows) must not
 * reach a route, so `client_id` is compared here, and a missing configuration refuses everyone.
 */
export function callerOf(event: APIGatewayProxyEvent, appClientId: string | undefined): Caller {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, unknown>;
  const sub = claims.sub;
  if (typeof sub !== "string" || sub.length === 0) throw new UnauthorizedError();
  if (appClientId === undefined || claims.client_id !== appClientId) throw new UnauthorizedError();
  const authTime = Number(claims.auth_time);
  return {
    userId: sub,
    groups: parseGroups(claims["cognito:groups"]),
    ...(Number.isFinite(authTime) && authTime > 0 ? { authTime } : {}),
  };
}

function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== "string") return [];
  return raw
    .replace(/^\[|\]$/g, "")
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The JSON body: undefined when empty, 413 over the limit, 400 when not JSON. */
export function jsonBodyOf(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === "") return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new MalformedBodyError();
  }
}
