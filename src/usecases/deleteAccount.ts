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

/**
 * Soft delete: the profile stays with status `deleted` (the cognitoSync consumer disables the
 * Cognito user on the event). A second call answers with the first deletedAt and writes nothing.
 * A suspended user may still delete: erasure is not something a suspension should block.
 */
export const deleteAccount =
  (services: Pick<Services, "profiles" | "config" | "clock" | "ids">) =>
  async ({ userId, correlationId, actor }: DeleteAccountInput): Promise<{ deletedAt: string }> => {
    const current = await services.profiles.get(userId);
    if (!current) throw new NotFoundError("User");
    if (current.status === "deleted" && current.deletedAt) return { deletedAt: current.deletedAt };

    const ctx = eventContext(services, correlationId, actor);
    const deleted: UserProfile = {
      ...current,
      status: "deleted",
      deletedAt: ctx.now,
      version: current.version + 1,
      updatedAt: ctx.now,
    };
    const event = createEvent("user.deleted", { userId, deletedAt: ctx.now }, ctx);
    await services.profiles.saveAtVersion(deleted, current.version, event);
    return { deletedAt: ctx.now };
  };
