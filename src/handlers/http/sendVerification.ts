import { emails } from "../../composition/factories/dynamo.js";
import { idempotencyStore } from "../../composition/factories/idempotencyStore.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock } from "../../composition/factories/system.js";
import { httpHandler } from "../../http/httpHandler.js";
import { idempotent } from "../../http/idempotency.js";
import { rateLimitHeaders } from "../../http/rateLimitHeaders.js";
import { ok } from "../../http/response.js";
import { emailIdOf, sendVerificationBody } from "../../http/schemas/emailSchemas.js";
import { validate } from "../../http/validate.js";
import { sendVerification } from "../../usecases/sendVerification.js";

/** POST /users/me/emails/{emailId}/verify: mails a new code, replacing the previous one. */
export const handler = httpHandler(
  idempotent("sendVerification", async (req, services) => {
    validate(sendVerificationBody, req.body);
    const { message, expiresIn, rateLimit } = await sendVerification(services)({
      userId: req.caller.userId,
      emailId: emailIdOf(req.pathParameters),
    });
    return ok({ message, expiresIn }, rateLimitHeaders(rateLimit));
  }),
  { uses: { emails, mailer, clock, keyedHasher, idempotencyStore } },
);
