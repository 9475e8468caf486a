import type { Services } from "../ports/services.js";
import { EmailAlreadyVerifiedError, NotFoundError } from "../domain/errors.js";
import { allowedSend, codeSendWindows, statusAfterSend } from "../domain/codeSendLimits.js";
import { claimBlockAfterSend } from "../domain/email.js";
import type { RateLimitStatus } from "../domain/rateLimit.js";
import { assertActive } from "../domain/user.js";
import { CODE_TTL_SECONDS, issueCode } from "../domain/verificationCode.js";
import { epochSeconds } from "../ports/clock.js";
import { verificationMail } from "./mailMessages.js";

export interface SendVerificationInput {
  userId: string;
  emailId: string;
}

export interface SendVerificationResult {
  message: string;
  expiresIn: number;
  rateLimit: RateLimitStatus;
}

/**
 * Mails a new code for an unverified address; the new code replaces (kills) the previous one.
 * Sends are counted per address (tags folded) and per user each hour, the add's own send
 * included, and refused while the address is locked: a refused send replaces nothing.
 */
export const sendVerification =
  (services: Pick<Services, "emails" | "mailer" | "clock" | "keyedHasher">) =>
  async ({ userId, emailId }: SendVerificationInput): Promise<SendVerificationResult> => {
    const nowEpoch = epochSeconds(services.clock.now());
    const windows = codeSendWindows(nowEpoch);
    const { profile, email: record, limits } = await services.emails.resendTarget(userId, emailId, windows);
    if (!profile) throw new NotFoundError("Email");
    assertActive(profile);
    if (!record) throw new NotFoundError("Email");
    if (record.isVerified) throw new EmailAlreadyVerifiedError();
    const count = allowedSend(windows, limits, nowEpoch, "resend");

    const { code, stored } = await issueCode(services.keyedHasher, emailId, nowEpoch);
    await services.emails.replaceCode({
      userId,
      emailId,
      code: stored,
      send: { userId, address: record.email, windows, count, nowEpoch },
      // The holder's resend keeps others out only within the bound claimBlockAfterSend explains.
      claimBlocksUntil: claimBlockAfterSend(limits.addressSends, stored.expiresAt),
    });
    await services.mailer.send(verificationMail(record.email, code));
    // Counts read before the transaction plus this send; the window items' conditions enforce
    // the limits, and only a send racing this one can leave the headers one off.
    return { message: "Verification code sent", expiresIn: CODE_TTL_SECONDS, rateLimit: statusAfterSend(windows, limits) };
  };
