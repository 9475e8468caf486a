import { profiles } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { activityQuery } from "../../http/schemas/activitySchemas.js";
import { userIdParam } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { listActivity } from "../../usecases/listActivity.js";

/** GET /admin/users/{userId}/activity?limit=&cursor=: any account's activity, newest first. */
export const handler = httpHandler(
  async (req, services) => {
    const { userId } = validate(userIdParam, req.pathParameters);
    const { limit, cursor } = validate(activityQuery, req.query);
    return ok(await listActivity(services)({ userId, limit, cursor }));
  },
  { uses: { profiles, keyedHasher }, admin: true },
);
