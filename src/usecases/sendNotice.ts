import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Services } from "../composition/services.js";
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

/**
 * A notice to the account's primary address when the caller has not read the profile: the read
 * and the send both happen after the change committed, and neither may fail it.
 */
export async function noticeToPrimary(
  services: Pick<Services, "mailer" | "profiles">,
  userId: string,
  build: (primary: string) => OutgoingMail,
): Promise<void> {
  let primary: string | undefined;
  try {
    primary = (await services.profiles.get(userId))?.email;
  } catch (error) {
    logger.warn("Security notice not sent: profile unreadable", { userId, error: error as Error });
    metrics.addMetric("NoticeMailFailed", MetricUnit.Count, 1);
    return;
  }
  if (primary) await sendNotice(services, build(primary), userId);
}
