import type { Services } from "../ports/services.js";
import { normalizeEmail } from "../domain/email.js";
import { NotFoundError } from "../domain/errors.js";
import type { ProfileWithEmails } from "../ports/profileStore.js";
import { adminGetUser } from "./adminGetUser.js";

/**
 * The account holding an address (verified or not), through GSI1. The index is eventually
 * consistent, so each candidate is re-read and must still hold the address.
 * Two round trips on purpose: only email items are indexed, so one trip would need the profile
 * and every address copied onto each of them and kept in step on every write, for a rare admin
 * read; and the consistent re-read of the partition is what makes the index's answer safe.
 */
export const adminFindUserByEmail =
  ({ profiles }: Pick<Services, "profiles">) =>
  async (rawAddress: string): Promise<ProfileWithEmails> => {
    const address = normalizeEmail(rawAddress);
    for (const userId of await profiles.findUserIdsByAddress(address)) {
      const user = await adminGetUser({ profiles })(userId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      if (user?.emails.some((record) => record.email === address)) return user;
    }
    throw new NotFoundError("User");
  };
