import { emails } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { rateLimitHeaders } from "../../http/rateLimitHeaders.js";
import { created } from "../../http/response.js";
import { addEmailBody } from "../../http/schemas/emailSchemas.js";
import { validate } from "../../http/validate.js";
import { addEmail } from "../../usecases/addEmail.js";

/** POST /users/me/emails: adds an unverified address and mails its first code. */
export const handler = httpHandler(
  idempotent("addEmail", async (req, services) => {
    const { email } = validate(addEmailBody, req.body);
    const result = await addEmail(services)({ userId: req.caller.userId, email, correlationId: req.correlationId });
    return created(result.email, rateLimitHeaders(result.rateLimit));
  }),
  { uses: { emails, mailer, clock, ids, keyedHasher, idempotencyStore } },
);
