import type { Services } from "../composition/services.js";
import { eventContext } from "../composition/eventContext.js";
import { userActor } from "../domain/activity.js";
import { assertRecentSignIn, type Caller } from "../domain/caller.js";
import type { EmailRecord } from "../domain/email.js";
import { EmailNotVerifiedError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { logger } from "../observability.js";
import { emailOfActiveAccount } from "./emailOfActiveAccount.js";
import { primaryChangedNotice } from "./mailMessages.js";

export interface SetPrimaryEmailInput {
  caller: Caller;
  emailId: string;
  correlationId: string;
}

/**
 * Makes a verified address the primary. One transaction demotes the old primary (still primary),
 * promotes the new one (still there, verified, not primary), moves the profile's email on its
 * version and writes the event, so racing switches leave exactly one primary, the profile's.
 * Sensitive: needs a recent sign-in; the old address is told afterwards.
 */
export const setPrimaryEmail =
  (services: Pick<Services, "emails" | "mailer" | "config" | "clock" | "ids">) =>
  async ({ caller, emailId, correlationId }: SetPrimaryEmailInput): Promise<EmailRecord> => {
    assertRecentSignIn(caller, services.clock.now());
    const { userId } = caller;
    const { account, record: target } = emailOfActiveAccount(await services.emails.account(userId), emailId);
    if (!target.isVerified) throw new EmailNotVerifiedError();
    if (target.isPrimary) return target;

    const oldPrimary = account.emails.find((e) => e.isPrimary);
    const ctx = eventContext(services, correlationId, userActor(userId));
    const { profile } = account;
    const next: UserProfile = { ...profile, email: target.email, version: profile.version + 1, updatedAt: ctx.now };
    const oldEmail = oldPrimary?.email ?? profile.email;
    const event = createEvent(
      "email.primary.changed",
      { userId, emailId, oldEmail, newEmail: target.email },
      ctx,
    );
    await services.emails.switchPrimary({
      profile: next,
      expectedVersion: profile.version,
      oldPrimary,
      newPrimary: target,
      events: [event],
    });

    await services.mailer.send(primaryChangedNotice(oldEmail, target.email)).catch((error: unknown) => {
      // The switch is committed; a lost notice must not turn it into an error.
      logger.warn("Primary change notice not sent", { userId, error: error as Error });
    });
    return { ...target, isPrimary: true };
  };
