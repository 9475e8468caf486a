import { setTimeout as sleep } from "node:timers/promises";
import { EVENT_SOURCE } from "../domain/events.js";
import type { Services } from "../ports/services.js";
import type { DeadLetter, DeadLetterQueue } from "../ports/deadLetterQueue.js";
import {
  PUBLISH_LIMITS,
  publishEntrySize,
  type PublishEntry,
  type PublishOutcome,
} from "../ports/eventPublisher.js";

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

type RefusedEvent = RelayedEvent & { errorCode: string; errorMessage: string };

export interface RelayReport {
  published: (RelayedEvent & { busEventId: string })[];
  /** Refused after every attempt and kept in the dead-letter queue: settled. */
  deadLettered: RefusedEvent[];
  /** Neither published nor dead-lettered: their stream records must be retried. */
  failed: RefusedEvent[];
}

export interface RelayOptions {
  /** PutEvents attempts per entry within one invocation. */
  maxAttempts?: number;
  /** First backoff; doubled each round, with jitter. */
  baseDelayMs?: number;
}

interface Pending {
  eventId: string;
  entry: PublishEntry;
  records: OutboxEntry[];
  size: number;
  lastError?: { errorCode: string; errorMessage: string };
}

interface Undelivered {
  pending: Pending;
  attempts: number;
  error: { errorCode: string; errorMessage: string };
}

/**
 * Publishes outbox events: PutEvents in requests of at most 10 entries and 256 KB, resending only
 * the entries EventBridge refused, a few rounds with backoff. An entry leaves the pending set the
 * moment it is accepted, so no event is sent twice by one invocation; two records carrying the same
 * eventId are sent once.
 * What is still refused after the last round goes to the dead-letter queue, which outlives the
 * stream's 24 hours; only what that queue does not take is left for the stream to retry. Without a
 * dead-letter queue every refused entry is left to the stream.
 */
export const relayOutboxEvents =
  ({ eventPublisher, deadLetterQueue }: Pick<Services, "eventPublisher" | "deadLetterQueue">, options: RelayOptions = {}) =>
  async (entries: readonly OutboxEntry[]): Promise<RelayReport> => {
    const maxAttempts = options.maxAttempts ?? 4;
    const baseDelayMs = options.baseDelayMs ?? 100;
    const report: RelayReport = { published: [], deadLettered: [], failed: [] };

    let pending = [...groupByEventId(entries).values()];
    const undelivered: Undelivered[] = pending
      .filter((p) => p.size >= PUBLISH_LIMITS.maxBytes)
      .map((p) => ({ pending: p, attempts: 0, error: { errorCode: "EntryTooLarge", errorMessage: `Entry is ${p.size} bytes` } }));
    pending = pending.filter((p) => p.size < PUBLISH_LIMITS.maxBytes);

    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(backoff(baseDelayMs, attempt - 1));
      const refused: Pending[] = [];
      for (const chunk of chunks(pending)) {
        const outcomes = await publishChunk(eventPublisher.publish.bind(eventPublisher), chunk);
        chunk.forEach((p, index) => {
          const outcome = outcomes[index] as PublishOutcome;
          if (outcome.ok) {
            for (const record of p.records) {
              report.published.push({ ...describe(record), attempts: attempt, busEventId: outcome.busEventId });
            }
          } else {
            refused.push({ ...p, lastError: { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage } });
          }
        });
      }
      pending = refused;
    }
    for (const p of pending) {
      undelivered.push({ pending: p, attempts: maxAttempts, error: p.lastError ?? { errorCode: "Unknown", errorMessage: "" } });
    }
    await settleUndelivered(report, undelivered, deadLetterQueue);
    return report;
  };

/** Dead-letters what the bus refused; what the queue does not take (or every entry, without one) fails. */
async function settleUndelivered(report: RelayReport, undelivered: Undelivered[], queue: DeadLetterQueue | undefined) {
  if (undelivered.length === 0) return;
  const notStored = await deadLetter(undelivered, queue);
  for (const { pending, attempts, error } of undelivered) {
    const queueError = notStored.get(pending.eventId);
    const target = queueError === undefined ? report.deadLettered : report.failed;
    const errorMessage = queueError ? `${error.errorMessage}; dead-letter queue: ${queueError}` : error.errorMessage;
    for (const record of pending.records) target.push({ ...describe(record), attempts, errorCode: error.errorCode, errorMessage });
  }
}

/** The eventIds the queue did not store, with why ("" when there is no queue). */
async function deadLetter(undelivered: Undelivered[], queue: DeadLetterQueue | undefined): Promise<Map<string, string>> {
  if (!queue) return new Map(undelivered.map((u) => [u.pending.eventId, ""]));
  try {
    const { failed } = await queue.send(undelivered.map(deadLetterOf));
    return new Map(failed.map((f) => [f.eventId, f.reason]));
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return new Map(undelivered.map((u) => [u.pending.eventId, `${name}: ${message}`]));
  }
}

function deadLetterOf({ pending, error }: Undelivered): DeadLetter {
  const { eventId, detailType, detail, occurredAt } = pending.records[0] as OutboxEntry;
  return { eventId, detailType, detail, occurredAt, error: { code: error.errorCode, message: error.errorMessage } };
}

function groupByEventId(entries: readonly OutboxEntry[]): Map<string, Pending> {
  const byEventId = new Map<string, Pending>();
  for (const record of entries) {
    const existing = byEventId.get(record.eventId);
    if (existing) {
      existing.records.push(record);
      continue;
    }
    const entry: PublishEntry = {
      source: EVENT_SOURCE,
      detailType: record.detailType,
      detail: record.detail,
      time: new Date(record.occurredAt),
    };
    byEventId.set(record.eventId, { eventId: record.eventId, entry, records: [record], size: publishEntrySize(entry) });
  }
  return byEventId;
}

/** Consecutive runs of at most 10 entries whose sizes add up to under 256 KB. */
function* chunks(pending: readonly Pending[]): Generator<Pending[]> {
  let chunk: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (chunk.length === PUBLISH_LIMITS.maxEntries || bytes + p.size >= PUBLISH_LIMITS.maxBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(p);
    bytes += p.size;
  }
  if (chunk.length > 0) yield chunk;
}

/** A request that fails as a whole (throttled past the SDK's retries, bus down) refuses every entry. */
async function publishChunk(
  publish: (entries: PublishEntry[]) => Promise<PublishOutcome[]>,
  chunk: Pending[],
): Promise<PublishOutcome[]> {
  try {
    return await publish(chunk.map((p) => p.entry));
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return chunk.map(() => ({ ok: false, errorCode: name, errorMessage: message }));
  }
}

function describe({ recordId, eventId, detailType, correlationId }: OutboxEntry): Omit<RelayedEvent, "attempts"> {
  return { recordId, eventId, detailType, ...(correlationId ? { correlationId } : {}) };
}

const backoff = (baseMs: number, round: number) => baseMs * 2 ** (round - 1) * (0.5 + Math.random() / 2);
