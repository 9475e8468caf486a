import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { composeFrom } from "../../composition/compose.js";
import { profiles } from "../../composition/factories/dynamo.js";
import { clock, ids } from "../../composition/factories/system.js";
import { userDirectory } from "../../composition/factories/userDirectory.js";
import { logger, metrics } from "../../observability.js";
import { scheduledJob } from "./scheduledJob.js";
import { reconcileUsers } from "../../usecases/reconcileUsers.js";

/** What this function uses of the graph; its bundle holds these adapters only. */
const servicesOf = composeFrom({ profiles, clock, ids, userDirectory });

/**
 * Scheduled job: creates the profiles of confirmed Cognito users that have none, found through
 * the pending sign-up markers (SPEC 14.2). The scheduler's event id becomes the correlation id of
 * every user.created event the run writes.
 */
export const handler = scheduledJob("ReconcileUsers", async (correlationId) => {
  const services = servicesOf();
  const report = await reconcileUsers(services)({ correlationId });
  logger.info("Reconciliation finished", { report });
  metrics.addMetric("ReconciledProfilesCreated", MetricUnit.Count, report.created);
  metrics.addMetric("ReconcileFailures", MetricUnit.Count, report.failed);
  metrics.addMetric("SignUpMarkersChecked", MetricUnit.Count, report.checked);
  return report;
});
