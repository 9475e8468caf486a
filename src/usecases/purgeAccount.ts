import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import type { Actor } from "../domain/activity.js";
import { NotFoundError, OwnAccountStatusChangeError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { PurgeOutcome } from "../ports/accountPurgeStore.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface PurgeAccountInput {
  userId: string;
  correlationId: string;
  /** An admin (POST /admin/users/{userId}/purge: any account, at once) or the system (the job: due accounts only). */
  actor: Actor;
}

export interface PurgeResult {
  outcome: PurgeOutcome;
  /** When the account was erased (the time of the run that erased it). */
  purgedAt: string;
}

/**
 * Erases one account for good (SPEC 12.2) and emits `user.purged {userId, purgedAt, actorId?}`,
 * which carries no personal data; the Cognito-sync consumer deletes the Cognito user on it.
 * Idempotent: a run after a finished purge finds nothing ("absent"), a run after a crash finishes.
 * The job purges only deleted accounts whose purgeAt has passed; an admin purges any account but
 * its own, and an unknown (or already purged) account is 404 to it.
 */
export const purgeAccount =
  (services: Pick<Services, "accountPurges" | "config" | "clock" | "ids">) =>
  async ({ userId, correlationId, actor }: PurgeAccountInput): Promise<PurgeResult> => {
    const admin = actor.type === "admin";
    if (admin && actor.userId === userId) throw new OwnAccountStatusChangeError();
    const ctx = eventContext(services, correlationId, actor);
    // The store knows the number: the one after the counter of the profile it deletes.
    const event = (sequence: number) =>
      createEvent("user.purged", { userId, purgedAt: ctx.now, ...(admin ? { actorId: actor.userId } : {}) }, ctx, sequence);
    // The purge resumes where it stopped: a lost sequence race runs it again from a new read.
    const outcome = await retryingSequenceConflicts(() => services.accountPurges.purge(userId, { now: ctx.now, dueOnly: !admin, event }));
    if (admin && outcome === "absent") throw new NotFoundError("User");
    return { outcome, purgedAt: ctx.now };
  };
