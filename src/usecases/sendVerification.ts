import type { Services } from "../composition/services.js";
import { EmailAlreadyVerifiedError, NotFoundError } from "../domain/errors.js";
import { statusAfter, windowAt, type RateLimitStatus } from "../domain/rateLimit.js";
import { assertActive } from "../domain/user.js";
import {
  CODE_SEND_WINDOW_SECONDS,
  CODE_SENDS_PER_WINDOW,
  CODE_TTL_SECONDS,
  generateCode,
  hashCode,
} from "../domain/verificationCode.js";
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
  (services: Pick<Services, "emails" | "mailer" | "clock">) =>
  async ({ userId, emailId }: SendVerificationInput): Promise<SendVerificationResult> => {
    const account = await services.emails.account(userId);
    if (!account) throw new NotFoundError("Email");
    assertActive(account.profile);
    const record = account.emails.find((e) => e.emailId === emailId);
    if (!record) throw new NotFoundError("Email");
    if (record.isVerified) throw new EmailAlreadyVerifiedError();

    const nowEpoch = epochSeconds(services.clock.now());
    const window = windowAt(nowEpoch, CODE_SEND_WINDOW_SECONDS, CODE_SENDS_PER_WINDOW);
    const code = generateCode();
    await services.emails.replaceCode({
      userId,
      emailId,
      code: { codeHash: hashCode(emailId, code), expiresAt: nowEpoch + CODE_TTL_SECONDS },
      send: { address: record.email, window, nowEpoch },
    });
    const [sends] = await Promise.all([
      services.emails.sendsIn(record.email, window),
      services.mailer.send(verificationMail(record.email, code)),
    ]);
    return { message: "Verification code sent", expiresIn: CODE_TTL_SECONDS, rateLimit: statusAfter(window, sends) };
  };
