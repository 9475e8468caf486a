import type { Services } from "../ports/services.js";
import { userActor } from "../domain/activity.js";
import { PreconditionFailedError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { applyProfilePatch, assertActive, type ProfilePatch, type UserProfile } from "../domain/user.js";
import { changeProfile } from "./changeProfile.js";

export interface UpdateProfileInput {
  userId: string;
  patch: ProfilePatch;
  /** The versions the client's change may start from (its If-Match); absent: any. */
  expectedVersions?: readonly number[];
  correlationId: string;
}

/**
 * Partial update of the editable fields. A version not among the expected ones is 412 before anything is written;
 * a write that loses the race on `version` after the read is 409. Nothing changed: no write,
 * no event, no new version.
 */
export const updateProfile =
  (services: Pick<Services, "profiles" | "config" | "clock" | "ids">) =>
  ({ userId, patch, expectedVersions, correlationId }: UpdateProfileInput): Promise<UserProfile> =>
    changeProfile(services)({
      userId,
      correlationId,
      actor: userActor(userId),
      decide(current, ctx, sequence) {
        assertActive(current);
        if (expectedVersions && !expectedVersions.includes(current.version)) throw new PreconditionFailedError();
        const { next, changedFields } = applyProfilePatch(current, patch);
        if (changedFields.length === 0) return { unchanged: current };
        return {
          next,
          event: createEvent("user.updated", { userId, changedFields }, ctx, sequence),
          options: { requireActive: true },
          answer: (saved) => saved,
        };
      },
    });
