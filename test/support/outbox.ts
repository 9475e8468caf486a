import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { EventDetail, EventType } from "../../src/domain/events.js";
import { eventDetailSchemas } from "../../src/domain/eventSchemas.js";
import type { TestServices } from "./testServices.js";

export interface StoredEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** Every outbox item in the test's table (a Scan: tests use a fresh table each). */
export async function outboxEvents(services: Pick<TestServices, "db" | "config">): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await services.db.send(
      new ScanCommand({
        TableName: services.config.tableName,
        FilterExpression: "begins_with(PK, :outbox)",
        ExpressionAttributeValues: { ":outbox": "OUTBOX#" },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      events.push({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) as Record<string, unknown> });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return events.sort((a, b) => String(a.detail.occurredAt).localeCompare(String(b.detail.occurredAt)));
}

/** Parses an event's detail with the domain's zod schema for its type; throws on any mismatch. */
export function parseEvent<T extends EventType>(detailType: T, event: StoredEvent): EventDetail<T> {
  if (event.detailType !== detailType) throw new Error(`Expected ${detailType}, got ${event.detailType}`);
  return eventDetailSchemas[detailType].parse(event.detail) as EventDetail<T>;
}

/** One item read back by key, consistently. */
export async function readItem(
  services: Pick<TestServices, "db" | "config">,
  key: { PK: string; SK: string },
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await services.db.send(
    new GetCommand({ TableName: services.config.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}
