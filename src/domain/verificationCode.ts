import { randomInt, timingSafeEqual } from "node:crypto";
import type { KeyedHasher } from "../ports/keyedHasher.js";
import { windowAt, type RateWindow } from "./rateLimit.js";

/** Codes live this long (seconds). */
export const CODE_TTL_SECONDS = 15 * 60;
/** Wrong confirmations a code gets; the fifth wrong one kills it. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes sent per address per window, whoever holds it; counted under the address's sendLimitKey. */
export const CODE_SENDS_PER_WINDOW = 3;
/** Code mails per user per window across all addresses: adding and removing tagged variants cannot beat the address window. */
export const CODE_SENDS_PER_USER_PER_WINDOW = 10;
export const CODE_SEND_WINDOW_SECONDS = 60 * 60;
/** Codes of one address (sendLimitKey) killed this often within KILL_SPAN_SECONDS lock it... */
export const KILLS_BEFORE_LOCK = 3;
export const KILL_SPAN_SECONDS = 24 * 60 * 60;
/** ...for this long after the kill that reached the count: no new code, for anyone. */
export const ADDRESS_LOCK_SECONDS = 24 * 60 * 60;

/** Six digits from a CSPRNG, zero-padded. */
export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/**
 * Only this digest is stored: HMAC-SHA256 under a key that is not in the table, so an export of
 * the table cannot test the million possible codes against it. The emailId binds a digest to one
 * address; the label keeps it apart from other digests under the same key.
 */
function hashCode(hasher: KeyedHasher, emailId: string, code: string): Promise<string> {
  return hasher.digest(`verification-code:${emailId}:${code}`);
}

/** The counting window a send at `nowEpoch` falls in: CODE_SENDS_PER_WINDOW per hour and address. */
export function codeSendWindow(nowEpoch: number): RateWindow {
  return windowAt(nowEpoch, CODE_SEND_WINDOW_SECONDS, CODE_SENDS_PER_WINDOW);
}

/** The user's window for the same send: CODE_SENDS_PER_USER_PER_WINDOW per hour. */
export function userCodeSendWindow(nowEpoch: number): RateWindow {
  return windowAt(nowEpoch, CODE_SEND_WINDOW_SECONDS, CODE_SENDS_PER_USER_PER_WINDOW);
}

/**
 * The lock a kill at `nowEpoch` sets, given every kill recorded for the address (this one
 * included): its end when KILLS_BEFORE_LOCK of them fall within the last KILL_SPAN_SECONDS.
 * A sliding span, not a fixed window: kills straddling midnight count together.
 */
export function lockAfterKills(kills: readonly number[], nowEpoch: number): number | undefined {
  const recent = kills.filter((at) => at > nowEpoch - KILL_SPAN_SECONDS);
  return recent.length >= KILLS_BEFORE_LOCK ? nowEpoch + ADDRESS_LOCK_SECONDS : undefined;
}

/** A new code for an address: the digits to mail, and what is stored (never the digits). */
export async function issueCode(
  hasher: KeyedHasher,
  emailId: string,
  nowEpoch: number,
): Promise<{ code: string; stored: { codeHash: string; expiresAt: number } }> {
  const code = generateCode();
  return { code, stored: { codeHash: await hashCode(hasher, emailId, code), expiresAt: nowEpoch + CODE_TTL_SECONDS } };
}

/** Constant-time comparison of a submitted code against the stored hash. */
export async function codeMatches(hasher: KeyedHasher, emailId: string, code: string, storedHash: string): Promise<boolean> {
  const a = Buffer.from(await hashCode(hasher, emailId, code), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
