import type { Services } from "../composition/services.js";
import { EmailAlreadyVerifiedError, NotFoundError } from "../domain/errors.js";
import { statusAfter, type RateLimitStatus } from "../domain/rateLimit.js";
import { assertActive } from "../domain/user.js";
import { CODE_TTL_SECONDS, codeSendWindow, issueCode } from "../domain/verificationCode.js";
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
 * Sends are counted per address and hour, the add's own send included: the fourth is refused
 * with the time left in the window, and nothing is replaced.
 */
export const sendVerification =
  (services: Pick<Services, "emails" | "mailer" | "clock" | "keyedHasher">) =>
  async ({ userId, emailId }: SendVerificationInput): Promise<SendVerificationResult> => {
    const nowEpoch = epochSeconds(services.clock.now());
    const window = codeSendWindow(nowEpoch);
    const { profile, email: record, sends } = await services.emails.resendTarget(userId, emailId, window);
    if (!profile) throw new NotFoundError("Email");
    assertActive(profile);
    if (!record) throw new NotFoundError("Email");
    if (record.isVerified) throw new EmailAlreadyVerifiedError();

    const { code, stored } = await issueCode(services.keyedHasher, emailId, nowEpoch);
    await services.emails.replaceCode({
      userId,
      emailId,
      code: stored,
      send: { address: record.email, window, nowEpoch, sendsBefore: sends },
    });
    await services.mailer.send(verificationMail(record.email, code));
    // Count read before the transaction plus this send; the window item's condition enforces
    // the limit, and only a resend racing this one can leave the header one off.
    return { message: "Verification code sent", expiresIn: CODE_TTL_SECONDS, rateLimit: statusAfter(window, sends + 1) };
  };
