import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { userActor } from "../domain/activity.js";
import { assertRecentSignIn, type Caller } from "../domain/caller.js";
import type { EmailRecord } from "../domain/email.js";
import { EmailNotVerifiedError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { generateLinkToken, linkTokenDigest, linkUrl, REVERT_LINK_TTL_SECONDS, type LinkTokenRecord } from "../domain/linkToken.js";
import { epochSeconds } from "../ports/clock.js";
import { emailOfActiveAccount } from "./emailOfActiveAccount.js";
import { primaryChangedNotice } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface SetPrimaryEmailInput {
  caller: Caller;
  emailId: string;
  correlationId: string;
}

/**
 * Makes a verified address the primary. One transaction demotes the old primary (still primary),
 * promotes the new one (still there, verified, not primary), moves the profile's email on its
 * version and writes the event, so racing switches leave exactly one primary, the profile's.
 * Sensitive: needs a recent sign-in; the old address is told afterwards, with a revert link
 * (SPEC 12.3: 7 days, single use) issued in the same transaction, replacing an older one.
 */
export const setPrimaryEmail =
  (services: Pick<Services, "emails" | "mailer" | "keyedHasher" | "config" | "clock" | "ids">) =>
  async ({ caller, emailId, correlationId }: SetPrimaryEmailInput): Promise<EmailRecord> => {
    assertRecentSignIn(caller, services.clock.now());
    const { userId } = caller;
    return retryingSequenceConflicts(async () => {
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
        { userId, emailId, oldEmail, newEmail: target.email, reason: "change" },
        ctx,
        account.sequence + 1,
      );
      const token = generateLinkToken();
      const revertLink: LinkTokenRecord = {
        digest: await linkTokenDigest(services.keyedHasher, token),
        userId,
        purpose: "revert",
        expiresAt: epochSeconds(services.clock.now()) + REVERT_LINK_TTL_SECONDS,
        createdAt: ctx.now,
        ...(oldPrimary ? { emailId: oldPrimary.emailId } : {}),
        email: oldEmail,
      };
      await services.emails.switchPrimary({
        profile: next,
        expectedVersion: profile.version,
        oldPrimary,
        newPrimary: target,
        events: [event],
        revertLink: { token: revertLink, ...(account.revertLinkDigest ? { replaces: account.revertLinkDigest } : {}) },
      });

      // The switch is committed; a lost notice must not turn it into an error.
      await sendNotice(services, primaryChangedNotice(oldEmail, target.email, linkUrl(services.config.webUrl, "revert", token)), userId);
      return { ...target, isPrimary: true };
    });
  };
