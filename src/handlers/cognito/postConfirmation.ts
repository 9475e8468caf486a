import { setTimeout as realSleep } from "node:timers/promises";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { signUpRetryQueue } from "../../composition/factories/signUpRetryQueue.js";
import { clock, ids } from "../../composition/factories/system.js";
import { normalizeEmail } from "../../domain/email.js";
import type { SignUpJob } from "../../ports/jobQueue.js";
import { logger } from "../../observability.js";
import { createUserFromSignUp } from "../../usecases/createUserFromSignUp.js";
import { lambdaEntry } from "../lambdaEntry.js";

/** Delays before each retry; with the first try, four attempts within about a second. */
export const RETRY_DELAYS_MS = [100, 200, 400] as const;

export interface PostConfirmationDeps {
  sleep: (ms: number) => Promise<void>;
}

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, clock, ids, signUpRetryQueue });

/**
 * Cognito PostConfirmation: writes the profile of a freshly confirmed user. It never fails the
 * confirmation: after the retries, the job goes to the sign-up retry queue (and the scheduled
 * reconciliation is the net under that). Correlation id: the Lambda request id, which is also in
 * this invocation's log lines. A forgotten-password confirmation does nothing.
 */
export function createPostConfirmationHandler({ sleep }: PostConfirmationDeps = { sleep: realSleep }) {
  const base = async (event: PostConfirmationTriggerEvent, { correlationId }: { correlationId: string }): Promise<PostConfirmationTriggerEvent> => {
    if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
    const services = servicesOf();
    const { sub, email } = event.request.userAttributes;
    const job: SignUpJob = {
      userId: sub ?? event.userName,
      email: normalizeEmail(email ?? ""),
      correlationId,
      username: event.userName,
    };
    const log = logger.createChild({ persistentKeys: { userId: job.userId } });
    if (!job.email) {
      // The pool signs users in by email, so this is a misconfigured pool, not a retryable fault.
      log.error("Confirmed user has no email attribute; no profile written");
      return event;
    }

    for (let attempt = 0; ; attempt++) {
      try {
        const { created } = await createUserFromSignUp(services)(job);
        log.info(created ? "Profile created" : "Profile already present");
        return event;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          log.error("Profile not written; queued for retry", { error: error as Error, attempts: attempt + 1 });
          break;
        }
        log.warn("Profile write failed; retrying", { error: error as Error, attempt: attempt + 1, delayMs: delay });
        await sleep(delay);
      }
    }
    try {
      await services.signUpRetryQueue.enqueue(job);
    } catch (error) {
      log.critical("Sign-up retry job could not be queued; reconciliation must create the profile", {
        error: error as Error,
      });
    }
    return event;
  };
  return lambdaEntry(
    { name: "PostConfirmation", keysOf: (event: PostConfirmationTriggerEvent, context) => ({ correlationId: context.awsRequestId, triggerSource: event.triggerSource }) },
    base,
  );
}

export const handler = createPostConfirmationHandler();
