import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { userActor } from "../domain/activity.js";
import type { EmailRecord } from "../domain/email.js";
import {
  EmailAlreadyVerifiedError,
  InvalidVerificationCodeError,
  VerificationAttemptsExhaustedError,
} from "../domain/errors.js";
import { createEvent, SequenceConflictError } from "../domain/events.js";
import { codeMatches, lockAfterKills, MAX_CODE_ATTEMPTS } from "../domain/verificationCode.js";
import { epochSeconds } from "../ports/clock.js";
import { emailOfActiveAccount } from "./emailOfActiveAccount.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface ConfirmVerificationInput {
  userId: string;
  emailId: string;
  code: string;
  correlationId: string;
}

/**
 * Checks a code and verifies the address. A try is spent atomically *before* the comparison, so
 * parallel guesses cannot get more than MAX_CODE_ATTEMPTS tries at one code. On success one
 * transaction consumes the code (only if it is still that code), marks the address and its claim
 * verified (the claim is then never released) and writes email.verified.
 * The read stays apart from the try: folding it into the attempt's update would spend tries on
 * requests the spec answers 404/403/400 first, and would need the address copied onto the code.
 */
export const confirmVerification =
  (services: Pick<Services, "emails" | "config" | "clock" | "ids" | "keyedHasher">) =>
  async ({ userId, emailId, code, correlationId }: ConfirmVerificationInput): Promise<EmailRecord> => {
    const { account, record } = emailOfActiveAccount(await services.emails.account(userId), emailId);
    if (record.isVerified) throw new EmailAlreadyVerifiedError();

    const stored = account.codes.get(emailId);
    if (!stored) throw new InvalidVerificationCodeError();
    if (!stored.codeHash || stored.attempts >= MAX_CODE_ATTEMPTS) throw new VerificationAttemptsExhaustedError();
    // TTL deletion lags by hours: the expiry is enforced here.
    if (stored.expiresAt <= epochSeconds(services.clock.now())) throw new InvalidVerificationCodeError();

    const spent = await services.emails.spendAttempt(userId, emailId, stored.codeHash, MAX_CODE_ATTEMPTS);
    if (spent.kind === "exhausted") throw new VerificationAttemptsExhaustedError();
    if (spent.kind === "replaced") throw new InvalidVerificationCodeError();
    if (!(await codeMatches(services.keyedHasher, emailId, code, stored.codeHash))) {
      if (spent.attempts >= MAX_CODE_ATTEMPTS) await killCode(services, userId, record, stored.codeHash);
      throw new InvalidVerificationCodeError();
    }

    const ctx = eventContext(services, correlationId, userActor(userId));
    const verified: EmailRecord = { ...record, isVerified: true, verifiedAt: ctx.now };
    const { codeHash } = stored;
    // The code is spent and matched: a lost sequence race retries only the write, from a new read
    // of the counter (re-running the whole check would spend another try of the user's code).
    let sequence = account.sequence;
    await retryingSequenceConflicts(async () => {
      const event = createEvent("email.verified", { userId, emailId, email: record.email }, ctx, sequence + 1);
      try {
        await services.emails.confirm({ userId, record, codeHash, verifiedAt: ctx.now, events: [event] });
      } catch (error) {
        if (error instanceof SequenceConflictError) sequence = (await services.emails.account(userId))?.sequence ?? sequence;
        throw error;
      }
    });
    return verified;
  };

/**
 * The last wrong try kills the code (exactly one request spends it), and the kill counts against
 * the address: enough kills in a day lock it, so guessing cannot go on with fresh codes.
 */
async function killCode(services: Pick<Services, "emails" | "clock">, userId: string, record: EmailRecord, codeHash: string) {
  const nowEpoch = epochSeconds(services.clock.now());
  await services.emails.killCode(userId, record.emailId, codeHash);
  const lockedUntil = lockAfterKills(await services.emails.recordCodeKill(record.email, nowEpoch), nowEpoch);
  if (lockedUntil !== undefined) await services.emails.lockAddress(record.email, lockedUntil);
}
