import type { DynamoDBRecord } from "aws-lambda";
import { correlationIdOfDetail } from "../../domain/events.js";
import type { OutboxEntry } from "../../usecases/relayOutboxEvents.js";
import { keys } from "./keys.js";

export interface OutboxStreamBatch {
  entries: OutboxEntry[];
  /** Outbox inserts that cannot be read: retried, then dead-lettered, never dropped silently. */
  unreadable: { recordId: string; reason: string }[];
}

/**
 * The outbox events in a batch of stream records. Only INSERTs of `OUTBOX#` items count: the
 * same stream carries every profile and email change, and an outbox item's TTL expiry (REMOVE)
 * must not publish anything.
 */
export function outboxEntriesOf(records: readonly DynamoDBRecord[]): OutboxStreamBatch {
  const batch: OutboxStreamBatch = { entries: [], unreadable: [] };
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image?.PK?.S?.startsWith(keys.outboxPartitionPrefix)) continue;
    const recordId = record.dynamodb?.SequenceNumber ?? "";
    const eventId = image.eventId?.S;
    const detailType = image.detailType?.S;
    const detail = image.detail?.S;
    const occurredAt = image.createdAt?.S;
    if (!eventId || !detailType || !detail || !occurredAt) {
      batch.unreadable.push({ recordId, reason: "Outbox item lacks eventId, detailType, detail or createdAt" });
      continue;
    }
    const correlationId = correlationIdOf(detail);
    batch.entries.push({ recordId, eventId, detailType, detail, occurredAt, ...(correlationId ? { correlationId } : {}) });
  }
  return batch;
}

function correlationIdOf(detail: string): string | undefined {
  try {
    return correlationIdOfDetail(JSON.parse(detail));
  } catch {
    return undefined;
  }
}
