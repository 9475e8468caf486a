/**
 * Fixed-window counting: a window starts on a multiple of its length, so every caller agrees on
 * which counter item to bump without reading first.
 */
export interface RateWindow {
  /** Epoch seconds the window opened. */
  start: number;
  /** Epoch seconds it closes; the counter resets then. */
  end: number;
  limit: number;
}

/** What the X-RateLimit-* headers report. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  /** Epoch seconds the window resets. */
  resetAt: number;
}

export function windowAt(nowEpoch: number, lengthSeconds: number, limit: number): RateWindow {
  const start = nowEpoch - (nowEpoch % lengthSeconds);
  return { start, end: start + lengthSeconds, limit };
}

export function statusAfter(window: RateWindow, used: number): RateLimitStatus {
  return { limit: window.limit, remaining: Math.max(0, window.limit - used), resetAt: window.end };
}

/**
 * Of several windows one request counts in, the one the client will hit first: fewer uses left,
 * and on a tie the later reset (the longer wait).
 */
export function tighterOf(first: RateLimitStatus, ...others: RateLimitStatus[]): RateLimitStatus {
  return others.reduce(
    (tight, next) =>
      next.remaining < tight.remaining || (next.remaining === tight.remaining && next.resetAt > tight.resetAt) ? next : tight,
    first,
  );
}
