import type { z } from "zod";
import type { Actor } from "./activity.js";
import type { eventDetailSchemas } from "./eventSchemas.js";

/**
 * Every event the service publishes, by EventBridge detail-type. The zod schema of each detail is
 * in ./eventSchemas.ts, apart from this module: writing an event needs no zod, so a function that
 * only writes events does not load it (only the consumers that parse details do).
 */
export const EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deleted",
  "user.suspended",
  "user.reactivated",
  "user.restored",
  "user.purged",
  "email.added",
  "email.verified",
  "email.removed",
  "email.primary.changed",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type EventDetail<T extends EventType> = z.infer<(typeof eventDetailSchemas)[T]>;
type EnvelopeKeys = "version" | "eventId" | "occurredAt" | "metadata";
export type EventPayload<T extends EventType> = Omit<EventDetail<T>, EnvelopeKeys>;

export const EVENT_SOURCE = "user-service";

/**
 * An event ready to be written to the outbox. `actor` stays out of the published detail: it goes
 * to the user's activity trail, written beside the outbox item (SPEC 12.5).
 */
export interface DomainEvent<T extends EventType = EventType> {
  detailType: T;
  detail: EventDetail<T>;
  actor: Actor;
}

export interface EventContext {
  correlationId: string;
  environment: string;
  /** ISO time the change happened. */
  now: string;
  newId: () => string;
  /** Who made the change: the activity trail names them. */
  actor: Actor;
}

/** The correlation id an event's detail carries; undefined for a detail without a well-formed one. */
export function correlationIdOfDetail(detail: unknown): string | undefined {
  if (typeof detail !== "object" || detail === null) return undefined;
  const { metadata } = detail as { metadata?: { correlationId?: unknown } };
  return typeof metadata?.correlationId === "string" ? metadata.correlationId : undefined;
}

export function createEvent<T extends EventType>(
  detailType: T,
  payload: EventPayload<T>,
  ctx: EventContext,
): DomainEvent<T> {
  const detail = {
    version: "1.0",
    eventId: ctx.newId(),
    occurredAt: ctx.now,
    ...payload,
    metadata: { correlationId: ctx.correlationId, environment: ctx.environment, timestamp: ctx.now },
  } as EventDetail<T>;
  return { detailType, detail, actor: ctx.actor };
}
