import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { outboxEntriesOf } from "../../adapters/dynamodb/outboxStreamRecords.js";
import { composeFrom } from "../../composition/compose.js";
import { deadLetterQueue } from "../../composition/factories/deadLetterQueue.js";
import { eventPublisher } from "../../composition/factories/eventPublisher.js";
import { logger, metrics } from "../../observability.js";
import type { AppConfig } from "../../ports/config.js";
import { lambdaEntry } from "../lambdaEntry.js";
import { recentlyPublished, relayOutboxEvents, type RelayOptions } from "../../usecases/relayOutboxEvents.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ eventPublisher, deadLetterQueue });

/** Kept across invocations of this instance: a stream retry does not send an accepted event again. */
const published = recentlyPublished();

/** The relay's pause between its own rounds: the defaults in AWS (about 4 s over 5 rounds), shorter in tests. */
const retryOptions = ({ relayRetryBaseMs }: AppConfig): RelayOptions =>
  relayRetryBaseMs === undefined ? {} : { baseDelayMs: relayRetryBaseMs, maxDelayMs: relayRetryBaseMs * 8 };

/**
 * The outbox relay, on the table's stream. It answers with the partial-batch response shape
 * (ReportBatchItemFailures) itself instead of Powertools' BatchProcessor: BatchProcessor hands
 * records to a handler one at a time, while PutEvents must carry up to 10 of them per request.
 * While EventBridge throttles or fails, the relay reports the first record it could not settle and
 * Lambda hands that record and every later one over again, in order, until the mapping's maximum
 * record age: an outage waits in the stream. Records before it are not retried; events after it that
 * were accepted are remembered by this instance and not sent again (a new instance would send them
 * again: consumers deduplicate on detail.eventId).
 * An unreadable outbox record is logged and counted, not reported: retrying cannot make it readable,
 * and reporting it would hold every later event of the shard for the whole retry window.
 */
const relay = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const { entries, unreadable } = outboxEntriesOf(event.Records);
  const services = servicesOf();
  const report = await relayOutboxEvents(services, { ...retryOptions(services.config), published })(entries);

  for (const e of report.published) {
    logger.info("Event published", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, attempts: e.attempts });
  }
  for (const e of report.deadLettered) {
    logger.error("Event dead-lettered", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, errorCode: e.errorCode, errorMessage: e.errorMessage });
  }
  for (const e of report.failed) {
    logger.warn("Event not published", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, errorCode: e.errorCode, errorMessage: e.errorMessage, attempts: e.attempts });
  }
  for (const u of unreadable) logger.error("Unreadable outbox record", { sequenceNumber: u.recordId, reason: u.reason });
  if (report.retryFrom) logger.warn("Stream retries from a record", { sequenceNumber: report.retryFrom, eventsLeft: report.notSent });
  metrics.addMetric("OutboxEventsPublished", MetricUnit.Count, report.published.length);
  metrics.addMetric("OutboxEventsDeadLettered", MetricUnit.Count, report.deadLettered.length);
  metrics.addMetric("OutboxEventsRetried", MetricUnit.Count, report.notSent);
  metrics.addMetric("OutboxRecordsUnreadable", MetricUnit.Count, unreadable.length);

  // Lambda checkpoints before the lowest reported sequence number: one identifier is enough.
  return { batchItemFailures: report.retryFrom ? [{ itemIdentifier: report.retryFrom }] : [] };
};

/** A batch has no single correlation id: the request id names the invocation, each line its event's. */
export const handler = lambdaEntry({ name: "OutboxRelay", keysOf: (_event: DynamoDBStreamEvent, context) => ({ correlationId: context.awsRequestId }) }, relay);
