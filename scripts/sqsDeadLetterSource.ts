import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetterSource } from "./redriveDeadLetters.js";

/** SQS's batch calls take at most ten entries. */
const BATCH = 10;

export interface SqsDeadLetterSource extends DeadLetterSource {
  /** Makes every message this source received visible again at once (what a dry run took only to count). */
  release(): Promise<void>;
}

/**
 * The events DLQ as the redrive reads it: each received message hidden for two minutes, deleted by
 * the receipt handle of this run's receive (message ids are what the redrive reports).
 */
export function createSqsDeadLetterSource(sqs: SQSClient, queueUrl: string): SqsDeadLetterSource {
  /** Receipt handles by message id, so deletes address what this run received. */
  const receipts = new Map<string, string>();
  return {
    async receive(max) {
      const answer = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: 1, VisibilityTimeout: 120 }),
      );
      return (answer.Messages ?? []).flatMap((m) => {
        if (!m.MessageId || !m.ReceiptHandle || m.Body === undefined) return [];
        receipts.set(m.MessageId, m.ReceiptHandle);
        return [{ id: m.MessageId, body: m.Body }];
      });
    },
    async delete(ids) {
      for (let i = 0; i < ids.length; i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((id, index) => ({ Id: String(index), ReceiptHandle: receipts.get(id) })),
          }),
        );
        for (const id of chunk) receipts.delete(id);
      }
    },
    async release() {
      const handles = [...receipts.values()];
      for (let i = 0; i < handles.length; i += BATCH) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: handles.slice(i, i + BATCH).map((handle, index) => ({ Id: String(index), ReceiptHandle: handle, VisibilityTimeout: 0 })),
          }),
        );
      }
    },
  };
}
