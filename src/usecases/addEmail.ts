import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { systemActor, userActor } from "../domain/activity.js";
import { claimBlockAfterSend, normalizeEmail, type EmailRecord } from "../domain/email.js";
import { EmailNotAvailableError } from "../domain/errors.js";
import { createEvent, type DomainEvent } from "../domain/events.js";
import { allowedSend, codeSendWindows, statusAfterSend } from "../domain/codeSendLimits.js";
import type { RateLimitStatus } from "../domain/rateLimit.js";
import { MAX_EMAILS_PER_USER } from "../domain/user.js";
import { issueCode } from "../domain/verificationCode.js";
import { epochSeconds } from "../ports/clock.js";
import type { AddressClaim } from "../ports/emailStore.js";
import { logger } from "../observability.js";
import { emailAddedNotice, verificationMail } from "./mailMessages.js";
import { sendNotice } from "./sendNotice.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface AddEmailInput {
  userId: string;
  email: string;
  correlationId: string;
}

export interface AddEmailResult {
  email: EmailRecord;
  rateLimit: RateLimitStatus;
}

/**
 * Adds an unverified address and mails its first code. One read fetches the address's claim and
 * its send limits (the address's window, the user's, the address's lock); then one transaction
 * claims the address, bumps the capped counter, stores the code's digest, counts the send in both
 * windows and writes the event; an expired unverified claim of another user is taken over in that
 * same transaction.
 */
export const addEmail =
  (services: Pick<Services, "emails" | "mailer" | "config" | "clock" | "ids" | "keyedHasher">) =>
  ({ userId, email, correlationId }: AddEmailInput): Promise<AddEmailResult> =>
    retryingSequenceConflicts(async () => {
      const address = normalizeEmail(email);
      const ctx = eventContext(services, correlationId, userActor(userId));
      const nowEpoch = epochSeconds(services.clock.now());
      const windows = codeSendWindows(nowEpoch);
      const { claim, limits, primaryAddress, sequence = 0 } = await services.emails.addressState(address, { userId, windows });
      const takeOver = claim && takeOverOf(claim, userId, nowEpoch);
      // The stale owner's email.removed takes that owner's next number: one more read, only on a takeover.
      const staleSequence = takeOver ? ((await services.emails.sequenceOf(takeOver.userId)) ?? 0) : 0;
      const count = allowedSend(windows, limits, nowEpoch, "add");

      const record: EmailRecord = {
        emailId: services.ids.newId(),
        email: address,
        isPrimary: false,
        isVerified: false,
        createdAt: ctx.now,
      };
      const events: DomainEvent[] = [createEvent("email.added", { userId, emailId: record.emailId, email: address }, ctx, sequence + 1)];
      if (takeOver) {
        events.push(
          // The stale holder's trail shows the service releasing the address, not who took it.
          createEvent("email.removed", { userId: takeOver.userId, emailId: takeOver.emailId, email: address }, {
            ...ctx,
            actor: systemActor,
          }, staleSequence + 1),
        );
      }
      const { code, stored } = await issueCode(services.keyedHasher, record.emailId, nowEpoch);
      await services.emails.add({
        userId,
        record,
        maxEmails: MAX_EMAILS_PER_USER,
        // A takeover starts its holder's block with a full code life: see claimBlockAfterSend.
        claimReleaseAt: takeOver ? stored.expiresAt : (claimBlockAfterSend(limits.addressSends, stored.expiresAt) ?? nowEpoch),
        code: stored,
        send: { userId, address, windows, count, nowEpoch },
        ...(takeOver ? { takeOver: { claim: takeOver, nowEpoch } } : {}),
        events,
      });

      await services.mailer.send(verificationMail(address, code)).catch((error: unknown) => {
        // The address is added either way; the user can ask for another code.
        logger.warn("Verification mail not sent", { emailId: record.emailId, error: error as Error });
      });
      // SPEC 12.6: the primary address hears of every address added to the account.
      if (primaryAddress) await sendNotice(services, emailAddedNotice(primaryAddress, address), userId);
      // The headers come from the counts read before the transaction plus this send. The
      // transaction's conditions on the window items enforce the limits; only a send racing this
      // one can make the reported remainder one too generous.
      return { email: record, rateLimit: statusAfterSend(windows, limits) };
    });

/**
 * Any live claim makes the address unavailable, with the same answer whoever holds it (no
 * enumeration). Only another user's unverified claim whose block has ended (its holder's blocking
 * code expired: claimBlockAfterSend) may be taken over.
 */
function takeOverOf(claim: AddressClaim, userId: string, nowEpoch: number): AddressClaim {
  const expired = !claim.verified && claim.releaseAt !== undefined && claim.releaseAt <= nowEpoch;
  if (!expired || claim.userId === userId) throw new EmailNotAvailableError();
  return claim;
}
