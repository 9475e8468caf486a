import { profiles } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { ok } from "../../http/response.js";
import { reactivateUserBody, userIdParam } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { reactivateUser } from "../../usecases/reactivateUser.js";

/** POST /admin/users/{userId}/reactivate (no body). */
export const handler = httpHandler(
  idempotent("adminReactivateUser", async (req, services) => {
    const { userId } = validate(userIdParam, req.pathParameters);
    validate(reactivateUserBody, req.body);
    return ok(await reactivateUser(services)({ userId, actorId: req.caller.userId, correlationId: req.correlationId }));
  }),
  { uses: { profiles, mailer, clock, ids, idempotencyStore }, admin: true },
);
