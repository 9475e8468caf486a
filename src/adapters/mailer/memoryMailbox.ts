import type { Mailer, OutgoingMail } from "../../ports/mailer.js";

export interface StoredMail extends OutgoingMail {
  sentAt: string;
}

/**
 * An in-process mailer that keeps every message in memory: only for unit tests and the in-process
 * benchmark (MAILER unset). The local stack and the integration tests send through the SESv2
 * adapter to a local SES server (aws-ses-v2-local) instead.
 */
export class MemoryMailbox implements Mailer {
  private readonly messages: StoredMail[] = [];

  async send(mail: OutgoingMail): Promise<void> {
    this.messages.push({ ...mail, to: mail.to.toLowerCase(), sentAt: new Date().toISOString() });
  }

  /** Messages to one address, oldest first. */
  to(address: string): StoredMail[] {
    const wanted = address.trim().toLowerCase();
    return this.messages.filter((m) => m.to === wanted);
  }

  all(): StoredMail[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }
}

export const memoryMailbox = new MemoryMailbox();
