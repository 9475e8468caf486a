import type { DomainEvent } from "../../domain/events.js";
import { epochSeconds } from "../../ports/clock.js";
import { keys } from "./keys.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/** Outbox items outlive any relay retry window, then expire by TTL. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;

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
