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

/*
 * Security notices (SPEC 12.6): each goes to the account's primary address (the primary change's
 * to the old one), with `code: null`. A notice carrying a link has it as the only URL of its text,
 * which is where the local mailbox reads `link` from. Link tokens appear in these texts and
 * nowhere else: never log a notice's text.
 */

const notice = (to: string, subject: string, text: string): OutgoingMail => ({ to, subject, text, code: null });

/** Sent to the address that stops being primary, so a hijack does not go unnoticed; the link undoes it. */
export function primaryChangedNotice(to: string, newAddress: string, revertLink?: string): OutgoingMail {
  const undo = revertLink
    ? ` If you did not make this change, open this link within 7 days to make ${to} primary again, sign out every session and reset your password: ${revertLink}`
    : " If you did not make this change, contact support and secure your account.";
  return notice(to, "Your primary email address was changed", `The primary email address of your account is now ${newAddress}.${undo}`);
}

export function emailAddedNotice(to: string, added: string): OutgoingMail {
  return notice(
    to,
    "An email address was added to your account",
    `The address ${added} was added to your account. If you did not add it, remove it and change your password.`,
  );
}

export function emailRemovedNotice(to: string, removed: string): OutgoingMail {
  return notice(
    to,
    "An email address was removed from your account",
    `The address ${removed} was removed from your account. If you did not remove it, secure your account and contact support.`,
  );
}

/** The deletion notice; its link restores the account until the purge. */
export function accountDeletedNotice(to: string, purgeAt: string, restoreLink?: string): OutgoingMail {
  const restore = restoreLink
    ? ` To undo this, open this link before ${purgeAt}: ${restoreLink}`
    : "";
  return notice(
    to,
    "Your account was deleted",
    `Your account was deleted. Its data will be erased for good on ${purgeAt}.${restore} If you did not delete it, open the link and change your password.`,
  );
}

export function accountRestoredNotice(to: string): OutgoingMail {
  return notice(to, "Your account was restored", "Your account was restored and you can sign in again. If you did not restore it, change your password.");
}

export function primaryRevertedNotice(to: string): OutgoingMail {
  return notice(
    to,
    "Your primary email address was restored",
    `${to} is the primary email address of your account again. Every session was signed out; set a new password with the reset code sent to this address.`,
  );
}

export function accountSuspendedNotice(to: string): OutgoingMail {
  return notice(to, "Your account was suspended", "Your account was suspended by an administrator. Contact support if you think this is a mistake.");
}

export function accountReactivatedNotice(to: string): OutgoingMail {
  return notice(to, "Your account was reactivated", "Your account was reactivated and you can sign in again.");
}
