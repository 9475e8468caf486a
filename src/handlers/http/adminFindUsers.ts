import { profiles } from "../../composition/factories/dynamo.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { findUsersQuery } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { adminFindUserByEmail } from "../../usecases/adminFindUserByEmail.js";

/** GET /admin/users?email=: the account holding an address. */
export const handler = httpHandler(
  async (req, services) => {
    const { email } = validate(findUsersQuery, req.query);
    return ok(await adminFindUserByEmail(services)(email));
  },
  { uses: { profiles }, admin: true },
);
