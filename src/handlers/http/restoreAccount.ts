import { links, profiles } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { publicHttpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { restoreAccount } from "../../usecases/restoreAccount.js";

/** POST /account/restore `{token}`: public (the restore link is the credential); 400 "Invalid or expired link". */
export const handler = publicHttpHandler(async (req, services) => {
  await restoreAccount(services)({ body: req.body, correlationId: req.correlationId });
  return ok({ message: "Account restored. You can sign in again." });
}, { uses: { links, profiles, keyedHasher, mailer, clock, ids } });
