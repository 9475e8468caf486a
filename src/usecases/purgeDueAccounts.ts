import type { Services } from "../ports/services.js";
import { systemActor } from "../domain/activity.js";
import { logger } from "../observability.js";
import { purgeAccount } from "./purgeAccount.js";

export interface PurgeReport {
  /** Accounts the run erased. */
  purged: number;
  /** Found due but not purged: restored meanwhile, or already erased by another run. */
  skipped: number;
  /** Purges that failed; the next run finds these accounts again and resumes them. */
  failed: number;
}

/** Accounts one run takes; the rest wait for the next run (hourly), oldest due first. */
export const PURGE_BATCH = 200;

/**
 * The scheduled purge (SPEC 12.2): every deleted account whose purgeAt has passed, found through
 * the sparse status index (no scan), erased one after the other. One account's failure does not
 * stop the others; the account keeps its profile and index entry, so the next run retries it.
 */
export const purgeDueAccounts =
  (services: Pick<Services, "accountPurges" | "config" | "clock" | "ids">) =>
  async ({ correlationId, limit = PURGE_BATCH }: { correlationId: string; limit?: number }): Promise<PurgeReport> => {
    const report: PurgeReport = { purged: 0, skipped: 0, failed: 0 };
    const due = await services.accountPurges.dueForPurge(services.clock.now().toISOString(), limit);
    for (const userId of due) {
      try {
        const { outcome } = await purgeAccount(services)({ userId, correlationId, actor: systemActor });
        if (outcome === "purged") report.purged += 1;
        else report.skipped += 1;
      } catch (error) {
        report.failed += 1;
        logger.error("Purge failed; the next run resumes it", { userId, error });
      }
    }
    return report;
  };
