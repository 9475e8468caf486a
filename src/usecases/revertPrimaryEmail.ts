import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { userActor } from "../domain/activity.js";
import type { EmailRecord } from "../domain/email.js";
import { AccountNotActiveError, EmailNotAvailableError, InvalidLinkError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import type { RevertTarget } from "../ports/linkTokenStore.js";
import { primaryRevertedNotice } from "./mailMessages.js";
import { findLink } from "./redeemLink.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface RevertPrimaryEmailInput {
  /** The request body: `{token}` from the revert link. */
  body: unknown;
  correlationId: string;
}

/**
 * POST /account/revert (SPEC 12.3): the link mailed to the old address after a primary change makes
 * that address primary again. The address is promoted if the account still holds it (confirmed by
 * the link if it was re-added unverified), or re-added, verified, if it was removed and nobody
 * holds it now; if another account holds it, 409 "Email address is not available" and the link
 * stays usable until it expires (the holder's claim may lapse). One transaction spends the link,
 * switches the primary on the profile's version and writes email.primary.changed with reason
 * "revert" (also when the address is primary again already: the sign-out is still wanted). The
 * Cognito-sync consumer, on that event, makes the address the sign-in name, signs the user out
 * everywhere and requires a password reset (at least once, each step idempotent). The address
 * that was primary stays on the account, not primary; the owner removes it after signing in.
 * A suspended or deleted account: 403 "Account is not active" (restore comes first).
 */
export const revertPrimaryEmail =
  (services: Pick<Services, "links" | "emails" | "profiles" | "keyedHasher" | "mailer" | "config" | "clock" | "ids">) =>
  async ({ body, correlationId }: RevertPrimaryEmailInput): Promise<{ userId: string }> => {
    const token = await findLink(services, body, "revert");
    const { userId, email: address } = token;
    if (!address) throw new InvalidLinkError();
    return retryingSequenceConflicts(async () => {
      const account = await services.emails.account(userId);
      if (!account) throw new InvalidLinkError();
      const { profile } = account;
      if (profile.status !== "active") throw new AccountNotActiveError();

      const ctx = eventContext(services, correlationId, userActor(userId));
      const currentPrimary = account.emails.find((e) => e.isPrimary);
      const held = account.emails.find((e) => e.email === address);
      let target: RevertTarget;
      if (held?.isPrimary) target = { kind: "already", record: held };
      else if (held) target = { kind: "promote", record: held, verifiedAt: ctx.now };
      else {
        // Checked here for the answer; the claim's own condition decides under concurrency.
        if (await services.profiles.claimOf(address)) throw new EmailNotAvailableError();
        const record: EmailRecord = { emailId: ctx.newId(), email: address, isPrimary: true, isVerified: true, verifiedAt: ctx.now, createdAt: ctx.now };
        target = { kind: "readd", record };
      }

      const next: UserProfile = { ...profile, email: address, version: profile.version + 1, updatedAt: ctx.now };
      const event = createEvent(
        "email.primary.changed",
        { userId, emailId: target.record.emailId, oldEmail: currentPrimary?.email ?? profile.email, newEmail: address, reason: "revert" },
        ctx,
        account.sequence + 1,
      );
      await services.links.revert({
        profile: next,
        expectedVersion: profile.version,
        currentPrimary: target.kind === "already" ? undefined : currentPrimary,
        target,
        token,
        event,
      });

      await sendNotice(services, primaryRevertedNotice(address), userId);
      return { userId };
    });
  };
