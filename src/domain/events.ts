import { z } from "zod";
import type { Actor } from "./activity.js";

/**
 * Every event the service publishes: its EventBridge detail-type and the zod schema of its detail.
 * The JSON Schemas in schemas/events/ are generated from these (npm run schemas).
 */
const metadata = z.strictObject({
  correlationId: z.string().min(1),
  environment: z.string().min(1),
  timestamp: z.iso.datetime(),
});

const envelope = {
  version: z.literal("1.0"),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
  metadata,
};

const userId = z.string().min(1);
const emailId = z.string().min(1);
const email = z.email();

export const eventDetailSchemas = {
  "user.created": z.strictObject({ ...envelope, userId, email }),
  "user.updated": z.strictObject({
    ...envelope,
    userId,
    changedFields: z.array(z.enum(["firstName", "lastName", "phone"])).min(1),
  }),
  "user.deleted": z.strictObject({ ...envelope, userId, deletedAt: z.iso.datetime() }),
  "user.suspended": z.strictObject({ ...envelope, userId, reason: z.string().min(1) }),
  "user.reactivated": z.strictObject({ ...envelope, userId }),
  "email.added": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.verified": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.removed": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.primary.changed": z.strictObject({
    ...envelope,
    userId,
    emailId,
    oldEmail: email,
    newEmail: email,
  }),
} as const;

export type EventType = keyof typeof eventDetailSchemas;
export const EVENT_TYPES = Object.keys(eventDetailSchemas) as EventType[];
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
