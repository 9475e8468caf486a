/**
 * Typed domain errors. Each carries only domain meaning; the HTTP status and body
 * are decided in exactly one place: src/http/errorResponse.ts. Errors of the transport (body,
 * size, Idempotency-Key) are src/http's own: src/http/transportErrors.ts.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Request is malformed or fails a rule on its fields (400). */
export class ValidationError extends DomainError {
  constructor(
    message = "Request validation failed",
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * A restore or revert link that is malformed, unknown, used, replaced, expired or meant for the
 * other route (400): one message for all, so a token's state cannot be probed.
 */
export class InvalidLinkError extends DomainError {
  constructor() {
    super("Invalid or expired link");
  }
}

/** No verified caller identity (401). */
export class UnauthorizedError extends DomainError {
  constructor(message = "Unauthorized") {
    super(message);
  }
}

/** The caller is not allowed to do this (403). */
export class ForbiddenError extends DomainError {
  constructor(message = "Forbidden") {
    super(message);
  }
}

/** Writes by suspended or deleted users (403). */
export class AccountNotActiveError extends DomainError {
  constructor() {
    super("Account is not active");
  }
}

/**
 * An admin suspending, reactivating or purging its own account (403): a suspended admin must not
 * lift its own suspension, and no admin should lock itself out by mistake.
 */
export class OwnAccountStatusChangeError extends DomainError {
  constructor() {
    super("Admins cannot change the status of their own account");
  }
}

/** Sensitive operation without a sign-in in the last 15 minutes (403). */
export class RecentSignInRequiredError extends DomainError {
  constructor() {
    super("Recent sign-in required");
  }
}

/** Missing, or not the caller's: the same answer either way (404). */
export class NotFoundError extends DomainError {
  constructor(what = "Resource") {
    super(`${what} not found`);
  }
}

/** Unknown route or method (404 / 405). */
export class RouteNotFoundError extends DomainError {
  constructor(method: string, path: string) {
    super(`No route for ${method} ${path}`);
  }
}

/** Status changes on an account that was deleted: deletion is final (409). */
export class AccountDeletedError extends DomainError {
  constructor() {
    super("Account has been deleted");
  }
}

/** A write lost an optimistic-locking race (409). */
export class ConcurrentModificationError extends DomainError {
  constructor() {
    super("Resource was modified. Please refresh and try again.");
  }
}

/** Address already claimed, by anyone (409); the same message for own and others' addresses. */
export class EmailNotAvailableError extends DomainError {
  constructor() {
    super("Email address is not available");
  }
}

/** The change was conditioned on versions the resource no longer has: a stale If-Match (412). */
export class PreconditionFailedError extends DomainError {
  constructor() {
    super("Resource has changed since it was read (If-Match does not match)");
  }
}

/** At most five addresses per user (429). */
export class EmailLimitReachedError extends DomainError {
  constructor(readonly limit: number) {
    super(`Maximum of ${limit} email addresses reached`);
  }
}

const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/** Verification codes sent too often to one address, or too many wrong attempts (429). */
export class RateLimitExceededError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Verification limit reached. Try again in ${minutesOf(retryAfterSeconds)} minutes.`,
    /** The window that was exhausted, for the X-RateLimit-* headers of the 429. */
    readonly window?: { limit: number; resetAt: number },
  ) {
    super(message);
  }
}

/** One user's code mails across all addresses, over the hourly budget (429). */
export class VerificationEmailBudgetError extends RateLimitExceededError {
  constructor(retryAfterSeconds: number, window: { limit: number; resetAt: number }) {
    super(retryAfterSeconds, `Too many verification emails. Try again in ${minutesOf(retryAfterSeconds)} minutes.`, window);
  }
}

/** An address whose codes were killed too often: no new code for anyone until the lock ends (429). */
export class AddressLockedError extends RateLimitExceededError {
  constructor(retryAfterSeconds: number, window: { limit: number; resetAt: number }) {
    const hours = Math.max(1, Math.ceil(retryAfterSeconds / 3600));
    super(retryAfterSeconds, `Too many incorrect codes for this address. Try again in ${hours} hours.`, window);
  }
}

/**
 * A code that used up its tries (429, not 400, until a new code is sent): the client can tell
 * "wrong code, try again" from "stop, request a new code". Retry-After is 0 because a new code
 * may be requested at once, within the send limit.
 */
export class VerificationAttemptsExhaustedError extends RateLimitExceededError {
  constructor() {
    super(0, "Too many incorrect codes. Request a new verification code.");
  }
}

export class CannotDeletePrimaryEmailError extends DomainError {
  constructor() {
    super("Cannot delete primary email. Set another email as primary first.");
  }
}

export class CannotDeleteLastEmailError extends DomainError {
  constructor() {
    super("Cannot delete last email. Account must have at least one email.");
  }
}

export class EmailNotVerifiedError extends DomainError {
  constructor() {
    super("Email must be verified before setting as primary");
  }
}

export class EmailAlreadyVerifiedError extends DomainError {
  constructor() {
    super("Email is already verified");
  }
}

export class InvalidVerificationCodeError extends DomainError {
  constructor() {
    super("Invalid or expired verification code");
  }
}

/**
 * A queued sign-up the identity provider does not confirm (no such user, not confirmed, another
 * sub or address): nothing is written, and the job stays failed for an operator to look at.
 */
export class SignUpNotConfirmedError extends DomainError {
  constructor() {
    super("Sign-up is not confirmed by the user pool");
  }
}
