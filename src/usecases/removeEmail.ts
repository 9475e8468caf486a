import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { userActor } from "../domain/activity.js";
import { CannotDeleteLastEmailError, CannotDeletePrimaryEmailError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import { emailOfActiveAccount } from "./emailOfActiveAccount.js";
import { emailRemovedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface RemoveEmailInput {
  userId: string;
  emailId: string;
  correlationId: string;
}

/**
 * Removes one of the caller's addresses with its claim and code. "Last" is checked before
 * "primary" (the only address is also the primary, and "last" is the better answer); the
 * transaction re-checks both, so a concurrent remove cannot leave the user without an address.
 */
export const removeEmail =
  (services: Pick<Services, "emails" | "mailer" | "config" | "clock" | "ids">) =>
  ({ userId, emailId, correlationId }: RemoveEmailInput): Promise<void> =>
    retryingSequenceConflicts(async () => {
      const { account, record } = emailOfActiveAccount(await services.emails.account(userId), emailId);
      if (account.emails.length <= 1) throw new CannotDeleteLastEmailError();
      if (record.isPrimary) throw new CannotDeletePrimaryEmailError();

      const ctx = eventContext(services, correlationId, userActor(userId));
      const event = createEvent("email.removed", { userId, emailId, email: record.email }, ctx, account.sequence + 1);
      await services.emails.remove({ userId, record, events: [event] });
      await sendNotice(services, emailRemovedNotice(account.profile.email, record.email), userId);
    });
