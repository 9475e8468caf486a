import type { Services } from "../ports/services.js";
import { sortEmails, type EmailRecord } from "../domain/email.js";

/** The caller's addresses, primary first, then oldest first; one Query of their partition. */
export const listEmails =
  (services: Pick<Services, "emails">) =>
  async (userId: string): Promise<EmailRecord[]> =>
    sortEmails(await services.emails.list(userId));
