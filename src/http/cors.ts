/**
 * CORS headers for an allowed origin. Origins come from configuration (ALLOWED_ORIGINS,
 * comma separated); "*" is accepted only when configured, never a default.
 */
export function corsHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  const allowAll = allowedOrigins.includes("*");
  const allowOrigin = allowAll ? "*" : origin && allowedOrigins.includes(origin) ? origin : undefined;
  if (!allowOrigin) return {};
  return {
    "Access-Control-Allow-Origin": allowOrigin,
    "Access-Control-Allow-Credentials": allowAll ? "false" : "true",
    "Access-Control-Expose-Headers":
      "ETag, X-Correlation-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Content-Disposition",
    ...(allowAll ? {} : { Vary: "Origin" }),
  };
}
