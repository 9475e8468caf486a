import { setTimeout as sleepFor } from "node:timers/promises";

/** The error names Cognito (and the SDK's throttling classification) give a call over its rate. */
const THROTTLING = new Set(["TooManyRequestsException", "ThrottlingException", "LimitExceededException"]);

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return THROTTLING.has(error.name) || retryable?.throttling === true;
}

/**
 * A failure of the moment rather than of the request: Cognito's internal error, a gateway status,
 * or no answer at all. Retried a couple of times; anything else (a 4xx) is the request's own.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "InternalErrorException") return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined ? ["TimeoutError", "AbortError"].includes(error.name) || "code" in error : [502, 503, 504].includes(status);
}

/** Tries of a call failing transiently; throttling is bounded by the time budget instead. */
const TRANSIENT_ATTEMPTS = 3;

export interface BackoffOptions {
  /** Time a call may spend waiting out throttling before its error is rethrown (ms). */
  budgetMs: number;
  /** First retry's ceiling; doubles per retry up to capMs (full jitter below it). */
  baseMs?: number;
  capMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** Enough for a burst to drain within the sync consumer's 30 s timeout, with room for the call itself. */
export const DEFAULT_THROTTLE_BUDGET_MS = 20_000;

/**
 * Runs `call`, and while Cognito answers that the category's rate is exceeded, runs it again after
 * a random wait below an exponentially growing ceiling ("full jitter": callers throttled together
 * spread out instead of returning together). A transient failure gets the same waits, three tries
 * in all. Other errors, and throttling past the budget, are rethrown: the consumer's invocation
 * fails and the platform retries it later. This is the Cognito client's only retry policy (the
 * SDK's own is off: its retry quota runs dry in a burst, and two layers would multiply the waits).
 */
export async function retryThrottled<T>(call: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const { budgetMs, baseMs = 100, capMs = 5_000, sleep = (ms) => sleepFor(ms), random = Math.random, now = Date.now } = options;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) && !(isTransient(error) && attempt + 1 < TRANSIENT_ATTEMPTS)) throw error;
      const delay = Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
      if (now() - started + delay > budgetMs) throw error;
      await sleep(delay);
    }
  }
}
