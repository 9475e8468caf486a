/** A message the service sends. `code` is set for verification messages, null for notices. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  code: string | null;
}

/** Sends mail: SES in AWS, an in-process mailbox on one machine and in tests. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
