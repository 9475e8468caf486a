import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { composeFrom } from "../../composition/compose.js";
import { accountPurges } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { logger, metrics } from "../../observability.js";
import { scheduledJob } from "./scheduledJob.js";
import { purgeDueAccounts } from "../../usecases/purgeDueAccounts.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ accountPurges, clock, ids });

/**
 * Scheduled job (SPEC 12.2): erases every deleted account whose purgeAt has passed. The scheduler's
 * event id becomes the correlation id of the run's user.purged events. A run with failures fails
 * (the error metric and alarm see it); the accounts it could not finish are found again next run.
 */
export const handler = scheduledJob("PurgeAccounts", async (correlationId) => {
  const services = servicesOf();
  const report = await purgeDueAccounts(services)({ correlationId });
  logger.info("Purge finished", { report });
  metrics.addMetric("AccountsPurged", MetricUnit.Count, report.purged);
  metrics.addMetric("PurgeFailures", MetricUnit.Count, report.failed);
  if (report.failed > 0) throw new Error(`${report.failed} purge(s) failed; the next run resumes them`);
  return report;
});
