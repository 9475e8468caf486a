import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Services } from "../ports/services.js";
import { logger, metrics } from "../observability.js";
import type { OutgoingMail } from "../ports/mailer.js";

/**
 * Sends a security notice after its change has committed: a lost notice must not turn the change
 * into an error, so a failure is logged (the subject and user, never the text: it may carry a link
 * token) and counted as NoticeMailFailed, and the caller carries on.
 */
export async function sendNotice(services: Pick<Services, "mailer">, mail: OutgoingMail, userId: string): Promise<void> {
  try {
    await services.mailer.send(mail);
  } catch (error) {
    logger.warn("Security notice not sent", { userId, subject: mail.subject, error: error as Error });
    metrics.addMetric("NoticeMailFailed", MetricUnit.Count, 1);
  }
}

