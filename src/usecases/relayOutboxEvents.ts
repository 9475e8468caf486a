import { setTimeout as sleep } from "node:timers/promises";
import type { Services } from "../ports/services.js";
import type { DeadLetterQueue } from "../ports/deadLetterQueue.js";
import type { EventPublisher, PublishOutcome } from "../ports/eventPublisher.js";
import {
  deadLetterOf,
  describe,
  nextChunk,
  pendingEvents,
  type OutboxEntry,
  type Pending,
  type RecentlyPublished,
  type RelayedEvent,
} from "./outboxRelayBatch.js";

export { recentlyPublished, type OutboxEntry, type RelayedEvent } from "./outboxRelayBatch.js";

type RefusedEvent = RelayedEvent & { errorCode: string; errorMessage: string };

export interface RelayReport {
  published: (RelayedEvent & { busEventId: string })[];
  /** Rejected by the bus for themselves (too large, malformed) and kept in the dead-letter queue: settled. */
  deadLettered: RefusedEvent[];
  /** Refused for a retryable reason (throttling, service error), or rejected and not taken by the dead-letter queue. */
  failed: RefusedEvent[];
  /**
   * The first record, in stream order, whose event is not settled: the stream must hand it and every
   * record after it over again. Undefined when the whole batch is settled.
   */
  retryFrom?: string;
  /** Events left for the stream's retry: the failed ones and those held back behind them. */
  notSent: number;
}

export interface RelayOptions {
  /** Rounds of PutEvents within one invocation before the rest is left to the stream. */
  maxAttempts?: number;
  /** First backoff between rounds; doubled each round, with jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** What this process already published: a retried record of such an event is settled without a send. */
  published?: RecentlyPublished;
}

/**
 * Publishes outbox events in stream order: PutEvents requests of at most 10 entries and 256 KB,
 * holding at most one event per user, so an event refused for a retryable reason never has a later
 * event of its user accepted beside it. At the first such refusal the round stops; the next round
 * (after a backoff) starts again from it, skipping what was already accepted. After the last round
 * the report names the first unsettled record: the stream retries from there, in order, for as long
 * as the mapping allows (an EventBridge outage waits in the stream instead of the dead-letter queue).
 * Only an entry the bus rejects for itself goes to the dead-letter queue, at once; one the queue
 * does not take (or every such entry, without a queue) is left to the stream like a refused one.
 */
export const relayOutboxEvents =
  ({ eventPublisher, deadLetterQueue }: Pick<Services, "eventPublisher" | "deadLetterQueue">, options: RelayOptions = {}) =>
  async (entries: readonly OutboxEntry[]): Promise<RelayReport> => {
    const maxAttempts = options.maxAttempts ?? 5;
    const report: RelayReport = { published: [], deadLettered: [], failed: [], notSent: 0 };
    const events = pendingEvents(entries, eventPublisher.limits);
    for (const p of events) {
      const busEventId = options.published?.get(p.eventId);
      if (busEventId === undefined) continue;
      p.state = "settled";
      for (const record of p.records) report.published.push({ ...describe(record), attempts: 0, busEventId });
    }
    const unsettled = () => events.filter((p) => p.state !== "settled");

    for (let attempt = 1; attempt <= maxAttempts && unsettled().length > 0; attempt++) {
      if (attempt > 1) await sleep(backoff(options, attempt - 1));
      const stop = await publishRound(events, attempt, report, eventPublisher, deadLetterQueue, options.published);
      if (stop === "dead-letter queue failed") break;
    }

    const left = unsettled();
    for (const p of left.filter((e) => e.error)) {
      for (const record of p.records) report.failed.push({ ...describe(record), attempts: p.attempts, ...errorOf(p) });
    }
    report.notSent = left.length;
    report.retryFrom = left.flatMap((p) => p.records).sort((a, b) => a.position - b.position)[0]?.recordId;
    return report;
  };

/** One pass from the first unsettled event; stops at the first event that stays unsettled. */
async function publishRound(
  events: Pending[],
  attempt: number,
  report: RelayReport,
  publisher: EventPublisher,
  queue: DeadLetterQueue | undefined,
  published: RecentlyPublished | undefined,
): Promise<"done" | "refused" | "dead-letter queue failed"> {
  for (let chunk = nextChunk(events, publisher.limits); chunk.length > 0; chunk = nextChunk(events, publisher.limits)) {
    const outcomes = await publishChunk(publisher, chunk);
    const rejected: Pending[] = [];
    chunk.forEach((p, index) => {
      const outcome = outcomes[index] as PublishOutcome;
      p.attempts = attempt;
      if (outcome.ok) {
        p.state = "settled";
        published?.add(p.eventId, outcome.busEventId);
        for (const record of p.records) report.published.push({ ...describe(record), attempts: attempt, busEventId: outcome.busEventId });
        return;
      }
      p.error = { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
      if (outcome.retryable) p.state = "refused";
      else rejected.push(p);
    });
    const notStored = await deadLetter(rejected, queue);
    for (const p of rejected) {
      const queueError = notStored.get(p.eventId);
      if (queueError !== undefined) {
        p.state = "refused";
        p.error = { errorCode: p.error?.errorCode ?? "Rejected", errorMessage: `${p.error?.errorMessage ?? ""}; dead-letter queue: ${queueError || "none configured"}` };
        continue;
      }
      p.state = "settled";
      for (const record of p.records) report.deadLettered.push({ ...describe(record), attempts: attempt, ...errorOf(p) });
    }
    if (rejected.some((p) => p.state === "refused")) return "dead-letter queue failed";
    if (chunk.some((p) => p.state === "refused")) return "refused";
  }
  return "done";
}

/** The eventIds the queue did not store, with why ("" when there is no queue). */
async function deadLetter(rejected: Pending[], queue: DeadLetterQueue | undefined): Promise<Map<string, string>> {
  if (rejected.length === 0) return new Map();
  if (!queue) return new Map(rejected.map((p) => [p.eventId, ""]));
  try {
    const { failed } = await queue.send(rejected.map((p) => deadLetterOf(p, errorOf(p))));
    return new Map(failed.map((f) => [f.eventId, f.reason]));
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return new Map(rejected.map((p) => [p.eventId, `${name}: ${message}`]));
  }
}

/** A request that fails as a whole (throttled past the SDK's retries, bus down, network) is retryable for all its entries. */
async function publishChunk(publisher: EventPublisher, chunk: Pending[]): Promise<PublishOutcome[]> {
  try {
    return await publisher.publish(chunk.map((p) => p.entry));
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return chunk.map(() => ({ ok: false, errorCode: name, errorMessage: message, retryable: true }));
  }
}

const errorOf = (p: Pending) => p.error ?? { errorCode: "Unknown", errorMessage: "" };

const backoff = ({ baseDelayMs = 250, maxDelayMs = 4000 }: RelayOptions, round: number) =>
  Math.min(maxDelayMs, baseDelayMs * 2 ** (round - 1)) * (0.5 + Math.random() / 2);
