import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/** Created once per process; every entry point shares them. */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? "user-service";

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "UserService" });
export const tracer = new Tracer({ serviceName });
