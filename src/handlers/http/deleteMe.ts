import { profiles } from "../../composition/factories/dynamo.js";
import { keyedHasher } from "../../composition/factories/keyedHasher.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { userActor } from "../../domain/activity.js";
import { assertRecentSignIn } from "../../domain/caller.js";
import { httpHandler } from "../../http/httpHandler.js";
import { ok } from "../../http/response.js";
import { deleteAccount } from "../../usecases/deleteAccount.js";

/** DELETE /users/me: soft delete until purgeAt, idempotent; sensitive, so it needs a recent sign-in. */
export const handler = httpHandler(async (req, services) => {
  assertRecentSignIn(req.caller, services.clock.now());
  const { deletedAt, purgeAt } = await deleteAccount(services)({
    userId: req.caller.userId,
    correlationId: req.correlationId,
    actor: userActor(req.caller.userId),
  });
  return ok({ message: "Account deleted", deletedAt, purgeAt });
}, { uses: { profiles, mailer, keyedHasher, clock, ids } });
