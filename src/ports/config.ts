/** Everything the service reads from its environment, read in one place. */
export interface AppConfig {
  /** Stage name: dev, staging, prod, local. Goes into every event's metadata.environment. */
  environment: string;
  region: string;
  tableName: string;
  /** DynamoDB Local's URL; unset in AWS. */
  dynamoEndpoint?: string;
  eventBusName: string;
  /** A local PutEvents endpoint; unset in AWS. */
  eventBridgeEndpoint?: string;
  userPoolId: string;
  /**
   * The app client whose access tokens may call the API. API Gateway's Cognito authorizer accepts
   * a token of any client of the pool, so the handler wrapper checks `client_id` against this;
   * unset, every authenticated request is refused (fail closed).
   */
  appClientId?: string;
  /** cognito-local's URL; unset in AWS. */
  cognitoEndpoint?: string;
  /** Queue for sign-ups whose profile could not be written; drained by signUpRetryProcessor. */
  signUpRetryQueueUrl?: string;
  /** Where the relay sends events that still fail after retries. */
  eventsDlqUrl?: string;
  /** A local SQS server (local-aws-sqs: the local stack); unset in AWS. */
  sqsEndpoint?: string;
  /** A local SESv2 server (aws-ses-v2-local: the local stack and the tests); unset in AWS. */
  sesEndpoint?: string;
  /** "ses" in AWS, the local stack and the integration tests (a local SES server); "memory" only for unit tests and the benchmark. */
  mailer: "ses" | "memory";
  mailFrom: string;
  allowedOrigins: string[];
  /**
   * The web page's URL (WEB_URL): restore and revert links are `{webUrl}/#restore={token}` and
   * `#revert=`. Defaults to the first allowed origin; the local stack sets its own URL.
   */
  webUrl: string;
  /** SSM SecureString holding the key of the code digests (AWS). */
  codeSecretParameter?: string;
  /** File holding that key on one machine; created on first use (the local stack's .local/). */
  codeSecretFile?: string;
  /** Days between DELETE /users/me and the account's purge (SPEC 12.1; DELETION_GRACE_DAYS, default 30). */
  deletionGraceDays: number;
  /**
   * Cognito calls per second one container makes at most (COGNITO_CALLS_PER_SECOND, set per
   * function in serverless.yml beside its reserved concurrency; docs/capacity.md). Unset: unpaced.
   */
  cognitoCallsPerSecond?: number | undefined;
  /**
   * The outbox relay's first pause between its own PutEvents rounds, in ms (RELAY_RETRY_BASE_MS),
   * doubled each round up to 8 times it. Unset in AWS (250 ms); short for the tests.
   */
  relayRetryBaseMs?: number | undefined;
}
