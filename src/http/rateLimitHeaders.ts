import type { RateLimitStatus } from "../domain/rateLimit.js";

/** X-RateLimit-* for every response of a route that sends a code; Reset is in epoch seconds. */
export function rateLimitHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(status.limit),
    "X-RateLimit-Remaining": String(status.remaining),
    "X-RateLimit-Reset": String(status.resetAt),
  };
}
