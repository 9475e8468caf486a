import { profiles } from "../../composition/factories/dynamo.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { userIdParam } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { adminGetUser } from "../../usecases/adminGetUser.js";

/** GET /admin/users/{userId}: profile and addresses of any account. */
export const handler = httpHandler(
  async (req, services) => {
    const { userId } = validate(userIdParam, req.pathParameters);
    return ok(await adminGetUser(services)(userId));
  },
  { uses: { profiles }, admin: true },
);
