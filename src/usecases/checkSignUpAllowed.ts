import type { Services } from "../ports/services.js";
import { normalizeEmail } from "../domain/email.js";

export interface SignUpCheck {
  email: string;
  /** Cognito's `sub` when known (admin-created users); a claim held by that same user never blocks. */
  userId?: string;
}

/**
 * PreSignUp rule: an address verified by another account is taken. An unverified claim does not
 * block: the new user proves the address to Cognito and takes the claim over at confirmation.
 */
export const checkSignUpAllowed =
  ({ profiles }: Pick<Services, "profiles">) =>
  async ({ email, userId }: SignUpCheck): Promise<boolean> => {
    const claim = await profiles.claimOf(normalizeEmail(email));
    return !claim || !claim.verified || claim.userId === userId;
  };
