import type { Services } from "../composition/services.js";
import { accountSuspendedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { eventContext } from "../composition/eventContext.js";
import { adminActor } from "../domain/activity.js";
import { AccountDeletedError, NotFoundError, OwnAccountStatusChangeError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface SuspendUserInput {
  userId: string;
  /** The admin acting; never the account itself. */
  actorId: string;
  reason: string;
  correlationId: string;
}

/**
 * Admin action. Suspending a suspended account changes nothing (the first reason stands, no
 * event); a deleted account stays deleted (409): deletion is final, and reviving it through a
 * suspend/reactivate pair would undo the user's own choice.
 */
export const suspendUser =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids">) =>
  async ({ userId, actorId, reason, correlationId }: SuspendUserInput): Promise<UserProfile> => {
    if (actorId === userId) throw new OwnAccountStatusChangeError();
    return retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read) throw new NotFoundError("User");
      const { profile: current, sequence } = read;
      if (current.status === "deleted") throw new AccountDeletedError();
      if (current.status === "suspended") return current;

      const ctx = eventContext(services, correlationId, adminActor(actorId));
      const suspended: UserProfile = {
        ...current,
        status: "suspended",
        suspendedReason: reason,
        version: current.version + 1,
        updatedAt: ctx.now,
      };
      const event = createEvent("user.suspended", { userId, reason }, ctx, sequence + 1);
      await services.profiles.saveAtVersion(suspended, current.version, event);
      await sendNotice(services, accountSuspendedNotice(current.email), userId);
      return suspended;
    });
  };
