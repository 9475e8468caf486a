/**
 * Process settings for the local stack, applied before any handler module loads: Powertools reads
 * them when its singletons are created. Values already set (by tests, by the developer) win.
 */
const defaults: Record<string, string> = {
  STAGE: "local",
  AWS_REGION: "us-east-1",
  // The SDK clients of the handlers need some credentials; the local engines ignore them.
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  MAILER: "ses",
  POWERTOOLS_SERVICE_NAME: "user-service",
  POWERTOOLS_METRICS_DISABLED: "true",
  POWERTOOLS_TRACE_ENABLED: "false",
  POWERTOOLS_LOG_LEVEL: "WARN",
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  // The local stack supports Node 20 on purpose (Lambda runs nodejs22.x); the SDK's nag adds nothing.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
