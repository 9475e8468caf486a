import type { Services } from "../ports/services.js";
import { sortEmails } from "../domain/email.js";
import { NotFoundError } from "../domain/errors.js";
import type { ProfileWithEmails } from "../ports/profileStore.js";

/** Any user's profile and addresses, whatever the status: admins need to see deleted accounts too. */
export const adminGetUser =
  ({ profiles }: Pick<Services, "profiles">) =>
  async (userId: string): Promise<ProfileWithEmails> => {
    const found = await profiles.getWithEmails(userId);
    if (!found) throw new NotFoundError("User");
    return { profile: found.profile, emails: sortEmails(found.emails) };
  };
