import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { EventBridgeEvent } from "aws-lambda";
import { getServices } from "../../composition/services.js";
import { logger, tracer } from "../../observability.js";
import { deleteAccountDeletedInCognito, type CognitoDeletionOutcome } from "../../usecases/deleteAccountDeletedInCognito.js";

/**
 * Target of the default bus's rule on the CloudTrail record of a Cognito DeleteUser
 * (terraform/cognito_deleted_user.tf). Errors are rethrown on purpose: the target's retry policy
 * and its dead-letter queue make delivery at-least-once.
 */
const base = async (event: EventBridgeEvent<string, unknown>): Promise<CognitoDeletionOutcome> => {
  logger.appendKeys({ eventId: event.id, detailType: event["detail-type"] });
  try {
    const outcome = await deleteAccountDeletedInCognito(getServices())(event);
    logger.info("Cognito user deleted", { outcome });
    return outcome;
  } finally {
    logger.removeKeys(["eventId", "detailType"]);
  }
};

export const handler = middy(base).use(injectLambdaContext(logger)).use(captureLambdaHandler(tracer, { captureResponse: false }));
