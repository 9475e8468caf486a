import { createSqsDeadLetterQueue } from "../../adapters/sqs/sqsDeadLetterQueue.js";
import type { Factory } from "./factory.js";

/** Unset without a queue URL: the relay then leaves refused events to the stream's retries. */
export const deadLetterQueue: Factory<"deadLetterQueue"> = (config) =>
  config.eventsDlqUrl ? createSqsDeadLetterQueue({ ...config, queueUrl: config.eventsDlqUrl }) : undefined;
