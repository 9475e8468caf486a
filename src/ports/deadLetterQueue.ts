/** An outbox event the relay could not publish after its retries, with the bus's last answer. */
export interface DeadLetter {
  eventId: string;
  detailType: string;
  /** The detail as the outbox stores it (JSON text), so a redrive sends exactly what was refused. */
  detail: string;
  /** The event's occurredAt: the PutEvents entry's Time. */
  occurredAt: string;
  error: { code: string; message: string };
}

/**
 * Keeps events the bus would not take (an SQS queue with 14 days' retention in AWS), so they
 * outlive the stream's 24 hours and can be redriven. A request that fails as a whole throws;
 * otherwise the answer lists the entries the queue did not store, and why.
 */
export interface DeadLetterQueue {
  send(entries: readonly DeadLetter[]): Promise<{ failed: { eventId: string; reason: string }[] }>;
}
