import { CODE_TTL_SECONDS } from "../domain/verificationCode.js";
import type { OutgoingMail } from "../ports/mailer.js";

/** The message carrying a code. The code goes in the body and the `code` field only, never a log. */
export function verificationMail(to: string, code: string): OutgoingMail {
  return {
    to,
    subject: "Verify your email address",
    text: `Your verification code is ${code}. It expires in ${CODE_TTL_SECONDS / 60} minutes. If you did not ask for it, ignore this message.`,
    code,
  };
}

/** Sent to the address that stops being primary, so a hijack does not go unnoticed. */
export function primaryChangedNotice(to: string, newAddress: string): OutgoingMail {
  return {
    to,
    subject: "Your primary email address was changed",
    text: `The primary email address of your account is now ${newAddress}. If you did not make this change, contact support and secure your account.`,
    code: null,
  };
}
