import type { Services } from "../composition/services.js";
import { eventContext } from "../composition/eventContext.js";
import type { Actor } from "../domain/activity.js";
import { NotFoundError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";

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
 */
export const deleteAccount =
  (services: Pick<Services, "profiles" | "config" | "clock" | "ids">) =>
  async ({ userId, correlationId, actor }: DeleteAccountInput): Promise<DeletedAccount> => {
    const current = await services.profiles.get(userId);
    if (!current) throw new NotFoundError("User");
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
    const event = createEvent("user.deleted", { userId, deletedAt: ctx.now }, ctx);
    await services.profiles.saveAtVersion(deleted, current.version, event);
    return { deletedAt: ctx.now, purgeAt };
  };
