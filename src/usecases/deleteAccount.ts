import type { Services } from "../ports/services.js";
import type { Actor } from "../domain/activity.js";
import { createEvent } from "../domain/events.js";
import { generateLinkToken, linkTokenDigest, linkUrl, type LinkTokenRecord } from "../domain/linkToken.js";
import { epochSeconds } from "../ports/clock.js";
import { accountDeletedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { changeProfile } from "./changeProfile.js";

export interface DeleteAccountInput {
  userId: string;
  correlationId: string;
  /** Who deletes: the user (DELETE /users/me), or the system (the consumer of Cognito's DeleteUser record). */
  actor: Actor;
}

export interface DeletedAccount {
  deletedAt: string;
  /** When the purge job erases the account: deletedAt + DELETION_GRACE_DAYS (SPEC 12.1). */
  purgeAt: string;
}

/** deletedAt + the grace period, as an ISO string (the sparse index sorts on it). */
export function purgeDateOf(deletedAt: string, graceDays: number): string {
  return new Date(Date.parse(deletedAt) + graceDays * 86_400_000).toISOString();
}

/**
 * Soft delete: the profile stays with status `deleted` until `purgeAt` (the cognitoSync consumer
 * disables the Cognito user on the event). A second call answers with the first dates and writes nothing.
 * A suspended user may still delete: erasure is not something a suspension should block.
 * The primary address gets a notice with a restore link (SPEC 12.1), valid until purgeAt, whose
 * token is written in the deletion's own transaction. Without a keyed hasher there is no link:
 * the consumer of Cognito's DeleteUser composes none, since the Cognito user is gone then and a
 * restore could not bring back the sign-in; its notice says only that the account was deleted.
 */
export const deleteAccount =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids"> & Partial<Pick<Services, "keyedHasher">>) =>
  ({ userId, correlationId, actor }: DeleteAccountInput): Promise<DeletedAccount> =>
    changeProfile(services)({
      userId,
      correlationId,
      actor,
      async decide(current, ctx, sequence) {
        if (current.status === "deleted" && current.deletedAt) {
          // A profile deleted before the grace period existed gets its purge date from deletedAt.
          const purgeAt = current.purgeAt ?? purgeDateOf(current.deletedAt, services.config.deletionGraceDays);
          return { unchanged: { deletedAt: current.deletedAt, purgeAt } };
        }

        const purgeAt = purgeDateOf(ctx.now, services.config.deletionGraceDays);
        const event = createEvent("user.deleted", { userId, deletedAt: ctx.now }, ctx, sequence);
        const token = services.keyedHasher ? generateLinkToken() : undefined;
        const restoreLink: LinkTokenRecord | undefined =
          token && services.keyedHasher
            ? {
                digest: await linkTokenDigest(services.keyedHasher, token),
                userId,
                purpose: "restore",
                expiresAt: epochSeconds(new Date(purgeAt)),
                createdAt: ctx.now,
              }
            : undefined;
        return {
          next: { ...current, status: "deleted", deletedAt: ctx.now, purgeAt },
          event,
          options: restoreLink ? { issueLink: restoreLink } : {},
          answer: async () => {
            const link = token ? linkUrl(services.config.webUrl, "restore", token) : undefined;
            await sendNotice(services, accountDeletedNotice(current.email, purgeAt, link), userId);
            return { deletedAt: ctx.now, purgeAt };
          },
        };
      },
    });
