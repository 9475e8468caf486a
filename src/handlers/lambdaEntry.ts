import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { Context } from "aws-lambda";
import { logger, metrics, tracer } from "../observability.js";

/**
 * The keys every log line of one invocation carries. `correlationId` always: the id the source
 * gives the work (a scheduler's or a bus's event id, an event's own correlation id), else the
 * Lambda request id. The others name the source's item when there is one; unset ones are left out.
 */
export interface EntryKeys {
  correlationId: string;
  eventId?: string | undefined;
  detailType?: string | undefined;
  triggerSource?: string | undefined;
}

export interface EntryOptions<Event> {
  /** The entry's name in its metrics: `${name}Handled` or `${name}Failed`, one per invocation. */
  name: string;
  /** The log keys of this invocation, read from its event. */
  keysOf: (event: Event, context: Context) => EntryKeys;
}

/**
 * The Lambda entry of every function that is not an HTTP route (Cognito triggers, stream and bus
 * consumers, the queue processor, scheduled jobs), so all of them log, measure and trace alike:
 * the logger with the Lambda context, the tracer (without the response, which may name users),
 * then the metrics flush, in the HTTP wrapper's order (src/http/httpHandler.ts). The invocation's
 * keys are on every line it writes and gone after it; its outcome is counted, so the flush is
 * never empty. It imports no adapter: each function still composes only what it uses.
 */
export function lambdaEntry<Event, Result>(
  { name, keysOf }: EntryOptions<Event>,
  run: (event: Event, entry: { correlationId: string; context: Context }) => Promise<Result>,
) {
  const base = async (event: Event, context: Context): Promise<Result> => {
    const keys = keysOf(event, context);
    const present = Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined)) as Record<string, string>;
    logger.appendKeys(present);
    let outcome = "Failed";
    try {
      const result = await run(event, { correlationId: keys.correlationId, context });
      outcome = "Handled";
      return result;
    } finally {
      metrics.addMetric(`${name}${outcome}`, MetricUnit.Count, 1);
      logger.removeKeys(Object.keys(present));
    }
  };
  return middy(base)
    .use(injectLambdaContext(logger))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics));
}
