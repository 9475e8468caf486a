import type { EventBridgeEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { correlationIdOfDetail } from "../../domain/events.js";
import { syncCognitoFromEvent, type SyncOutcome } from "../../usecases/syncCognitoFromEvent.js";
import { logger } from "../../observability.js";
import { lambdaEntry } from "../lambdaEntry.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, userDirectory });

/**
 * EventBridge target for the user.* and email.* rules. Errors are rethrown on purpose: the
 * target's retry policy and its dead-letter queue are what make delivery at-least-once.
 */
export const handler = lambdaEntry(
  {
    name: "CognitoSync",
    keysOf: (event: EventBridgeEvent<string, unknown>, context) => ({
      correlationId: correlationIdOfDetail(event.detail) ?? context.awsRequestId,
      eventId: event.id,
      detailType: event["detail-type"],
    }),
  },
  async (event): Promise<SyncOutcome> => {
    const outcome = await syncCognitoFromEvent(servicesOf())(event);
    logger.info("Cognito sync", { outcome });
    return outcome;
  },
);
