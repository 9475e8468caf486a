import type { IncomingMessage, ServerResponse } from "node:http";
import * as cognitoSdk from "@aws-sdk/client-cognito-identity-provider";
import { awsJsonError, RequestError, sendError, type Handler } from "../server/listen.js";
import { requestQuotas, type RequestQuotas } from "./requestQuotas.js";

/** cognito-local's Express application, as far as the guard uses it. */
export interface ExpressApplication {
  (req: IncomingMessage, res: ServerResponse): void;
  use(handler: (...args: never[]) => void): unknown;
}

/** Every operation of Cognito's API, named after the SDK's commands (`SignUpCommand` -> SignUp). */
const OPERATIONS = new Set(
  Object.keys(cognitoSdk)
    .filter((name) => /^[A-Z]\w+Command$/.test(name))
    .map((name) => name.slice(0, -"Command".length)),
);
const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE = /^application\/x-amz-json-1\.[01]\s*(;|$)/i;
/** body-parser's default limit, which cognito-local keeps: a declared length over it is refused unread. */
const MAX_BODY_BYTES = 100 * 1024;

/**
 * The operations Cognito serves without IAM credentials: unauthenticated ones and those authorized
 * by the user's own token. Everything else (Admin*, ListUsers, pool and client management) needs a
 * SigV4 signature in AWS, which no web page holds. cognito-local checks no signature and allows
 * every origin, so a browser call (one carrying Origin) may reach only these.
 */
const PUBLIC_OPERATIONS = new Set([
  "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword",
  "InitiateAuth", "RespondToAuthChallenge", "RevokeToken", "GetTokensFromRefreshToken",
  "GetUser", "UpdateUserAttributes", "DeleteUserAttributes", "DeleteUser", "ChangePassword",
  "GlobalSignOut", "GetUserAttributeVerificationCode", "VerifyUserAttribute",
  "SetUserMFAPreference", "SetUserSettings", "AssociateSoftwareToken", "VerifySoftwareToken",
  "ConfirmDevice", "ForgetDevice", "GetDevice", "ListDevices", "UpdateDeviceStatus", "GetUserAuthFactors",
]);

/**
 * What cognito-local would answer with a stack trace in HTML, or a 500, answered as Cognito does.
 * Returns the operation of a well-formed API call (undefined for other paths).
 */
function refuseMalformedCall(req: IncomingMessage): string | undefined {
  if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== "/") return undefined;
  if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) throw new RequestError(413, `Request body over ${MAX_BODY_BYTES} bytes`);
  const target = req.headers["x-amz-target"];
  const operation = typeof target === "string" && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (!operation || !OPERATIONS.has(operation)) {
    throw new RequestError(400, `Unknown operation ${JSON.stringify(target ?? "")}`, "UnknownOperationException");
  }
  if (!CONTENT_TYPE.test(req.headers["content-type"] ?? "")) {
    throw new RequestError(400, "Content-Type must be application/x-amz-json-1.1", "SerializationException");
  }
  if (req.headers.origin !== undefined && !PUBLIC_OPERATIONS.has(operation)) {
    throw new RequestError(403, `${operation} needs IAM credentials; a browser page cannot call it`, "AccessDeniedException");
  }
  return operation;
}

/** Status of an error Express passes on: body-parser's carry theirs (400 bad JSON, 413 too large). */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}

/**
 * cognito-local's HTTP front as Cognito's: an unknown operation, the wrong content type, bad JSON,
 * a body over the limit and an unknown path are 4xx in AWS JSON's `{__type, message}` instead of
 * Express's HTML pages. A well-formed call of an operation cognito-local lacks keeps its answer,
 * HTTP 500 `CognitoLocal#Unsupported` (the Cognito adapter recognises it locally). Every
 * well-formed call is counted by operation, and refused above its category's rate when `quotas`
 * has limits (none by default).
 */
export function cognitoRequestGuard(app: ExpressApplication, quotas: RequestQuotas = requestQuotas()): Handler {
  app.use((_req: IncomingMessage, res: ServerResponse) => {
    sendError(res, 404, awsJsonError(404, "No such path on cognito-local", "ResourceNotFoundException"));
  });
  // Express recognises an error handler by its four parameters.
  app.use((error: unknown, req: IncomingMessage, res: ServerResponse, _next: () => void) => {
    const status = statusOf(error);
    if (status >= 500) process.stderr.write(`cognito-local: ${req.method} ${req.url} failed: ${String(error)}\n`);
    const message = status >= 500 ? "Internal error" : error instanceof Error ? error.message : String(error);
    sendError(res, status, awsJsonError(status, message, status === 400 ? "SerializationException" : undefined));
  });
  return (req, res) => {
    const operation = refuseMalformedCall(req);
    // Over its category's rate the call is refused as Cognito refuses it; the SDKs retry that
    // error as throttling, with backoff (see requestQuotas).
    if (operation && !quotas.admit(operation)) throw new RequestError(400, "Rate exceeded", "TooManyRequestsException");
    app(req, res);
  };
}
