import { emails, links, profiles } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { publicHttpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { revertPrimaryEmail } from "../../usecases/revertPrimaryEmail.js";

/** POST /account/revert `{token}`: public (the revert link is the credential); 400 "Invalid or expired link". */
export const handler = publicHttpHandler(async (req, services) => {
  await revertPrimaryEmail(services)({ body: req.body, correlationId: req.correlationId });
  return ok({
    message: "Your previous email address is primary again. Every session was signed out; reset your password with the code sent to that address.",
  });
}, { uses: { links, emails, profiles, keyedHasher, mailer, clock, ids } });
