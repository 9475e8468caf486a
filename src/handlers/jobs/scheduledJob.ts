import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { Context, ScheduledEvent } from "aws-lambda";
import { logger, metrics, tracer } from "../../observability.js";

/**
 * The Lambda entry of a scheduled job: the scheduler's event id (else the request id) is the
 * correlation id of the run's log lines and of every event it writes; logger, metrics and tracer
 * (without the response, which may name users) wrap it in one fixed order.
 */
export function scheduledJob<Report>(run: (correlationId: string) => Promise<Report>) {
  const base = async (event: ScheduledEvent, context: Context): Promise<Report> => {
    const correlationId = event.id ?? context.awsRequestId;
    logger.appendKeys({ correlationId });
    try {
      return await run(correlationId);
    } finally {
      logger.removeKeys(["correlationId"]);
    }
  };
  return middy(base)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(captureLambdaHandler(tracer, { captureResponse: false }));
}
