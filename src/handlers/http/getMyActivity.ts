import { profiles } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { activityQuery } from "../../http/schemas/activitySchemas.js";
import { validate } from "../../http/validate.js";
import { listActivity } from "../../usecases/listActivity.js";

/** GET /users/me/activity?limit=&cursor=: the caller's activity, newest first. */
export const handler = httpHandler(
  async (req, services) => {
    const { limit, cursor } = validate(activityQuery, req.query);
    return ok(await listActivity(services)({ userId: req.caller.userId, limit, cursor }));
  },
  { uses: { profiles, keyedHasher } },
);
