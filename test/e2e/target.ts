/** The stack the e2e suite runs against, decided once by the global setup. */
export type Target =
  | { kind: "local" }
  | {
      kind: "deployed";
      /** Cognito's public endpoint in this region; the stage's own pool and client. */
      region: string;
      clientId: string;
      /** A confirmed, active user created beforehand; the tests leave it as they found it. */
      email: string;
      password: string;
    };

const DEPLOYED_SETTINGS = ["COGNITO_CLIENT_ID", "AWS_REGION", "TEST_USER_EMAIL", "TEST_USER_PASSWORD"] as const;

/**
 * Only the local stack serves `/_local/*`; a deployed stage answers that path with an error. Its
 * settings come from the environment, checked here so a missing one fails the run before any test.
 */
export async function detectTarget(apiUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const health = await fetch(`${apiUrl}/_local/health`, { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    throw new Error(`No API answers at ${apiUrl}`, { cause: error });
  });
  await health.body?.cancel();
  if (health.status === 200) return { kind: "local" };

  const missing = DEPLOYED_SETTINGS.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${apiUrl} is a deployed stage (no /_local/health); set ${missing.join(", ")} to test it`);
  }
  return {
    kind: "deployed",
    region: env.AWS_REGION ?? "",
    clientId: env.COGNITO_CLIENT_ID ?? "",
    email: env.TEST_USER_EMAIL ?? "",
    password: env.TEST_USER_PASSWORD ?? "",
  };
}
