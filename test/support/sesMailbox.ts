import { randomUUID } from "node:crypto";
import { createSesMailer } from "../../src/adapters/mailer/sesMailer.js";
import type { Mailer, OutgoingMail } from "../../src/ports/mailer.js";
import { mailboxMessagesOf, startSesServer, storedEmails, type LocalSes, type MailboxMessage } from "../../local/ses/sesServer.js";

/** A mail as the tests read it: the mailbox's fields plus the text that was sent. */
export interface ReceivedMail extends MailboxMessage {
  text: string;
}

let server: Promise<LocalSes> | undefined;

/**
 * This test file's local SES server (aws-ses-v2-local on a free 127.0.0.1 port), started on first
 * use and stopped after the file's tests (intSetup.ts). Mail reaches it only over SESv2's protocol.
 */
export function localSes(): Promise<LocalSes> {
  server ??= startSesServer();
  return server;
}

export async function stopLocalSes(): Promise<void> {
  const running = server;
  server = undefined;
  await (await running)?.stop();
}

/**
 * The mailbox of one test graph: the real SESv2 adapter sending to the file's local SES server,
 * with its own From address, and reads of what that server stored for this From (the package keeps
 * its store in this process, so reading it needs no await). Test graphs never see each other's mail.
 */
export class SesTestMailbox implements Mailer {
  private readonly from = `no-reply+${randomUUID()}@example.com`;
  private mailer: Mailer | undefined;
  private cleared = 0;

  private constructor() {}

  static async create(): Promise<SesTestMailbox> {
    const mailbox = new SesTestMailbox();
    mailbox.mailer = createSesMailer({ region: "us-east-1", mailFrom: mailbox.from, sesEndpoint: (await localSes()).endpoint });
    return mailbox;
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.mailer?.send(mail);
  }

  /** Mails to one address, oldest first. */
  to(address: string): ReceivedMail[] {
    const wanted = address.trim().toLowerCase();
    return this.all().filter((m) => m.to === wanted);
  }

  all(): ReceivedMail[] {
    const mine = storedEmails().filter((mail) => mail.from === this.from).slice(this.cleared);
    return mine.flatMap((mail) => mailboxMessagesOf([mail]).map((message) => ({ ...message, text: mail.body.text ?? "" })));
  }

  clear(): void {
    this.cleared = storedEmails().filter((mail) => mail.from === this.from).length;
  }
}
