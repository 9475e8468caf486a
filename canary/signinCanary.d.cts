/** Types of signinCanary.cjs for the TypeScript tests that run it. */
export interface SignInCheckSettings {
  /** Cognito's JSON endpoint (https://cognito-idp.<region>.amazonaws.com/, or the local one). */
  cognitoEndpoint: string;
  clientId: string;
  /** What clients call: https://<domain>/v1, or the stage's execute-api URL. */
  apiBaseUrl: string;
  email: string;
  password: string;
}

export interface SignInCheckResult {
  userId: string;
  status: number;
  userStatus: string;
}

export function checkSignIn(fetchImpl: typeof fetch, settings: SignInCheckSettings): Promise<SignInCheckResult>;

export function handler(): Promise<number>;
