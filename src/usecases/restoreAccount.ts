import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { userActor } from "../domain/activity.js";
import { InvalidLinkError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { accountRestoredNotice } from "./mailMessages.js";
import { findLink } from "./redeemLink.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface RestoreAccountInput {
  /** The request body: `{token}` from the restore link. */
  body: unknown;
  correlationId: string;
}

/**
 * POST /account/restore (SPEC 12.1): the restore link mailed at deletion makes the account active
 * again until its purge. One transaction spends the link, brings the profile back (no deletedAt,
 * purgeAt or status-index entry) on its version, and writes user.restored, on which the
 * Cognito-sync consumer enables the Cognito user. An account that was suspended when it was
 * deleted comes back suspended: deleting cannot lift a suspension. The actor is the user: only
 * the holder of the link's mailbox can do this.
 */
export const restoreAccount =
  (services: Pick<Services, "links" | "profiles" | "keyedHasher" | "mailer" | "config" | "clock" | "ids">) =>
  async ({ body, correlationId }: RestoreAccountInput): Promise<{ userId: string }> => {
    const token = await findLink(services, body, "restore");
    const { userId } = token;
    return retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read || read.profile.status !== "deleted") throw new InvalidLinkError();
      const { profile: current, sequence } = read;

      const ctx = eventContext(services, correlationId, userActor(userId));
      const { deletedAt: _deletedAt, purgeAt: _purgeAt, ...kept } = current;
      const restored: UserProfile = {
        ...kept,
        status: current.suspendedReason ? "suspended" : "active",
        version: current.version + 1,
        updatedAt: ctx.now,
      };
      const event = createEvent("user.restored", { userId }, ctx, sequence + 1);
      await services.links.restore({ profile: restored, expectedVersion: current.version, token, event });

      await sendNotice(services, accountRestoredNotice(current.email), userId);
      return { userId };
    });
  };
