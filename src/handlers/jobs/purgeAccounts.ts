import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { Context, ScheduledEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { accountPurges } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { logger, metrics, tracer } from "../../observability.js";
import { purgeDueAccounts, type PurgeReport } from "../../usecases/purgeDueAccounts.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ accountPurges, clock, ids });

/**
 * Scheduled job (SPEC 12.2): erases every deleted account whose purgeAt has passed. The scheduler's
 * event id becomes the correlation id of the run's user.purged events. A run with failures fails
 * (the error metric and alarm see it); the accounts it could not finish are found again next run.
 */
const base = async (event: ScheduledEvent, context: Context): Promise<PurgeReport> => {
  const services = servicesOf();
  const correlationId = event.id ?? context.awsRequestId;
  logger.appendKeys({ correlationId });
  try {
    const report = await purgeDueAccounts(services)({ correlationId });
    logger.info("Purge finished", { report });
    metrics.addMetric("AccountsPurged", MetricUnit.Count, report.purged);
    metrics.addMetric("PurgeFailures", MetricUnit.Count, report.failed);
    if (report.failed > 0) throw new Error(`${report.failed} purge(s) failed; the next run resumes them`);
    return report;
  } finally {
    logger.removeKeys(["correlationId"]);
  }
};

export const handler = middy(base)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
