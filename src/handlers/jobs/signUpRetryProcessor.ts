import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { logger } from "../../observability.js";
import { createUserFromQueuedSignUp } from "../../usecases/createUserFromQueuedSignUp.js";
import { lambdaEntry } from "../lambdaEntry.js";

const present = () => z.string().check(z.minLength(1));
const signUpJob = z.object({ userId: present(), email: present(), correlationId: present(), username: z.optional(present()) });

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, clock, ids, userDirectory });

const processor = new BatchProcessor(EventType.SQS);

/**
 * One queued sign-up; a throw marks only this record failed, so SQS redelivers just it (then its
 * DLQ). A job the pool does not confirm fails the same way: it ends in the DLQ, where an operator
 * sees it, rather than vanishing.
 */
async function processRecord(record: SQSRecord): Promise<void> {
  const job = signUpJob.parse(JSON.parse(record.body));
  const { created } = await createUserFromQueuedSignUp(servicesOf())(job);
  logger.info(created ? "Queued sign-up written" : "Queued sign-up already present", {
    correlationId: job.correlationId,
    userId: job.userId,
  });
}

/**
 * Drains the sign-up retry queue the PostConfirmation trigger fills when it gives up. A batch has
 * no single correlation id: the request id names the invocation, each line its job's.
 */
export const handler = lambdaEntry(
  { name: "SignUpRetry", keysOf: (_event: SQSEvent, context) => ({ correlationId: context.awsRequestId }) },
  (event, { context }): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
);
