import type { Mailer, OutgoingMail } from "../../ports/mailer.js";

export interface StoredMail extends OutgoingMail {
  sentAt: string;
}

/**
 * The in-process mailer for tests and the local stack: keeps every message in memory.
 * No local SES engine exists, so this is the adapter boundary the README names.
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
