/** One event as handed to the bus: EventBridge's PutEvents entry, minus the bus name. */
export interface PublishEntry {
  source: string;
  detailType: string;
  /** The detail, already serialized (the outbox stores it as JSON text). */
  detail: string;
  time: Date;
}

/**
 * What the bus said about one entry, in the order the entries were given. `retryable` is false only
 * when the bus rejected the entry for itself (too large, malformed): sending it again cannot help.
 * Throttling and service errors are retryable: the same entry is accepted once the bus recovers.
 */
export type PublishOutcome =
  | { ok: true; busEventId: string }
  | { ok: false; errorCode: string; errorMessage: string; retryable: boolean };

/**
 * Publishes events to the event bus (EventBridge in AWS, the local PutEvents endpoint on one
 * machine). One call is at most one PutEvents request of at most PUBLISH_LIMITS.maxEntries entries;
 * an entry over PUBLISH_LIMITS.maxBytes is answered as rejected without being sent. A request that
 * fails as a whole (throttled past the SDK's retries, the service down, the network) throws; entries
 * the bus refuses come back as failed outcomes.
 */
export interface EventPublisher {
  publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]>;
}

/** EventBridge's PutEvents quotas: 10 entries per request, total entry size under 256 KB. */
export const PUBLISH_LIMITS = { maxEntries: 10, maxBytes: 256 * 1024 } as const;

/**
 * An entry's size as EventBridge counts it against the 256 KB limit: 14 bytes for Time, plus the
 * UTF-8 bytes of Source, DetailType and Detail.
 */
export function publishEntrySize(entry: PublishEntry): number {
  return (
    14 +
    Buffer.byteLength(entry.source, "utf8") +
    Buffer.byteLength(entry.detailType, "utf8") +
    Buffer.byteLength(entry.detail, "utf8")
  );
}
