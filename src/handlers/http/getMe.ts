import { profiles } from "../../composition/factories/dynamo.js";
import { profileETag } from "../../http/etag.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { getProfile } from "../../usecases/getProfile.js";

/** GET /users/me: the profile, with the ETag a later PUT may send back as If-Match. */
export const handler = httpHandler(async (req, services) => {
  const profile = await getProfile(services)(req.caller.userId);
  return ok(profile, { ETag: profileETag(profile) });
}, { uses: { profiles } });
