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
);
