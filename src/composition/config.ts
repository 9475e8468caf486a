import type { AppConfig } from "../ports/config.js";

/** The type lives beside the ports (use cases read it); adapters may import it from either place. */
export type { AppConfig };

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const stage = env.STAGE ?? "local";
  return {
    environment: stage,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    tableName: env.TABLE_NAME ?? `${stage}-user-service`,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    eventBusName: env.EVENT_BUS_NAME ?? `${stage}-user-service`,
    eventBridgeEndpoint: env.EVENTBRIDGE_ENDPOINT || undefined,
    userPoolId: env.COGNITO_USER_POOL_ID ?? "",
    appClientId: env.COGNITO_CLIENT_ID || undefined,
    cognitoEndpoint: env.COGNITO_ENDPOINT || undefined,
    signUpRetryQueueUrl: env.SIGNUP_RETRY_QUEUE_URL || undefined,
    eventsDlqUrl: env.EVENTS_DLQ_URL || undefined,
    sqsEndpoint: env.SQS_ENDPOINT || undefined,
    sesEndpoint: env.SES_ENDPOINT || undefined,
    mailer: env.MAILER === "ses" ? "ses" : "memory",
    mailFrom: env.MAIL_FROM ?? "no-reply@example.com",
    allowedOrigins: (env.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
    webUrl: env.WEB_URL || (env.ALLOWED_ORIGINS ?? "").split(",")[0]?.trim() || "http://localhost:3000",
    cognitoCallsPerSecond: Number(env.COGNITO_CALLS_PER_SECOND) || undefined,
    relayRetryBaseMs: env.RELAY_RETRY_BASE_MS && Number(env.RELAY_RETRY_BASE_MS) >= 0 ? Number(env.RELAY_RETRY_BASE_MS) : undefined,
    deletionGraceDays: graceDays(env.DELETION_GRACE_DAYS),
    codeSecretParameter: env.CODE_SECRET_PARAMETER || undefined,
    codeSecretFile: env.CODE_SECRET_FILE || undefined,
  };
}

/** A non-negative number of days (0: purge at the next run); anything else is the default, 30. */
function graceDays(value: string | undefined): number {
  const days = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(days) && days >= 0 ? days : 30;
}
