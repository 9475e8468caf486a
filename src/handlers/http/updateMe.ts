import { profiles } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { expectedVersionsOf, profileETag } from "../../http/etag.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { updateProfileBody } from "../../http/schemas/profileSchemas.js";
import { validate } from "../../http/validate.js";
import { updateProfile } from "../../usecases/updateProfile.js";

/** PUT /users/me: partial update of the editable fields, optionally guarded by If-Match. */
export const handler = httpHandler(async (req, services) => {
  const patch = validate(updateProfileBody, req.body);
  const expectedVersions = expectedVersionsOf(req.header("if-match"));
  const profile = await updateProfile(services)({
    userId: req.caller.userId,
    patch,
    correlationId: req.correlationId,
    ...(expectedVersions ? { expectedVersions } : {}),
  });
  return ok(profile, { ETag: profileETag(profile) });
}, { uses: { profiles, clock, ids } });
