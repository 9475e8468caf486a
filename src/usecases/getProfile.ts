import type { Services } from "../ports/services.js";
import { NotFoundError } from "../domain/errors.js";
import type { UserProfile } from "../domain/user.js";

/** The caller's own profile; missing means sign-up never wrote it (a sync problem, not a 5xx). */
export const getProfile =
  ({ profiles }: Pick<Services, "profiles">) =>
  async (userId: string): Promise<UserProfile> => {
    const profile = await profiles.get(userId);
    if (!profile) throw new NotFoundError("User");
    return profile;
  };
