import { profiles } from "../../composition/factories/dynamo.js";
import { clock } from "../../composition/factories/system.js";
import { jsonDownload } from "../../http/download.js";
import { httpHandler } from "../../http/httpHandler.js";
import { exportAccount } from "../../usecases/exportAccount.js";

/** GET /users/me/export: the caller's data as a JSON download; works for a deleted account too. */
export const handler = httpHandler(
  async (req, services) => {
    const data = await exportAccount(services)(req.caller.userId);
    return jsonDownload(data, `user-export-${req.caller.userId}.json`);
  },
  { uses: { profiles, clock } },
);
