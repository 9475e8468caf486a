import { emails } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { ok } from "../../http/response.js";
import { confirmVerificationBody, emailIdOf } from "../../http/schemas/emailSchemas.js";
import { validate } from "../../http/validate.js";
import { confirmVerification } from "../../usecases/confirmVerification.js";

/** POST /users/me/emails/{emailId}/verify/confirm: `{code}` verifies the address. */
export const handler = httpHandler(
  idempotent("confirmVerification", async (req, services) => {
    const emailId = emailIdOf(req.pathParameters);
    const { code } = validate(confirmVerificationBody, req.body);
    const email = await confirmVerification(services)({
      userId: req.caller.userId,
      emailId,
      code,
      correlationId: req.correlationId,
    });
    return ok(email);
  }),
  { uses: { emails, clock, ids, keyedHasher, idempotencyStore } },
);
