import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { windowAt, type RateWindow } from "./rateLimit.js";

/** Codes live this long (seconds). */
export const CODE_TTL_SECONDS = 15 * 60;
/** Wrong confirmations a code survives; the next wrong one kills it. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes sent per address per window. */
export const CODE_SENDS_PER_WINDOW = 3;
export const CODE_SEND_WINDOW_SECONDS = 60 * 60;

/** Six digits from a CSPRNG, zero-padded. */
export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/**
 * Only this hash is stored. The emailId is mixed in so one hash cannot be replayed for
 * another address; six digits are brute-forceable offline, which is why attempts are capped.
 */
export function hashCode(emailId: string, code: string): string {
  return createHash("sha256").update(`${emailId}:${code}`).digest("hex");
}

/** The counting window a send at `nowEpoch` falls in: CODE_SENDS_PER_WINDOW per hour and address. */
export function codeSendWindow(nowEpoch: number): RateWindow {
  return windowAt(nowEpoch, CODE_SEND_WINDOW_SECONDS, CODE_SENDS_PER_WINDOW);
}

/** A new code for an address: the digits to mail, and what is stored (never the digits). */
export function issueCode(emailId: string, nowEpoch: number): { code: string; stored: { codeHash: string; expiresAt: number } } {
  const code = generateCode();
  return { code, stored: { codeHash: hashCode(emailId, code), expiresAt: nowEpoch + CODE_TTL_SECONDS } };
}

/** Constant-time comparison of a submitted code against the stored hash. */
export function codeMatches(emailId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(emailId, code), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
