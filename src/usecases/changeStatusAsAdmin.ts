import type { Services } from "../ports/services.js";
import { adminActor } from "../domain/activity.js";
import { AccountDeletedError, OwnAccountStatusChangeError } from "../domain/errors.js";
import type { DomainEvent, EventContext } from "../domain/events.js";
import type { UserProfile, UserStatus } from "../domain/user.js";
import type { OutgoingMail } from "../ports/mailer.js";
import { changeProfile } from "./changeProfile.js";
import { sendNotice } from "./sendNotice.js";

/** What one admin status change (suspend, reactivate) decides; the shared steps are below. */
export interface StatusChange {
  userId: string;
  actorId: string;
  correlationId: string;
  /** The status the change leads to: an account already there is answered as it is, no event. */
  to: UserStatus;
  /** The profile after the change (version and updatedAt are set here). */
  next(current: UserProfile): UserProfile;
  event(ctx: EventContext, sequence: number): DomainEvent;
  notice(current: UserProfile): OutgoingMail;
}

/**
 * Suspend and reactivate: never on the admin's own account (403), 404 for an unknown user, 409 for
 * a deleted one (deletion is the user's own choice, not undone by a status pair), a no-op when the
 * account already has the status. Otherwise one write on the read version carrying the event, then
 * the notice; a lost race on the event counter reads and writes again.
 */
export const changeStatusAsAdmin =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids">) =>
  async (change: StatusChange): Promise<UserProfile> => {
    const { userId, actorId } = change;
    if (actorId === userId) throw new OwnAccountStatusChangeError();
    return changeProfile(services)({
      userId,
      correlationId: change.correlationId,
      actor: adminActor(actorId),
      decide(current, ctx, sequence) {
        if (current.status === "deleted") throw new AccountDeletedError();
        if (current.status === change.to) return { unchanged: current };
        return {
          next: { ...change.next(current), status: change.to },
          event: change.event(ctx, sequence),
          answer: async (saved) => {
            await sendNotice(services, change.notice(current), userId);
            return saved;
          },
        };
      },
    });
  };
