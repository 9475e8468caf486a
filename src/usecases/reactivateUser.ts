import type { Services } from "../composition/services.js";
import { accountReactivatedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { eventContext } from "../composition/eventContext.js";
import { adminActor } from "../domain/activity.js";
import { AccountDeletedError, NotFoundError, OwnAccountStatusChangeError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface ReactivateUserInput {
  userId: string;
  /** The admin acting; never the account itself. */
  actorId: string;
  correlationId: string;
}

/** Admin action, the inverse of suspendUser: an active account is a no-op, a deleted one 409. */
export const reactivateUser =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids">) =>
  async ({ userId, actorId, correlationId }: ReactivateUserInput): Promise<UserProfile> => {
    if (actorId === userId) throw new OwnAccountStatusChangeError();
    return retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read) throw new NotFoundError("User");
      const { profile: current, sequence } = read;
      if (current.status === "deleted") throw new AccountDeletedError();
      if (current.status === "active") return current;

      const ctx = eventContext(services, correlationId, adminActor(actorId));
      const { suspendedReason: _reason, ...rest } = current;
      const active: UserProfile = { ...rest, status: "active", version: current.version + 1, updatedAt: ctx.now };
      const event = createEvent("user.reactivated", { userId }, ctx, sequence + 1);
      await services.profiles.saveAtVersion(active, current.version, event);
      await sendNotice(services, accountReactivatedNotice(current.email), userId);
      return active;
    });
  };
