import { profiles, statusListing } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { adminUsersQueryOf } from "../../http/schemas/adminSchemas.js";
import { adminFindUserByEmail } from "../../usecases/adminFindUserByEmail.js";
import { adminListUsers } from "../../usecases/adminListUsers.js";

/**
 * GET /admin/users: `?email=`, the account holding an address; or `?status=suspended|deleted`
 * (`&limit=&cursor=`), those accounts newest first from the sparse status index. One API Gateway
 * method, so one function.
 */
export const handler = httpHandler(
  async (req, services) => {
    const query = adminUsersQueryOf(req.query);
    if ("email" in query) return ok(await adminFindUserByEmail(services)(query.email));
    return ok(await adminListUsers(services)(query));
  },
  { uses: { profiles, statusListing, keyedHasher }, admin: true },
);
