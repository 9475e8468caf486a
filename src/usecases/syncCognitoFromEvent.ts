import type { Services } from "../ports/services.js";
import { eventDetailSchemas } from "../domain/eventSchemas.js";
import type { UserProfile } from "../domain/user.js";
import { logger } from "../observability.js";

/** The part of an EventBridge event this consumer reads. */
export interface IncomingEvent {
  "detail-type": string;
  detail: unknown;
}

export type SyncOutcome =
  | { action: "setEmail" | "revertEmail" | "disable" | "enable" | "delete"; userId: string }
  | { action: "skipped"; userId?: string; reason: "unhandled-type" | "no-profile" | "stale" };

/**
 * Keeps Cognito in step with our data (SPEC 5.5). Events arrive at least once and in any order,
 * so each action is idempotent and is applied only while the profile, read now, still agrees with
 * the event: a late user.suspended after a reactivation, or an older primary change after a newer
 * one, is skipped. Whatever the profile says now was itself announced by an event that applies it.
 * Failures propagate, so EventBridge retries and finally dead-letters the event.
 */
export const syncCognitoFromEvent =
  ({ profiles, userDirectory }: Pick<Services, "profiles" | "userDirectory">) =>
  async (event: IncomingEvent): Promise<SyncOutcome> => {
    const plan = planFor(event, userDirectory);
    if (!plan) return { action: "skipped", reason: "unhandled-type" };

    const profile = await profiles.get(plan.userId);
    if (plan.action === "delete") {
      // user.purged: the profile is gone for good; one still there means the purge has not
      // committed (it never emits before), so this cannot happen short of a replayed old event.
      if (profile) return { action: "skipped", userId: plan.userId, reason: "stale" };
      await plan.apply();
      return { action: plan.action, userId: plan.userId };
    }
    if (!profile) {
      logger.warn("No profile for event; nothing to sync", { userId: plan.userId, detailType: event["detail-type"] });
      return { action: "skipped", userId: plan.userId, reason: "no-profile" };
    }
    if (!plan.stillCurrent(profile)) {
      logger.info("Stale event; profile has moved on", { userId: plan.userId, detailType: event["detail-type"] });
      return { action: "skipped", userId: plan.userId, reason: "stale" };
    }

    await plan.apply();
    return { action: plan.action, userId: plan.userId };
  };

interface Plan {
  userId: string;
  action: "setEmail" | "revertEmail" | "disable" | "enable" | "delete";
  stillCurrent(profile: UserProfile): boolean;
  apply(): Promise<void>;
}

/** What an event asks of Cognito, and the profile state under which it still holds. */
function planFor(event: IncomingEvent, directory: Services["userDirectory"]): Plan | undefined {
  switch (event["detail-type"]) {
    case "email.primary.changed": {
      const { userId, newEmail, reason } = eventDetailSchemas["email.primary.changed"].parse(event.detail);
      if (reason === "revert") {
        // SPEC 12.3: the restored address becomes the sign-in name first, so the reset code goes
        // there; then every session (the one who changed it included) ends, and the password
        // must be reset. Each step is idempotent; a retry of the event repeats them harmlessly
        // (a repeated reset mails one more code and keeps the reset required).
        return {
          userId,
          action: "revertEmail",
          stillCurrent: (profile) => profile.email === newEmail,
          apply: async () => {
            await directory.setEmail(userId, newEmail);
            await directory.signOutEverywhere(userId);
            await directory.requirePasswordReset(userId);
          },
        };
      }
      return {
        userId,
        action: "setEmail",
        stillCurrent: (profile) => profile.email === newEmail,
        apply: () => directory.setEmail(userId, newEmail),
      };
    }
    case "user.suspended": {
      const { userId } = eventDetailSchemas["user.suspended"].parse(event.detail);
      return disablePlan(userId, "suspended", directory);
    }
    case "user.deleted": {
      const { userId } = eventDetailSchemas["user.deleted"].parse(event.detail);
      return disablePlan(userId, "deleted", directory);
    }
    case "user.reactivated":
    case "user.restored": {
      const { userId } = eventDetailSchemas[event["detail-type"]].parse(event.detail);
      return {
        userId,
        action: "enable",
        stillCurrent: (profile) => profile.status === "active",
        apply: () => directory.enable(userId),
      };
    }
    case "user.purged": {
      // SPEC 12.2: the account is erased; the Cognito user goes too (AdminDeleteUser; gone already is fine).
      const { userId } = eventDetailSchemas["user.purged"].parse(event.detail);
      return { userId, action: "delete", stillCurrent: () => false, apply: () => directory.deleteUser(userId) };
    }
    default:
      return undefined;
  }
}

function disablePlan(userId: string, status: UserProfile["status"], directory: Services["userDirectory"]): Plan {
  return {
    userId,
    action: "disable",
    stillCurrent: (profile) => profile.status === status,
    apply: () => directory.disableAndSignOut(userId),
  };
}
