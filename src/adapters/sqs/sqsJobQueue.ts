import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { JobQueue } from "../../ports/jobQueue.js";

export interface SqsQueueConfig {
  region: string;
  /** Unset where no queue is configured: enqueue then fails loudly rather than dropping the job. */
  queueUrl?: string;
  /** A local SQS-compatible endpoint; unset in AWS. */
  endpoint?: string;
}

export function createSqsJobQueue<T extends object>(config: SqsQueueConfig): JobQueue<T> {
  let client: SQSClient | undefined;
  return {
    async enqueue(message) {
      if (!config.queueUrl) throw new Error("No queue URL configured for this job queue");
      client ??= new SQSClient({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      });
      await client.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: JSON.stringify(message) }));
    },
  };
}
