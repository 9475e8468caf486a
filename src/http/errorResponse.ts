import * as E from "../domain/errors.js";
import * as T from "./transportErrors.js";

/** The spec's error body, for every error the service or gateway returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: E.FieldIssue[];
  requestId: string;
  retryAfter?: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** The one mapping from domain and transport errors to HTTP status codes. */
const STATUS_BY_ERROR = new Map<new (...args: never[]) => E.DomainError | T.TransportError, number>([
  [E.ValidationError, 400],
  [T.MalformedBodyError, 400],
  [E.CannotDeletePrimaryEmailError, 400],
  [E.CannotDeleteLastEmailError, 400],
  [E.EmailNotVerifiedError, 400],
  [E.EmailAlreadyVerifiedError, 400],
  [E.InvalidVerificationCodeError, 400],
  [E.InvalidLinkError, 400],
  [E.UnauthorizedError, 401],
  [E.ForbiddenError, 403],
  [E.AccountNotActiveError, 403],
  [E.OwnAccountStatusChangeError, 403],
  [E.RecentSignInRequiredError, 403],
  [E.NotFoundError, 404],
  [E.RouteNotFoundError, 404],
  [E.ConcurrentModificationError, 409],
  [E.AccountDeletedError, 409],
  [E.EmailNotAvailableError, 409],
  [T.IdempotencyInProgressError, 409],
  [E.PreconditionFailedError, 412],
  [T.PayloadTooLargeError, 413],
  [T.IdempotencyKeyMismatchError, 422],
  [E.EmailLimitReachedError, 429],
  [E.RateLimitExceededError, 429],
]);

const isMapped = (error: unknown): error is E.DomainError | T.TransportError =>
  error instanceof E.DomainError || error instanceof T.TransportError;

function statusFor(error: unknown): number {
  if (isMapped(error)) {
    for (const [type, status] of STATUS_BY_ERROR) if (error instanceof type) return status;
  }
  return 500;
}

export function errorBody(statusCode: number, message: string, requestId: string, details?: E.FieldIssue[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_TEXT[statusCode] ?? "Error",
    message,
    ...(details && details.length > 0 ? { details } : {}),
    requestId,
  };
}

/** Body and extra headers for any thrown value; unknown errors never leak their message. */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { statusCode: number; body: ErrorBody; headers: Record<string, string> } {
  const statusCode = statusFor(error);
  if (statusCode === 500 || !isMapped(error)) {
    return { statusCode: 500, body: errorBody(500, "Internal server error", requestId), headers: {} };
  }
  const details = error instanceof E.ValidationError ? error.details : undefined;
  const body = errorBody(statusCode, error.message, requestId, details);
  const headers: Record<string, string> = {};
  if (error instanceof E.RateLimitExceededError) {
    body.retryAfter = error.retryAfterSeconds;
    headers["Retry-After"] = String(error.retryAfterSeconds);
    if (error.window) {
      headers["X-RateLimit-Limit"] = String(error.window.limit);
      headers["X-RateLimit-Remaining"] = "0";
      headers["X-RateLimit-Reset"] = String(error.window.resetAt);
    }
  }
  return { statusCode, body, headers };
}
