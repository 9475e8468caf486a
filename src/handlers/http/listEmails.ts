import { emails } from "../../composition/factories/dynamo.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { listEmails } from "../../usecases/listEmails.js";

/** GET /users/me/emails */
export const handler = httpHandler(async (req, services) =>
  ok({ emails: await listEmails(services)(req.caller.userId) }),
  { uses: { emails } },
);
