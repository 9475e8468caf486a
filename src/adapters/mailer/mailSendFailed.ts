import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logger, metrics } from "../../observability.js";
import type { OutgoingMail } from "../../ports/mailer.js";

/** The EMF metric a mail SES did not take adds to (namespace UserService); Terraform alarms on it. */
export const MAIL_SEND_FAILED = "MailSendFailed";

/**
 * What the mailer throws when SES refused or could not be reached. Its message names only the
 * SDK error's name: SES's own messages can quote the recipient ("...failed the check...:
 * someone@example.com"), and callers log what they catch.
 */
export class MailSendFailedError extends Error {
  constructor(
    readonly kind: MailKind,
    readonly sesError: string,
  ) {
    super(`Mail not sent (${kind}): ${sesError}`);
    this.name = "MailSendFailedError";
  }
}

export type MailKind = "verification" | "notice";

/** A verification mail carries a code; every other mail the service sends is a notice. */
export const mailKindOf = (mail: OutgoingMail): MailKind => (mail.code === null ? "notice" : "verification");

/**
 * Counts and logs one failed send, never silently: one MailSendFailed datapoint (the function's
 * usual dimension only, so one alarm covers every function) and an error line with the kind, the
 * subject and SES's error name and status, never the address, the text or SES's message. The
 * caller decides what the request answers (src/usecases: an added address is still 201, a resend
 * is 500, a notice is logged and the change stands).
 */
export function mailSendFailed(mail: OutgoingMail, error: unknown): MailSendFailedError {
  const kind = mailKindOf(mail);
  const name = error instanceof Error ? error.name : "UnknownError";
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  metrics.addMetric(MAIL_SEND_FAILED, MetricUnit.Count, 1);
  logger.error("Mail send failed", { kind, subject: mail.subject, sesError: name, ...(status ? { sesStatus: status } : {}) });
  return new MailSendFailedError(kind, name);
}
