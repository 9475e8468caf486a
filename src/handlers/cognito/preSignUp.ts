import type { PreSignUpTriggerEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { logger } from "../../observability.js";
import { lambdaEntry } from "../lambdaEntry.js";
import { checkSignUpAllowed } from "../../usecases/checkSignUpAllowed.js";

/**
 * The same neutral message the API gives for a taken address (no enumeration). Cognito refuses
 * the sign-up and surfaces it as UserLambdaValidationException.
 */
export const SIGN_UP_REFUSED_MESSAGE = "Email address is not available";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles });

/**
 * Cognito PreSignUp: refuses an address that another account has verified. Correlation id:
 * the Lambda request id, the only id Cognito gives a trigger invocation.
 */
const base = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const email = event.request.userAttributes.email;
  if (!email) return event;
  const allowed = await checkSignUpAllowed(servicesOf())({
    email,
    ...(event.request.userAttributes.sub ? { userId: event.request.userAttributes.sub } : {}),
  });
  if (!allowed) {
    logger.info("Sign-up refused: address verified by another account");
    throw new Error(SIGN_UP_REFUSED_MESSAGE);
  }
  return event;
};

export const handler = lambdaEntry(
  { name: "PreSignUp", keysOf: (event: PreSignUpTriggerEvent, context) => ({ correlationId: context.awsRequestId, triggerSource: event.triggerSource }) },
  base,
);
