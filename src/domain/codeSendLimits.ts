import { AddressLockedError, RateLimitExceededError, VerificationEmailBudgetError } from "./errors.js";
import { statusAfter, tighterOf, type RateLimitStatus, type RateWindow } from "./rateLimit.js";
import { codeSendWindow, userCodeSendWindow } from "./verificationCode.js";

/** The windows one code send counts in (SPEC 3): the address's (folded) and the user's. */
export interface CodeSendWindows {
  address: RateWindow;
  user: RateWindow;
}

/** What was counted before a send, read in the request's first round trip. */
export interface SendLimitState {
  addressSends: number;
  userSends: number;
  /** Epoch seconds the address's lock ends, if it was ever locked. */
  lockedUntil?: number;
  /** The caller already sent to the address (any tag) in this window. */
  callerSentHere?: boolean;
  /** This window's one send past the address's limit is taken. */
  extraSendUsed?: boolean;
}

/**
 * How a send counts against the address's window: within its limit, or as the window's one extra
 * send. The extra send is for an add by an account that has not sent to the address in this
 * window: the window is shared by every account (so sybils cannot multiply the mail an inbox
 * gets), and without it one account could spend it every hour and keep everyone else from ever
 * adding the address, a block longer than SPEC 11.4's hour. One account can never take the extra
 * send from another (it has sent here), so the address gets at most one mail more an hour.
 */
export type AddressSendCount = "withinLimit" | "extra";

export function codeSendWindows(nowEpoch: number): CodeSendWindows {
  return { address: codeSendWindow(nowEpoch), user: userCodeSendWindow(nowEpoch) };
}

/**
 * Refuses a send that would break a limit, from the counts read before it, so a refused request
 * writes nothing; else says how it counts. The lock goes first (it outlasts both windows), then
 * the address's window, then the user's. The transaction's conditions hold the same limits
 * against concurrent sends.
 */
export function allowedSend(
  windows: CodeSendWindows,
  state: SendLimitState,
  nowEpoch: number,
  kind: "add" | "resend",
): AddressSendCount {
  if (state.lockedUntil !== undefined && state.lockedUntil > nowEpoch) throw addressLocked(windows, state.lockedUntil, nowEpoch);
  const withinLimit = state.addressSends < windows.address.limit;
  const extra = !withinLimit && kind === "add" && !state.callerSentHere && !state.extraSendUsed;
  if (!withinLimit && !extra) throw addressWindowFull(windows.address, nowEpoch);
  if (state.userSends >= windows.user.limit) throw userBudgetSpent(windows.user, nowEpoch);
  return withinLimit ? "withinLimit" : "extra";
}

/** X-RateLimit-* after a send: the tighter of the two windows, this send counted. */
export function statusAfterSend(windows: CodeSendWindows, state: SendLimitState): RateLimitStatus {
  return tighterOf(statusAfter(windows.address, state.addressSends + 1), statusAfter(windows.user, state.userSends + 1));
}

const retryAfter = (until: number, nowEpoch: number) => Math.max(1, until - nowEpoch);

/** The headers of a lock's 429 say no send is left until it ends. */
export const addressLocked = (windows: CodeSendWindows, lockedUntil: number, nowEpoch: number) =>
  new AddressLockedError(retryAfter(lockedUntil, nowEpoch), { limit: windows.address.limit, resetAt: lockedUntil });

export const addressWindowFull = (window: RateWindow, nowEpoch: number) =>
  new RateLimitExceededError(retryAfter(window.end, nowEpoch), undefined, { limit: window.limit, resetAt: window.end });

export const userBudgetSpent = (window: RateWindow, nowEpoch: number) =>
  new VerificationEmailBudgetError(retryAfter(window.end, nowEpoch), { limit: window.limit, resetAt: window.end });
