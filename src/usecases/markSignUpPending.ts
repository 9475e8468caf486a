import type { Services } from "../ports/services.js";

/**
 * How long PostConfirmation's own retries and the sign-up retry queue get before reconciliation
 * looks at a sign-up: the job is the net under them, not a race with them.
 */
export const SIGN_UP_GRACE_MS = 15 * 60_000;
/** A confirmation code's lifetime in Cognito: an UNCONFIRMED user older than this is abandoned. */
export const CONFIRMATION_CODE_LIFETIME_MS = 24 * 3600_000;
/** terraform/cognito.tf temporary_password_validity_days: an admin-created user's horizon. */
export const TEMPORARY_PASSWORD_LIFETIME_MS = 7 * 24 * 3600_000;
/** A marker outlives every horizon above by a day, then DynamoDB's TTL removes it unattended. */
export const SIGN_UP_MARKER_TTL_MS = TEMPORARY_PASSWORD_LIFETIME_MS + 24 * 3600_000;

/**
 * PreSignUp, once the sign-up is allowed (SPEC 14.2): leaves a pending marker naming the pool's
 * username, due for reconciliation after the grace period. The profile's transaction removes it;
 * what is left is exactly the set of sign-ups the job must check, so a run costs what recent
 * sign-ups cost. The marker holds no address and no attribute, only the username and its TTL.
 */
export const markSignUpPending =
  ({ profiles, clock }: Pick<Services, "profiles" | "clock">) =>
  async ({ username }: { username: string }): Promise<void> => {
    const now = clock.now().getTime();
    await profiles.markSignUpPending({
      username,
      dueAt: new Date(now + SIGN_UP_GRACE_MS).toISOString(),
      expiresAt: Math.ceil((now + SIGN_UP_MARKER_TTL_MS) / 1000),
    });
  };
