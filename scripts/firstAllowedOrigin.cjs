/* global module */
// serverless.yml's `${file(./scripts/firstAllowedOrigin.cjs)}`: the first of custom.allowedOrigins.
// A gateway response (401, 403, 429, 5xx answered by API Gateway itself) carries a static
// Access-Control-Allow-Origin, and that header holds exactly one origin: a comma-separated list
// is no origin at all to a browser, which then hides the error from every page.
module.exports = async ({ resolveVariable }) => {
  const origins = String(await resolveVariable("self:custom.allowedOrigins"));
  const first = origins.split(",")[0]?.trim();
  if (!first) throw new Error("custom.allowedOrigins is empty");
  return first;
};
