import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { Mailer } from "../../ports/mailer.js";

/** Sends through SES v2. The code appears only in the message body, never in a log line. */
export function createSesMailer(config: { region: string; mailFrom: string }): Mailer {
  const ses = new SESv2Client({ region: config.region });
  return {
    async send(mail) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: config.mailFrom,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject },
              Body: { Text: { Data: mail.text } },
            },
          },
        }),
      );
    },
  };
}
