import { profiles } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { ok } from "../../http/response.js";
import { suspendUserBody, userIdParam } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { suspendUser } from "../../usecases/suspendUser.js";

/** POST /admin/users/{userId}/suspend {reason} */
export const handler = httpHandler(
  idempotent("adminSuspendUser", async (req, services) => {
    const { userId } = validate(userIdParam, req.pathParameters);
    const { reason } = validate(suspendUserBody, req.body);
    return ok(await suspendUser(services)({ userId, actorId: req.caller.userId, reason, correlationId: req.correlationId }));
  }),
  { uses: { profiles, mailer, clock, ids, idempotencyStore }, admin: true },
);
