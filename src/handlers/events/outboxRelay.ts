import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { outboxEntriesOf } from "../../adapters/dynamodb/outboxStreamRecords.js";
import { composeFrom } from "../../composition/compose.js";
import { deadLetterQueue } from "../../composition/factories/deadLetterQueue.js";
import { eventPublisher } from "../../composition/factories/eventPublisher.js";
import { logger, metrics } from "../../observability.js";
import { lambdaEntry } from "../lambdaEntry.js";
import { relayOutboxEvents } from "../../usecases/relayOutboxEvents.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ eventPublisher, deadLetterQueue });

/**
 * The outbox relay, on the table's stream. It answers with the partial-batch response shape
 * (ReportBatchItemFailures) itself instead of Powertools' BatchProcessor: BatchProcessor hands
 * records to a handler one at a time, while PutEvents must carry up to 10 of them per request and
 * resend only refused entries, so success is known per chunk, not per record.
 * Entries refused after the relay's own resends go to the dead-letter queue and count as settled;
 * a record is reported as failed only when that queue did not take its event (or there is none).
 * Lambda restarts from the lowest failed sequence number, so later records of the batch may be
 * sent again by the next invocation: consumers deduplicate on detail.eventId.
 */
const relay = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const { entries, unreadable } = outboxEntriesOf(event.Records);
  const report = await relayOutboxEvents(servicesOf())(entries);

  for (const e of report.published) {
    logger.info("Event published", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, attempts: e.attempts });
  }
  for (const e of report.deadLettered) {
    logger.error("Event dead-lettered", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, errorCode: e.errorCode, errorMessage: e.errorMessage });
  }
  for (const e of report.failed) {
    logger.error("Event not published", { correlationId: e.correlationId, eventId: e.eventId, detailType: e.detailType, errorCode: e.errorCode, errorMessage: e.errorMessage });
  }
  for (const u of unreadable) logger.error("Unreadable outbox record", { sequenceNumber: u.recordId, reason: u.reason });
  metrics.addMetric("OutboxEventsPublished", MetricUnit.Count, report.published.length);
  metrics.addMetric("OutboxEventsDeadLettered", MetricUnit.Count, report.deadLettered.length);
  metrics.addMetric("OutboxEventsFailed", MetricUnit.Count, report.failed.length + unreadable.length);

  const failedIds = new Set([...report.failed.map((e) => e.recordId), ...unreadable.map((u) => u.recordId)]);
  return { batchItemFailures: [...failedIds].map((itemIdentifier) => ({ itemIdentifier })) };
};

/** A batch has no single correlation id: the request id names the invocation, each line its event's. */
export const handler = lambdaEntry({ name: "OutboxRelay", keysOf: (_event: DynamoDBStreamEvent, context) => ({ correlationId: context.awsRequestId }) }, relay);
