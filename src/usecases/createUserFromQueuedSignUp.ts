import type { Services } from "../ports/services.js";
import { normalizeEmail } from "../domain/email.js";
import { SignUpNotConfirmedError } from "../domain/errors.js";
import { createUserFromSignUp, type SignUpInput } from "./createUserFromSignUp.js";

/**
 * A sign-up job from the retry queue. Unlike the trigger's event, which Cognito itself sends, a
 * queue message is only as trustworthy as everyone who may send to the queue, and what it writes
 * is a verified claim on an address. So the user is read back from the pool first: it must exist,
 * be confirmed, and hold the same sub and the same address, or nothing is written.
 */
export const createUserFromQueuedSignUp =
  (services: Pick<Services, "userDirectory" | "profiles" | "config" | "clock" | "ids">) =>
  async (job: SignUpInput): Promise<{ created: boolean }> => {
    const user = await services.userDirectory.getUser(job.userId);
    const matches =
      user !== undefined &&
      user.userId === job.userId &&
      user.status === "CONFIRMED" &&
      user.email !== undefined &&
      normalizeEmail(user.email) === normalizeEmail(job.email);
    if (!matches) throw new SignUpNotConfirmedError();
    return createUserFromSignUp(services)(job);
  };
