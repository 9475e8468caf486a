// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as sqs from "@aws-sdk/client-sqs";
import { traced } from "../../observability.js";
import type { JobQueue } from "../../ports/jobQueue.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";

export interface SqsQueueConfig {
  region: string;
  /** Unset where no queue is configured: enqueue then fails loudly rather than dropping the job. */
  queueUrl?: string;
  /** A local SQS-compatible endpoint; unset in AWS. */
  endpoint?: string;
}

export function createSqsJobQueue<T extends object>(config: SqsQueueConfig): JobQueue<T> {
  // Created on the first job: only a failed sign-up enqueues one.
  const sdk = lazy(async () => {
    const client = traced(new sqs.SQSClient({ region: config.region, ...localEndpoint(config.endpoint) }));
    return { client };
  });
  return {
    async enqueue(message) {
      if (!config.queueUrl) throw new Error("No queue URL configured for this job queue");
      const { client } = await sdk();
      await client.send(new sqs.SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: JSON.stringify(message) }));
    },
  };
}
