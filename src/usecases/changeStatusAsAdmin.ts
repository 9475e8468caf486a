import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { adminActor } from "../domain/activity.js";
import { AccountDeletedError, NotFoundError, OwnAccountStatusChangeError } from "../domain/errors.js";
import type { DomainEvent, EventContext } from "../domain/events.js";
import type { UserProfile, UserStatus } from "../domain/user.js";
import type { OutgoingMail } from "../ports/mailer.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";
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
    return retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read) throw new NotFoundError("User");
      const { profile: current, sequence } = read;
      if (current.status === "deleted") throw new AccountDeletedError();
      if (current.status === change.to) return current;

      const ctx = eventContext(services, change.correlationId, adminActor(actorId));
      const next: UserProfile = { ...change.next(current), status: change.to, version: current.version + 1, updatedAt: ctx.now };
      await services.profiles.saveAtVersion(next, current.version, change.event(ctx, sequence + 1));
      await sendNotice(services, change.notice(current), userId);
      return next;
    });
  };
