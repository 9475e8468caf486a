import type { EventBridgeEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { mailer } from "../../composition/factories/mailer.js";
import { clock, ids } from "../../composition/factories/system.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { logger } from "../../observability.js";
import { answerCognitoSelfService, type SelfServiceOutcome } from "../../usecases/answerCognitoSelfService.js";
import { lambdaEntry } from "../lambdaEntry.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, mailer, clock, ids, userDirectory });

/**
 * Target of the default bus's rule on the CloudTrail records of a user's own DeleteUser and
 * VerifyUserAttribute (terraform/cognito_self_service.tf). Errors are rethrown on purpose: the
 * target's retry policy and its dead-letter queue make delivery at-least-once.
 */
export const handler = lambdaEntry(
  {
    name: "CognitoSelfService",
    keysOf: (event: EventBridgeEvent<string, unknown>) => ({ correlationId: event.id, eventId: event.id, detailType: event["detail-type"] }),
  },
  async (event): Promise<SelfServiceOutcome> => {
    const outcome = await answerCognitoSelfService(servicesOf())(event);
    logger.info("Cognito self-service call answered", { outcome });
    return outcome;
  },
);
