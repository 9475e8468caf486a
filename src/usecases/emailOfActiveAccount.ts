import type { EmailRecord } from "../domain/email.js";
import { NotFoundError } from "../domain/errors.js";
import { assertActive } from "../domain/user.js";
import type { EmailAccount } from "../ports/emailStore.js";

/**
 * The caller's address `emailId`, for a change to it. Checked in this order for every such route:
 * no account is 404, a suspended or deleted one 403, an address that is not theirs 404 (the same
 * answer as a missing one, so ids of others' addresses reveal nothing).
 */
export function emailOfActiveAccount(
  account: EmailAccount | undefined,
  emailId: string,
): { account: EmailAccount; record: EmailRecord } {
  if (!account) throw new NotFoundError("Email");
  assertActive(account.profile);
  const record = account.emails.find((e) => e.emailId === emailId);
  if (!record) throw new NotFoundError("Email");
  return { account, record };
}
