import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";

/** One message taken from the dead-letter queue (hidden from other readers until deleted or timed out). */
export interface QueuedMessage {
  id: string;
  body: string;
}

/** The queue side of a redrive: the events DLQ on SQS (sqsDeadLetterSource.ts). */
export interface DeadLetterSource {
  receive(max: number): Promise<QueuedMessage[]>;
  delete(ids: readonly string[]): Promise<void>;
}

export interface RedriveReport {
  redriven: number;
  /** Taken but refused by the bus: left in the queue, visible again after its visibility timeout. */
  failed: { id: string; reason: string }[];
  /** Bodies no known dead-letter shape fits: left in the queue for a person to read. */
  unreadable: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The entry to send again, from any of the three shapes the events DLQ receives:
 * - the relay's dead letter: the refused PutEvents entry plus its error (sqsDeadLetterQueue.ts);
 * - an event a rule target could not take: EventBridge puts the event itself in the queue;
 * - a failed asynchronous invocation of a consumer (cognitoSync): Lambda's record, event in requestPayload.
 */
export function entryFromDeadLetter(body: string, eventBusName: string): PutEventsRequestEntry | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(message)) return undefined;
  if (typeof message.DetailType === "string" && typeof message.Source === "string" && typeof message.Detail === "string") {
    return {
      EventBusName: eventBusName,
      Source: message.Source,
      DetailType: message.DetailType,
      Detail: message.Detail,
      ...(typeof message.Time === "string" ? { Time: new Date(message.Time) } : {}),
    };
  }
  const event = isObject(message.requestPayload) ? message.requestPayload : message;
  if (typeof event["detail-type"] === "string" && typeof event.source === "string" && isObject(event.detail)) {
    return {
      EventBusName: eventBusName,
      Source: event.source,
      DetailType: event["detail-type"],
      Detail: JSON.stringify(event.detail),
      ...(typeof event.time === "string" ? { Time: new Date(event.time) } : {}),
    };
  }
  return undefined;
}

/**
 * Moves dead letters back onto the bus, ten at a time (PutEvents' limit), deleting each message
 * only once the bus accepted its entry. Consumers see the same detail.eventId as the first time
 * and deduplicate on it.
 */
export async function redriveDeadLetters(options: {
  source: DeadLetterSource;
  eventBridge: EventBridgeClient;
  eventBusName: string;
  maxMessages?: number;
  dryRun?: boolean;
}): Promise<RedriveReport> {
  const report: RedriveReport = { redriven: 0, failed: [], unreadable: [] };
  const limit = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let taken = 0;
  while (taken < limit) {
    const messages = await options.source.receive(Math.min(10, limit - taken));
    if (messages.length === 0) break;
    taken += messages.length;
    const sendable: { message: QueuedMessage; entry: PutEventsRequestEntry }[] = [];
    for (const message of messages) {
      const entry = entryFromDeadLetter(message.body, options.eventBusName);
      if (entry) sendable.push({ message, entry });
      else report.unreadable.push(message.id);
    }
    if (options.dryRun) {
      report.redriven += sendable.length;
      continue;
    }
    if (sendable.length === 0) continue;
    const result = await options.eventBridge.send(new PutEventsCommand({ Entries: sendable.map((s) => s.entry) }));
    const accepted: string[] = [];
    sendable.forEach(({ message }, index) => {
      const answer = result.Entries?.[index];
      if (answer?.EventId && !answer.ErrorCode) accepted.push(message.id);
      else report.failed.push({ id: message.id, reason: `${answer?.ErrorCode ?? "NoResult"}: ${answer?.ErrorMessage ?? ""}` });
    });
    if (accepted.length > 0) await options.source.delete(accepted);
    report.redriven += accepted.length;
  }
  return report;
}
