import type { Services } from "../ports/services.js";
import { logger } from "../observability.js";
import { createUserFromSignUp } from "./createUserFromSignUp.js";

/** How far back a run looks when the schedule does not say: two days covers a missed day. */
export const DEFAULT_RECONCILE_WINDOW_HOURS = 48;

export interface ReconcileInput {
  correlationId: string;
  windowHours?: number;
}

export interface ReconcileReport {
  /** Confirmed Cognito users created in the window. */
  scanned: number;
  created: number;
  alreadyPresent: number;
  failed: number;
}

type ReconcileServices = Pick<Services, "userDirectory"> & Parameters<typeof createUserFromSignUp>[0];

/**
 * The safety net under the PostConfirmation trigger (SPEC 5.4): every confirmed Cognito user
 * created in the window gets a profile, written by the very use case the trigger runs. That use
 * case finds an existing profile and writes nothing, so a second run, or a trigger racing this
 * one, creates nothing twice. One user's failure is counted and logged, not fatal, so
 * the rest still heal; the next scheduled run retries it.
 */
export const reconcileUsers =
  (services: ReconcileServices) =>
  async ({ correlationId, windowHours = DEFAULT_RECONCILE_WINDOW_HOURS }: ReconcileInput): Promise<ReconcileReport> => {
    const since = new Date(services.clock.now().getTime() - windowHours * 3600_000);
    const users = (await services.userDirectory.listUsersCreatedSince(since)).filter((u) => u.status === "CONFIRMED");
    const createUser = createUserFromSignUp(services);
    const report: ReconcileReport = { scanned: users.length, created: 0, alreadyPresent: 0, failed: 0 };

    for (const user of users) {
      try {
        if (!user.email) throw new Error("Cognito user has no email attribute");
        const { created } = await createUser({ userId: user.userId, email: user.email, correlationId });
        if (created) logger.info("Created missing profile", { userId: user.userId });
        report[created ? "created" : "alreadyPresent"] += 1;
      } catch (error) {
        logger.error("Could not reconcile user", { userId: user.userId, error: error as Error });
        report.failed += 1;
      }
    }
    return report;
  };
