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

/** How much one publish call may carry, as the bus counts it (the adapter knows its bus's quotas). */
export interface PublishLimits {
  maxEntries: number;
  /** An entry at or over this many bytes is answered as rejected without being sent. */
  maxBytes: number;
  /** An entry's size as the bus counts it against maxBytes. */
  sizeOf(entry: PublishEntry): number;
}

/**
 * Publishes events to the event bus (EventBridge in AWS, the local PutEvents endpoint on one
 * machine). One call is at most one request of at most `limits.maxEntries` entries; an entry too
 * large for the bus is answered as rejected without being sent. A request that fails as a whole
 * (throttled past the SDK's retries, the service down, the network) throws; entries the bus refuses
 * come back as failed outcomes.
 */
export interface EventPublisher {
  readonly limits: PublishLimits;
  publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]>;
}
