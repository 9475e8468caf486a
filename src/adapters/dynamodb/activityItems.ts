import { activityOf, ACTIVITY_RETENTION_DAYS, type Actor, type ActivityItem } from "../../domain/activity.js";
import type { DomainEvent, EventType } from "../../domain/events.js";
import { epochSeconds } from "../../ports/clock.js";
import { keys } from "./keys.js";
import { putOutboxEvent } from "./outboxItems.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

export const ACTIVITY_RETENTION_SECONDS = ACTIVITY_RETENTION_DAYS * 24 * 60 * 60;

/** The stored activity item: the activity plus keys and its expiry. */
export interface ActivityRecord extends ActivityItem {
  PK: string;
  SK: string;
  [TTL_ATTRIBUTE]: number;
}

/** The change's line in the user's activity trail (SPEC 12.5), named after the event it records. */
export function putActivity(tableName: string, event: DomainEvent): NamedItem {
  const { userId, activity } = activityOf(event);
  const record: ActivityRecord = {
    ...keys.activity(userId, activity.occurredAt, activity.activityId),
    ...activity,
    [TTL_ATTRIBUTE]: epochSeconds(new Date(activity.occurredAt)) + ACTIVITY_RETENTION_SECONDS,
  };
  return {
    name: "putActivity",
    item: { Put: { TableName: tableName, Item: record, ConditionExpression: "attribute_not_exists(PK)" } },
  };
}

/**
 * Everything a change writes about itself, in the change's own transaction: the outbox event that
 * announces it and the activity item that remembers it. Stores write events only through this, so
 * no change is published without its activity, and a cancelled transaction leaves neither.
 */
export function recordEvent(tableName: string, event: DomainEvent): NamedItem[] {
  return [putOutboxEvent(tableName, event), putActivity(tableName, event)];
}

/**
 * The activity as the API shows it, read back field by field: an attribute added to the stored
 * item later is not shown until someone adds it here.
 */
export function toActivityItem(item: Record<string, unknown>): ActivityItem {
  const actor = item.actor as Actor;
  return {
    activityId: String(item.activityId),
    type: item.type as EventType,
    occurredAt: String(item.occurredAt),
    actor: actor.type === "system" ? { type: "system" } : { type: actor.type, userId: actor.userId },
    details: (item.details ?? {}) as Record<string, unknown>,
    correlationId: String(item.correlationId),
  };
}
