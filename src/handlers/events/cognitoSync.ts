import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { EventBridgeEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { correlationIdOfDetail } from "../../domain/events.js";
import { syncCognitoFromEvent, type SyncOutcome } from "../../usecases/syncCognitoFromEvent.js";
import { logger, tracer } from "../../observability.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, userDirectory });

/**
 * EventBridge target for the user.* and email.* rules. Errors are rethrown on purpose: the
 * target's retry policy and its dead-letter queue are what make delivery at-least-once.
 */
const base = async (event: EventBridgeEvent<string, unknown>): Promise<SyncOutcome> => {
  const correlationId = correlationIdOfDetail(event.detail);
  logger.appendKeys({ eventId: event.id, detailType: event["detail-type"], ...(correlationId ? { correlationId } : {}) });
  try {
    const outcome = await syncCognitoFromEvent(servicesOf())(event);
    logger.info("Cognito sync", { outcome });
    return outcome;
  } finally {
    logger.removeKeys(["eventId", "detailType", "correlationId"]);
  }
};

export const handler = middy(base).use(injectLambdaContext(logger)).use(captureLambdaHandler(tracer, { captureResponse: false }));
