/** The variables a running stack sets in its process for the handlers it runs. */
export const STACK_ENVIRONMENT = [
  "DYNAMODB_ENDPOINT", "TABLE_NAME", "COGNITO_ENDPOINT", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID",
  "EVENTBRIDGE_ENDPOINT", "EVENT_BUS_NAME", "ALLOWED_ORIGINS", "WEB_URL", "CODE_SECRET_PARAMETER",
  "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "AWS_SESSION_TOKEN", "MAILER",
  "SES_ENDPOINT", "SQS_ENDPOINT", "SIGNUP_RETRY_QUEUE_URL", "EVENTS_DLQ_URL",
] as const;

/**
 * Drops another stack's variables from `env` (in place) and returns it. Processes forked while a
 * stack runs in their parent inherit them (vitest's workers, forked after the e2e stack started in
 * the main process; a spawned `npm start`): they name that stack's servers and page, not their own.
 */
export function dropStackEnvironment(env: NodeJS.ProcessEnv, keep: readonly string[] = []): NodeJS.ProcessEnv {
  for (const name of STACK_ENVIRONMENT) if (!keep.includes(name)) delete env[name];
  return env;
}
