import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Context, PreSignUpTriggerEvent } from "aws-lambda";
import { getServices } from "../../composition/services.js";
import { logger } from "../../observability.js";
import { checkSignUpAllowed } from "../../usecases/checkSignUpAllowed.js";

/**
 * The same neutral message the API gives for a taken address (no enumeration). Cognito refuses
 * the sign-up and surfaces it as UserLambdaValidationException.
 */
export const SIGN_UP_REFUSED_MESSAGE = "Email address is not available";

/**
 * Cognito PreSignUp: refuses an address that another account has verified. Correlation id:
 * the Lambda request id, the only id Cognito gives a trigger invocation.
 */
const base = async (event: PreSignUpTriggerEvent, context: Context): Promise<PreSignUpTriggerEvent> => {
  const correlationId = context.awsRequestId;
  const email = event.request.userAttributes.email;
  if (!email) return event;
  const allowed = await checkSignUpAllowed(getServices())({
    email,
    ...(event.request.userAttributes.sub ? { userId: event.request.userAttributes.sub } : {}),
  });
  if (!allowed) {
    logger.info("Sign-up refused: address verified by another account", { correlationId, triggerSource: event.triggerSource });
    throw new Error(SIGN_UP_REFUSED_MESSAGE);
  }
  return event;
};

export const handler = middy(base).use(injectLambdaContext(logger));
