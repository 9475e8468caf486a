import { RecentSignInRequiredError } from "./errors.js";

/** Who is calling, taken only from verified token claims. */
export interface Caller {
  userId: string;
  groups: readonly string[];
  /** Epoch seconds of the last sign-in (`auth_time`), when the token carries it. */
  authTime?: number;
}

export const ADMIN_GROUP = "admins";

export function isAdmin(caller: Caller): boolean {
  return caller.groups.includes(ADMIN_GROUP);
}

/** A sensitive change needs a sign-in this recent (seconds). */
export const RECENT_SIGN_IN_SECONDS = 15 * 60;

/**
 * Sensitive operations (deleting the account, changing the primary address) need a sign-in
 * within the last 15 minutes: a stolen access token lives up to an hour, a fresh `auth_time`
 * needs the password.
 */
export function assertRecentSignIn(caller: Caller, now: Date): void {
  const ageSeconds = Math.floor(now.getTime() / 1000) - (caller.authTime ?? Number.NEGATIVE_INFINITY);
  if (!(ageSeconds <= RECENT_SIGN_IN_SECONDS)) throw new RecentSignInRequiredError();
}
