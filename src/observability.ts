import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { RECORD_DIR_ENV, recordCalls } from "./adapters/awsCallRecorder.js";

/** Created once per process; every entry point shares them. */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? "user-service";

export const logger = new Logger({ serviceName });
/**
 * Every metric carries the stage beside the service: two stages in one account would otherwise add
 * into one series, and production's alarms (terraform/monitoring.tf, local.emf_dimensions) would
 * page on staging's failures.
 */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "UserService",
  defaultDimensions: { stage: process.env.STAGE ?? "local" },
});
export const tracer = new Tracer({ serviceName });

/**
 * An SDK v3 client whose calls appear as X-Ray subsegments (service, operation, latency, errors;
 * never the request or response payload). Every adapter creates its clients through this, so a
 * trace shows where a request spent its time without recording profiles or addresses. With
 * tracing off (tests, the local stack) the client comes back unchanged.
 *
 * With AWS_CALL_RECORD_DIR set (the int and e2e suites), each call is also recorded for the IAM
 * evidence test (src/adapters/awsCallRecorder.ts); unset, as in Lambda, nothing is added.
 */
export function traced<Client>(client: Client): Client {
  const recordDir = process.env[RECORD_DIR_ENV];
  return tracer.captureAWSv3Client(recordDir ? recordCalls(client, recordDir) : client);
}
