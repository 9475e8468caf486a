import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

export interface StreamFailure {
  /** The records given up on: from the retry point to the end of the batch, as Lambda discards them. */
  records: DynamoDBRecord[];
  attempts: number;
  error: string;
}

/** The event source mapping's error handling, with Lambda's names and meanings. */
export interface RetryPolicy {
  /** Re-deliveries after the first attempt (MaximumRetryAttempts); -1 retries until the record age runs out. */
  maxRetryAttempts?: number;
  /** Records older than this are discarded to the on-failure destination (MaximumRecordAgeInSeconds); -1 never. */
  maxRecordAgeSeconds?: number;
  /** First pause before a re-delivery, doubled each time up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** What the poller counts, so a test can assert that the path it names was taken. */
export interface DeliveryStats {
  /** Invocations of the handler. */
  invocations: number;
  /** Invocations that re-delivered records already handed over (Lambda's retries). */
  retries: number;
  /** Responses that reported batch item failures. */
  reportedFailures: number;
  /** Records handed to the on-failure destination. */
  discarded: number;
}

export interface BatchDelivery {
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  onFailure?: (failure: StreamFailure) => void | Promise<void>;
  policy: RetryPolicy;
  stats: DeliveryStats;
  wait: (ms: number) => Promise<void>;
  stopped: () => boolean;
  now?: () => number;
}

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? "";
/**
 * A record's age in seconds. DynamoDB Local's ApproximateCreationDateTime is cut to the minute, so
 * the record was written in the minute after it, and no later than the poller first read it.
 */
function ageSeconds(record: DynamoDBRecord, readAt: number, now: number): number {
  const approximate = record.dynamodb?.ApproximateCreationDateTime;
  const writtenBy = approximate === undefined ? readAt : Math.min(readAt, (approximate + 60) * 1000);
  return (now - writtenBy) / 1000;
}

/**
 * Hands one batch to the handler as Lambda does with ReportBatchItemFailures and without bisecting:
 * on reported failures it checkpoints before the lowest reported sequence number and invokes again
 * with that record and every later one, in order, after a backoff; a thrown error, or an identifier
 * that is not in the batch, retries the whole batch. Records older than the maximum age, and the
 * whole rest of the batch once the retries run out, go to `onFailure` and the shard moves on.
 * Returns false when stopping abandoned the batch: it is read again on the next start.
 */
export async function deliverBatch(batch: DynamoDBRecord[], d: BatchDelivery): Promise<boolean> {
  const { maxRetryAttempts = -1, maxRecordAgeSeconds = -1, retryDelayMs = 200, maxRetryDelayMs = 10_000 } = d.policy;
  const now = d.now ?? Date.now;
  const readAt = now();
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    if (maxRecordAgeSeconds >= 0) {
      const at = now();
      const expired = pending.filter((record) => ageSeconds(record, readAt, at) > maxRecordAgeSeconds);
      if (expired.length > 0) await discard(d, { records: expired, attempts: attempt - 1, error: "Record is older than the maximum record age" });
      pending = pending.filter((record) => !expired.includes(record));
      if (pending.length === 0) return true;
    }
    d.stats.invocations += 1;
    if (attempt > 1) d.stats.retries += 1;
    let error: string;
    let from: number;
    try {
      const response = await d.handler({ Records: pending });
      const reported = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      if (reported.size === 0) return true;
      d.stats.reportedFailures += 1;
      error = "Reported as batch item failures";
      const known = [...reported].every((id) => pending.some((record) => sequenceOf(record) === id));
      from = known ? pending.findIndex((record) => reported.has(sequenceOf(record))) : 0;
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      from = 0;
    }
    if (d.stopped()) return false;
    pending = pending.slice(from);
    if (maxRetryAttempts >= 0 && attempt > maxRetryAttempts) {
      await discard(d, { records: pending, attempts: attempt, error });
      return true;
    }
    await d.wait(Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1)));
    if (d.stopped()) return false;
  }
}

async function discard(d: BatchDelivery, failure: StreamFailure) {
  d.stats.discarded += failure.records.length;
  await d.onFailure?.(failure);
}
