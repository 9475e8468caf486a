import type { Services } from "../ports/services.js";
import { isAdmin, type Caller } from "../domain/caller.js";
import { AccountNotActiveError, ForbiddenError } from "../domain/errors.js";
import { assertActive } from "../domain/user.js";

/**
 * The gate of every admin route. Group membership comes from the token, which outlives a
 * suspension by up to an hour, so the caller's own account is read too: a suspended or deleted
 * admin (or one without a profile) has no admin powers left, whatever its token says.
 */
export const authorizeAdmin =
  (services: Pick<Services, "profiles">) =>
  async (caller: Caller): Promise<void> => {
    if (!isAdmin(caller)) throw new ForbiddenError("Admin access required");
    const own = await services.profiles.get(caller.userId);
    if (!own) throw new AccountNotActiveError();
    assertActive(own);
  };
