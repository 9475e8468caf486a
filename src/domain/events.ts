import type { z } from "zod";
import type { Actor } from "./activity.js";
import { ConcurrentModificationError } from "./errors.js";
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
type EnvelopeKeys = "version" | "eventId" | "occurredAt" | "sequence" | "metadata";

/** The envelope's version: "1.1" added `sequence` (SPEC 12.7). */
export const EVENT_VERSION = "1.1";
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

/**
 * An event about `payload.userId` carrying its place in that user's order (SPEC 12.7): the
 * sequence the profile held when the change read it, plus one (plus two for the change's second
 * event about the same user, ...). The store advances the profile's counter to the last sequence
 * in the same transaction, on condition that it still holds the value read.
 */
export function createEvent<T extends EventType>(
  detailType: T,
  payload: EventPayload<T>,
  ctx: EventContext,
  sequence: number,
): DomainEvent<T> {
  const detail = {
    version: EVENT_VERSION,
    eventId: ctx.newId(),
    occurredAt: ctx.now,
    sequence,
    ...payload,
    metadata: { correlationId: ctx.correlationId, environment: ctx.environment, timestamp: ctx.now },
  } as EventDetail<T>;
  return { detailType, detail, actor: ctx.actor };
}

/**
 * A transaction lost the race on a user's event sequence: another change committed an event for
 * that user after this one read the profile. Nothing was written; the use case reads again and
 * retries (retryingSequenceConflicts), and only answers 409 when it keeps losing.
 */
export class SequenceConflictError extends ConcurrentModificationError {}
