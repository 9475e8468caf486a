import type { Services } from "../ports/services.js";
import type { PendingSignUp } from "../ports/signUpMarkers.js";
import { logger } from "../observability.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";
import { CONFIRMATION_CODE_LIFETIME_MS, SIGN_UP_GRACE_MS, TEMPORARY_PASSWORD_LIFETIME_MS } from "./markSignUpPending.js";

/**
 * Markers one run takes, oldest due first; the rest wait for the next run (hourly). One AdminGetUser
 * each, one after the other: about a minute of the job's five, far under Cognito's UserAccountRead
 * rate (docs/capacity.md).
 */
export const RECONCILE_BATCH = 2000;

export interface ReconcileReport {
  /** Due markers read: one Cognito call each. */
  checked: number;
  created: number;
  alreadyPresent: number;
  /** Not confirmed yet, looked at again later. */
  deferred: number;
  /** Markers dropped: user gone from the pool, or never confirmed within the code's lifetime. */
  dropped: number;
  failed: number;
}

type ReconcileServices = Pick<Services, "userDirectory" | "profiles"> & Parameters<typeof createUserFromSignUp>[0];

/**
 * The safety net under the PostConfirmation trigger (SPEC 5.4, 14.2), costing what recent sign-ups
 * cost: it reads only the pending markers PreSignUp left and the profile's transaction did not
 * remove, and asks Cognito about each (AdminGetUser), never listing the pool. A confirmed user
 * gets the profile the trigger would have written, by the same use case, whose transaction
 * removes the marker; a replay finds the profile and writes nothing. A user not confirmed yet is
 * looked at again later, backing off, until its code (or temporary password) has expired; then,
 * like a user gone from the pool, its marker is dropped. One marker's failure is counted and
 * logged, not fatal; the marker stays, so the next run retries it.
 */
export const reconcileUsers =
  (services: ReconcileServices) =>
  async ({ correlationId, limit = RECONCILE_BATCH }: { correlationId: string; limit?: number }): Promise<ReconcileReport> => {
    const now = services.clock.now().getTime();
    const markers = await services.profiles.dueSignUpMarkers(new Date(now).toISOString(), limit);
    const report: ReconcileReport = { checked: markers.length, created: 0, alreadyPresent: 0, deferred: 0, dropped: 0, failed: 0 };
    for (const marker of markers) {
      try {
        report[await reconcileOne(services, marker, now, correlationId)] += 1;
      } catch (error) {
        logger.error("Could not reconcile sign-up", { username: marker.username, error: error as Error });
        report.failed += 1;
      }
    }
    return report;
  };

async function reconcileOne(
  services: ReconcileServices,
  { username }: PendingSignUp,
  now: number,
  correlationId: string,
): Promise<"created" | "alreadyPresent" | "deferred" | "dropped"> {
  const user = await services.userDirectory.getUser(username);
  if (!user) {
    await services.profiles.dropSignUpMarker(username);
    return "dropped";
  }
  if (user.status === "CONFIRMED") {
    if (!user.email) throw new Error("Cognito user has no email attribute");
    const { created } = await createUserFromSignUp(services)({ userId: user.userId, email: user.email, correlationId, username });
    if (created) logger.info("Created missing profile", { userId: user.userId });
    // Created: the transaction took the marker. Present: the trigger wrote it without the marker.
    else await services.profiles.dropSignUpMarker(username);
    return created ? "created" : "alreadyPresent";
  }
  // Not confirmed: an UNCONFIRMED sign-up has its code's lifetime, an admin-created user its
  // temporary password's. Until then look again after as long as the sign-up is old (15 min,
  // 30 min, 1 h, ...), so a marker costs a handful of calls over its life, not one per run.
  const age = now - user.createdAt.getTime();
  const horizon = user.status === "UNCONFIRMED" ? CONFIRMATION_CODE_LIFETIME_MS : TEMPORARY_PASSWORD_LIFETIME_MS;
  if (age >= horizon) {
    await services.profiles.dropSignUpMarker(username);
    return "dropped";
  }
  const next = Math.min(now + Math.max(age, SIGN_UP_GRACE_MS), user.createdAt.getTime() + horizon);
  await services.profiles.deferSignUpMarker(username, new Date(next).toISOString());
  return "deferred";
}
