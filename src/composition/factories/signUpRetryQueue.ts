import { createSqsJobQueue } from "../../adapters/sqs/sqsJobQueue.js";
import type { SignUpJob } from "../../ports/jobQueue.js";
import type { Factory } from "./factory.js";

export const signUpRetryQueue: Factory<"signUpRetryQueue"> = (config) =>
  createSqsJobQueue<SignUpJob>({
    region: config.region,
    ...(config.signUpRetryQueueUrl ? { queueUrl: config.signUpRetryQueueUrl } : {}),
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
  });
