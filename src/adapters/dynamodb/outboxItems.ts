import type { DomainEvent } from "../../domain/events.js";
import { epochSeconds } from "../../ports/clock.js";
import { keys } from "./keys.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/**
 * How long an outbox item stays after its event, then expires by TTL. It must outlive the stream's
 * retry window (the relay mapping's maximum record age, 23 hours) plus the 14 days the relay-failures
 * queue keeps its pointers: a record given up on names its outbox items by sequence number, and the
 * runbook republishes them from the table. 15 days covers both (test/infra/relayMapping.test.ts).
 */
export const OUTBOX_RETENTION_SECONDS = 15 * 24 * 60 * 60;

/** The stored shape the relay reads from the stream. */
export interface OutboxRecord {
  PK: string;
  SK: string;
  eventId: string;
  detailType: string;
  detail: string;
  createdAt: string;
  [TTL_ATTRIBUTE]: number;
}

/** Writes one event in the same transaction as the change it describes. */
export function putOutboxEvent(tableName: string, event: DomainEvent): NamedItem {
  const { eventId, occurredAt } = event.detail;
  const record: OutboxRecord = {
    ...keys.outboxEvent(eventId),
    eventId,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    createdAt: occurredAt,
    [TTL_ATTRIBUTE]: epochSeconds(new Date(occurredAt)) + OUTBOX_RETENTION_SECONDS,
  };
  return {
    name: "putOutboxEvent",
    item: { Put: { TableName: tableName, Item: record, ConditionExpression: "attribute_not_exists(PK)" } },
  };
}
