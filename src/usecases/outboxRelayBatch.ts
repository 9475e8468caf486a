import { EVENT_SOURCE } from "../domain/events.js";
import type { DeadLetter } from "../ports/deadLetterQueue.js";
import type { PublishEntry, PublishLimits } from "../ports/eventPublisher.js";

/** An outbox item read from the table's stream; `recordId` is the stream record's sequence number. */
export interface OutboxEntry {
  recordId: string;
  eventId: string;
  detailType: string;
  detail: string;
  occurredAt: string;
  correlationId?: string;
}

export interface RelayedEvent {
  recordId: string;
  eventId: string;
  detailType: string;
  correlationId?: string;
  attempts: number;
}

/** One event of a batch on its way to the bus; two records carrying the same eventId are one event. */
export interface Pending {
  eventId: string;
  /** Events of one user keep their order: the user's id, or the event's own id when it names none. */
  orderKey: string;
  entry: PublishEntry;
  records: (OutboxEntry & { position: number })[];
  size: number;
  /** refused: the bus refused it (or the dead-letter queue did not take it); settled: published or dead-lettered. */
  state: "new" | "refused" | "settled";
  attempts: number;
  error?: { errorCode: string; errorMessage: string };
}

/** The batch's events in stream order (an event's place is its first record's). */
export function pendingEvents(entries: readonly OutboxEntry[], limits: PublishLimits): Pending[] {
  const byEventId = new Map<string, Pending>();
  entries.forEach((record, position) => {
    const existing = byEventId.get(record.eventId);
    if (existing) {
      existing.records.push({ ...record, position });
      return;
    }
    const entry: PublishEntry = { source: EVENT_SOURCE, detailType: record.detailType, detail: record.detail, time: new Date(record.occurredAt) };
    byEventId.set(record.eventId, {
      eventId: record.eventId,
      orderKey: userIdOf(record.detail) ?? record.eventId,
      entry,
      records: [{ ...record, position }],
      size: limits.sizeOf(entry),
      state: "new",
      attempts: 0,
    });
  });
  return [...byEventId.values()];
}

/**
 * The next request: unsettled events from the first one on, in order, within the bus's limits
 * (PutEvents: 10 entries, under 256 KB together), and one event per user (a second event of a user waits for the next request, so
 * it is never accepted while the first is refused). An entry too large on its own goes alone; the
 * publisher answers it without sending it.
 */
export function nextChunk(events: readonly Pending[], { maxEntries, maxBytes }: PublishLimits): Pending[] {
  const chunk: Pending[] = [];
  const users = new Set<string>();
  let bytes = 0;
  for (const p of events) {
    if (p.state === "settled") continue;
    const full = chunk.length === maxEntries || (chunk.length > 0 && bytes + p.size >= maxBytes);
    if (full || users.has(p.orderKey)) break;
    chunk.push(p);
    users.add(p.orderKey);
    bytes += p.size;
    if (p.size >= maxBytes) break;
  }
  return chunk;
}

export function describe({ recordId, eventId, detailType, correlationId }: OutboxEntry): Omit<RelayedEvent, "attempts"> {
  return { recordId, eventId, detailType, ...(correlationId ? { correlationId } : {}) };
}

export function deadLetterOf(p: Pending, error: { errorCode: string; errorMessage: string }): DeadLetter {
  const { eventId, detailType, detail, occurredAt } = p.records[0] as OutboxEntry;
  return { eventId, detailType, detail, occurredAt, error: { code: error.errorCode, message: error.errorMessage } };
}

function userIdOf(detail: string): string | undefined {
  try {
    const { userId } = JSON.parse(detail) as { userId?: unknown };
    return typeof userId === "string" && userId !== "" ? `user:${userId}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The events this process published lately, by eventId, with the bus's id. After the relay reports a
 * record, Lambda hands over it and every later record of the batch again, usually to the same warm
 * instance: events among them that were accepted the first time are not sent twice. A new instance
 * starts empty, so consumers still deduplicate on detail.eventId.
 */
export function recentlyPublished(limit = 10_000) {
  const busIds = new Map<string, string>();
  return {
    get: (eventId: string) => busIds.get(eventId),
    add(eventId: string, busEventId: string) {
      busIds.set(eventId, busEventId);
      if (busIds.size > limit) busIds.delete(busIds.keys().next().value as string);
    },
  };
}

export type RecentlyPublished = ReturnType<typeof recentlyPublished>;
