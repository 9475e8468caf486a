import { accountPurges, profiles } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { clock, ids } from "../../composition/factories/system.js";
import { adminActor } from "../../domain/activity.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { ok } from "../../http/response.js";
import { reactivateUserBody, userIdParam } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { purgeAccount } from "../../usecases/purgeAccount.js";

/**
 * POST /admin/users/{userId}/purge (no body): erases the account at once (an erasure request
 * through support); `user.purged` names the admin. 404 for an unknown or already purged account.
 */
export const handler = httpHandler(
  idempotent("adminPurgeUser", async (req, services) => {
    const { userId } = validate(userIdParam, req.pathParameters);
    validate(reactivateUserBody, req.body);
    const { purgedAt } = await purgeAccount(services)({ userId, correlationId: req.correlationId, actor: adminActor(req.caller.userId) });
    return ok({ message: "Account purged", purgedAt });
  }),
  { uses: { profiles, accountPurges, clock, ids, idempotencyStore }, admin: true },
);
