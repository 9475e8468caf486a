import { emails } from "../../composition/factories/dynamo.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { noContent } from "../../http/response.js";
import { emailIdOf } from "../../http/schemas/emailIdParam.js";
import { removeEmail } from "../../usecases/removeEmail.js";

/** DELETE /users/me/emails/{emailId} */
export const handler = httpHandler(async (req, services) => {
  await removeEmail(services)({
    userId: req.caller.userId,
    emailId: emailIdOf(req.pathParameters),
    correlationId: req.correlationId,
  });
  return noContent();
}, { uses: { emails, mailer, clock, ids } });
