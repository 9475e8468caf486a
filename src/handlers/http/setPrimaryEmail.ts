import { emails } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { emailIdOf } from "../../http/schemas/emailIdParam.js";
import { setPrimaryEmail } from "../../usecases/setPrimaryEmail.js";

/** PUT /users/me/emails/{emailId}/primary: needs a sign-in within the last 15 minutes. */
export const handler = httpHandler(async (req, services) =>
  ok(
    await setPrimaryEmail(services)({
      caller: req.caller,
      emailId: emailIdOf(req.pathParameters),
      correlationId: req.correlationId,
    }),
  ),
  { uses: { emails, mailer, keyedHasher, clock, ids } },
);
