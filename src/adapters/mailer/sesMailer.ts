// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as ses from "@aws-sdk/client-sesv2";
import { traced } from "../../observability.js";
import type { Mailer } from "../../ports/mailer.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";
import { mailSendFailed } from "./mailSendFailed.js";

/**
 * Sends through SES v2. The code appears only in the message body, never in a log line. A send SES
 * refuses or never answers is counted as MailSendFailed (mailSendFailed.ts) and thrown.
 * `sesEndpoint` points it at a local SESv2 server (aws-ses-v2-local: the local stack and the tests).
 */
export function createSesMailer(config: { region: string; mailFrom: string; sesEndpoint?: string | undefined }): Mailer {
  // Created on the first email: most functions never send one.
  const sdk = lazy(async () => {
    return { client: traced(new ses.SESv2Client({ region: config.region, ...localEndpoint(config.sesEndpoint) })) };
  });
  return {
    async send(mail) {
      const { client } = await sdk();
      const sent = client.send(
        new ses.SendEmailCommand({
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
      // Counted and logged here, once for every caller; rethrown so each decides the answer.
      await sent.catch((error: unknown) => {
        throw mailSendFailed(mail, error);
      });
    },
  };
}
