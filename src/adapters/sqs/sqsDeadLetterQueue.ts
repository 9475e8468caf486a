// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as sqs from "@aws-sdk/client-sqs";
import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import type { AppConfig } from "../../ports/config.js";
import { EVENT_SOURCE } from "../../domain/events.js";
import { traced } from "../../observability.js";
import type { DeadLetter, DeadLetterQueue } from "../../ports/deadLetterQueue.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";

/** SendMessageBatch quotas: 10 messages, and (conservatively, the pre-2025 limit) 256 KB in total. */
const BATCH_LIMITS = { maxEntries: 10, maxBytes: 256 * 1024 } as const;

/**
 * The message body of a dead letter: the PutEvents request entry the relay sent, plus the error of
 * the bus's last answer (named as in PutEvents' result entries). A redrive drops the two Error
 * fields and sends the rest back as it is.
 */
export interface DeadLetterMessage {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  /** ISO 8601: the event's occurredAt. */
  Time: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export function deadLetterMessage(entry: DeadLetter, eventBusName: string): DeadLetterMessage {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: entry.detailType,
    Detail: entry.detail,
    Time: entry.occurredAt,
    ErrorCode: entry.error.code,
    ErrorMessage: entry.error.message,
  };
}

/** The relay's dead-letter queue on SQS; `sqsEndpoint` points it at a local SQS-compatible server. */
export function createSqsDeadLetterQueue(
  config: Pick<AppConfig, "region" | "eventBusName" | "sqsEndpoint"> & { queueUrl: string },
): DeadLetterQueue {
  // Created on the first dead letter: the relay needs it only when the bus keeps refusing events.
  const sdk = lazy(async () => {
    const client = traced(new sqs.SQSClient({ region: config.region, ...localEndpoint(config.sqsEndpoint) }));
    return { client };
  });
  return {
    async send(entries) {
      const failed: { eventId: string; reason: string }[] = [];
      if (entries.length === 0) return { failed };
      const { client } = await sdk();
      for (const chunk of chunks(entries)) {
        // Batch entry ids only need to be unique within the request; eventIds may not be.
        const byId = new Map(chunk.map((entry, index) => [String(index), entry]));
        const response = await client.send(
          new sqs.SendMessageBatchCommand({
            QueueUrl: config.queueUrl,
            Entries: chunk.map(
              (entry, index): SendMessageBatchRequestEntry => ({
                Id: String(index),
                MessageBody: JSON.stringify(deadLetterMessage(entry, config.eventBusName)),
              }),
            ),
          }),
        );
        const refused = new Map((response.Failed ?? []).map((f) => [f.Id, `${f.Code ?? "Failed"}: ${f.Message ?? ""}`]));
        // Only what SQS lists as Successful is stored: a message it neither accepts nor refuses counts as failed.
        const stored = new Set((response.Successful ?? []).map((s) => s.Id));
        for (const [id, entry] of byId) {
          const reason = refused.get(id) ?? (stored.has(id) ? undefined : "MissingResult: SendMessageBatch returned no result");
          if (reason) failed.push({ eventId: entry.eventId, reason });
        }
      }
      return { failed };
    },
  };
}

function* chunks(entries: readonly DeadLetter[]): Generator<DeadLetter[]> {
  let chunk: DeadLetter[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.detail, "utf8") + 512;
    if (chunk.length === BATCH_LIMITS.maxEntries || (chunk.length > 0 && bytes + size > BATCH_LIMITS.maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
