import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { Context, ScheduledEvent } from "aws-lambda";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { logger, metrics, tracer } from "../../observability.js";
import { reconcileUsers, type ReconcileReport } from "../../usecases/reconcileUsers.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, clock, ids, userDirectory });

/**
 * Scheduled job: creates the profiles of confirmed Cognito users that have none. The scheduler's
 * event id becomes the correlation id of every user.created event the run writes.
 */
const base = async (event: ScheduledEvent, context: Context): Promise<ReconcileReport> => {
  const services = servicesOf();
  const correlationId = event.id ?? context.awsRequestId;
  logger.appendKeys({ correlationId });
  try {
    const report = await reconcileUsers(services)({
      correlationId,
      ...(services.config.reconcileWindowHours ? { windowHours: services.config.reconcileWindowHours } : {}),
    });
    logger.info("Reconciliation finished", { report });
    metrics.addMetric("ReconciledProfilesCreated", MetricUnit.Count, report.created);
    metrics.addMetric("ReconcileFailures", MetricUnit.Count, report.failed);
    return report;
  } finally {
    logger.removeKeys(["correlationId"]);
  }
};

export const handler = middy(base)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
