import type { Services } from "../ports/services.js";
import { userActor } from "../domain/activity.js";
import { InvalidLinkError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { accountRestoredNotice } from "./mailMessages.js";
import { findLink } from "./redeemLink.js";
import { sendNotice } from "./sendNotice.js";
import { changeProfile } from "./changeProfile.js";

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
    return changeProfile(services)({
      userId,
      correlationId,
      actor: userActor(userId),
      missing: () => new InvalidLinkError(),
      decide(current, ctx, sequence) {
        if (current.status !== "deleted") throw new InvalidLinkError();
        const { deletedAt: _deletedAt, purgeAt: _purgeAt, ...kept } = current;
        const event = createEvent("user.restored", { userId }, ctx, sequence);
        return {
          next: { ...kept, status: current.suspendedReason ? "suspended" : "active" },
          event,
          save: ({ profile, expectedVersion }) => services.links.restore({ profile, expectedVersion, token, event }),
          answer: async () => {
            await sendNotice(services, accountRestoredNotice(current.email), userId);
            return { userId };
          },
        };
      },
    });
  };
