import type { ScheduledEvent } from "aws-lambda";
import { lambdaEntry } from "../lambdaEntry.js";

/**
 * A scheduled job on the one non-HTTP entry (../lambdaEntry.ts): the scheduler's event id (else
 * the request id) is the correlation id of the run's log lines and of every event it writes.
 */
export function scheduledJob<Report>(name: string, run: (correlationId: string) => Promise<Report>) {
  return lambdaEntry(
    { name, keysOf: (event: ScheduledEvent, context) => ({ correlationId: event.id ?? context.awsRequestId }) },
    (_event, { correlationId }) => run(correlationId),
  );
}
