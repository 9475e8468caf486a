import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import type { Actor } from "../domain/activity.js";
import { NotFoundError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { generateLinkToken, linkTokenDigest, linkUrl, type LinkTokenRecord } from "../domain/linkToken.js";
import type { UserProfile } from "../domain/user.js";
import { epochSeconds } from "../ports/clock.js";
import { accountDeletedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

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
    retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read) throw new NotFoundError("User");
      const { profile: current, sequence } = read;
      if (current.status === "deleted" && current.deletedAt) {
        // A profile deleted before the grace period existed gets its purge date from deletedAt.
        return { deletedAt: current.deletedAt, purgeAt: current.purgeAt ?? purgeDateOf(current.deletedAt, services.config.deletionGraceDays) };
      }

      const ctx = eventContext(services, correlationId, actor);
      const purgeAt = purgeDateOf(ctx.now, services.config.deletionGraceDays);
      const deleted: UserProfile = {
        ...current,
        status: "deleted",
        deletedAt: ctx.now,
        purgeAt,
        version: current.version + 1,
        updatedAt: ctx.now,
      };
      const event = createEvent("user.deleted", { userId, deletedAt: ctx.now }, ctx, sequence + 1);
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
      await services.profiles.saveAtVersion(deleted, current.version, event, restoreLink ? { issueLink: restoreLink } : {});
      const link = token ? linkUrl(services.config.webUrl, "restore", token) : undefined;
      await sendNotice(services, accountDeletedNotice(current.email, purgeAt, link), userId);
      return { deletedAt: ctx.now, purgeAt };
    });
