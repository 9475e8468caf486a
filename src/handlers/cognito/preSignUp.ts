import type { PreSignUpTriggerEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { clock } from "../../composition/factories/system.js";
import { logger } from "../../observability.js";
import { lambdaEntry } from "../lambdaEntry.js";
import { checkSignUpAllowed } from "../../usecases/checkSignUpAllowed.js";
import { markSignUpPending } from "../../usecases/markSignUpPending.js";

/**
 * The same neutral message the API gives for a taken address (no enumeration). Cognito refuses
 * the sign-up and surfaces it as UserLambdaValidationException.
 */
export const SIGN_UP_REFUSED_MESSAGE = "Email address is not available";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, clock });

/**
 * Cognito PreSignUp: refuses an address that another account has verified, and leaves a pending
 * marker for every sign-up it lets through. Correlation id:
 * the Lambda request id, the only id Cognito gives a trigger invocation.
 */
const base = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const email = event.request.userAttributes.email;
  if (!email) return event;
  const services = servicesOf();
  const allowed = await checkSignUpAllowed(services)({
    email,
    ...(event.request.userAttributes.sub ? { userId: event.request.userAttributes.sub } : {}),
  });
  if (!allowed) {
    logger.info("Sign-up refused: address verified by another account");
    throw new Error(SIGN_UP_REFUSED_MESSAGE);
  }
  // The marker reconciliation checks if no profile follows (SPEC 14.2). Cognito generates the
  // username before this trigger runs (email is the username attribute), so the event names it.
  await markSignUpPending(services)({ username: event.userName });
  return event;
};

export const handler = lambdaEntry(
  { name: "PreSignUp", keysOf: (event: PreSignUpTriggerEvent, context) => ({ correlationId: context.awsRequestId, triggerSource: event.triggerSource }) },
  base,
);
