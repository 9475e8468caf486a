import type { Services } from "../ports/services.js";
import { normalizeEmail, sortEmails } from "../domain/email.js";
import { NotFoundError } from "../domain/errors.js";
import type { ProfileWithEmails } from "../ports/profileStore.js";

/**
 * The account holding an address (verified or not), whatever its status. The store answers from a
 * consistent read, so an address just removed or moved is never reported at its old holder.
 */
export const adminFindUserByEmail =
  ({ profiles }: Pick<Services, "profiles">) =>
  async (rawAddress: string): Promise<ProfileWithEmails> => {
    const found = await profiles.findByAddress(normalizeEmail(rawAddress));
    if (!found) throw new NotFoundError("User");
    return { profile: found.profile, emails: sortEmails(found.emails) };
  };
