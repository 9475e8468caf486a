import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Caller } from "../domain/caller.js";
import { composeFrom, type Factories, type SliceOf } from "../composition/compose.js";
import type { Services } from "../ports/services.js";
import { authorizeAdmin } from "../usecases/authorizeAdmin.js";
import { logger, metrics, tracer } from "../observability.js";
import { corsHeaders } from "./cors.js";
import { toErrorResponse } from "./errorResponse.js";
import { callerOf, correlationIdOf, header, jsonBodyOf } from "./request.js";
import type { HttpResult } from "./response.js";

/** What a route sees: the verified caller and the parsed request, nothing of API Gateway. */
export interface HttpRequest {
  caller: Caller;
  correlationId: string;
  requestId: string;
  body: unknown;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  header(name: string): string | undefined;
  /** Lambda context: Powertools idempotency needs it for the remaining time. */
  lambdaContext: Context;
}

/** A route and the services it reads: its function's slice of the graph (`uses`), or all of it. */
export type Route<S = Services> = (request: HttpRequest, services: S) => Promise<HttpResult>;

export interface RouteOptions<F extends Factories> {
  /**
   * The factories of the members the route uses (src/composition/factories/): the function's
   * bundle holds these adapters and no others.
   */
  uses: F;
  /** Callers must be in the `admins` group and their own account active (reads `profiles`). */
  admin?: "profiles" extends keyof F ? boolean : never;
}

/**
 * Wraps a route into a Lambda entry point: correlation id, logger/metrics/tracer, caller from
 * claims, JSON body, and the one error mapping. Routes stay free of API Gateway details.
 */
export function httpHandler<F extends Factories>(route: Route<SliceOf<F>>, options: RouteOptions<F>) {
  return wrap(route, options, true);
}

/** What a public route sees: the request without a caller (there is no token to have one from). */
export type PublicHttpRequest = Omit<HttpRequest, "caller">;

/**
 * A route without an authorizer (POST /account/restore and /account/revert, SPEC 3): the same
 * wrapper with no caller; an Authorization header, if sent, is ignored as API Gateway ignores it.
 */
export function publicHttpHandler<F extends Factories>(
  route: (request: PublicHttpRequest, services: SliceOf<F>) => Promise<HttpResult>,
  options: { uses: F },
) {
  return wrap(route as Route<SliceOf<F>>, options, false);
}

function wrap<F extends Factories>(route: Route<SliceOf<F>>, options: RouteOptions<F>, authenticated: boolean) {
  const servicesOf = composeFrom(options.uses);
  const base = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const services = servicesOf();
    const correlationId = correlationIdOf(event);
    const requestId = event.requestContext.requestId;
    logger.appendKeys({ correlationId, requestId });
    let statusCode = 500;
    let userId: string | undefined;
    const common = {
      "Content-Type": "application/json",
      "X-Correlation-Id": correlationId,
      ...corsHeaders(header(event, "origin"), services.config.allowedOrigins),
    };
    try {
      const caller = authenticated ? callerOf(event, services.config.appClientId) : (undefined as unknown as Caller);
      if (authenticated) {
        userId = caller.userId;
        logger.appendKeys({ userId });
      }
      if (options.admin) await authorizeAdmin(services as unknown as Pick<Services, "profiles">)(caller);
      const result = await route(
        {
          caller,
          correlationId,
          requestId,
          body: jsonBodyOf(event),
          pathParameters: event.pathParameters ?? {},
          query: event.queryStringParameters ?? {},
          header: (name) => header(event, name),
          lambdaContext: context,
        },
        services,
      );
      statusCode = result.statusCode;
      countResponse(statusCode);
      return {
        statusCode: result.statusCode,
        headers: { ...common, ...result.headers },
        body: result.body === undefined ? "" : JSON.stringify(result.body),
      };
    } catch (error) {
      const { body, headers, ...mapped } = toErrorResponse(error, requestId);
      statusCode = mapped.statusCode;
      countResponse(statusCode);
      if (statusCode >= 500) logger.error("Unhandled error", { error: error as Error });
      else logger.info("Request rejected", { statusCode, reason: (error as Error).name });
      return { statusCode, headers: { ...common, ...headers }, body: JSON.stringify(body) };
    } finally {
      requestCompleted(event, statusCode, started, userId);
      logger.removeKeys(["correlationId", "requestId", "userId"]);
    }
  };
  return middy(base)
    .use(injectLambdaContext(logger))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics));
}

/**
 * The one line every request writes, errors included: with the appended correlation and request
 * ids it is what a Logs Insights query joins to the gateway's access log (by requestId) and to
 * the events the request caused (by correlationId). Route and method, never the path's values,
 * a header, the body or an address.
 */
function requestCompleted(event: APIGatewayProxyEvent, status: number, started: number, userId: string | undefined): void {
  logger.info("Request completed", {
    route: event.resource,
    method: event.httpMethod,
    status,
    latencyMs: Math.round(performance.now() - started),
    ...(userId ? { userId } : {}),
  });
}

/**
 * One count per response by status class (Http2xx/Http4xx/Http5xx): the alarm-friendly view of
 * a route, and it means every invocation publishes at least one metric.
 */
function countResponse(statusCode: number): void {
  metrics.addMetric(`Http${Math.floor(statusCode / 100)}xx`, MetricUnit.Count, 1);
}
