import { JwtVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

export interface AuthorizerConfig {
  /** `${cognitoEndpoint}/${userPoolId}`: what cognito-local writes into `iss`. */
  issuer: string;
  jwksUri: string;
  clientId: string;
}

/** Claims as API Gateway REST hands them to the function: every value a string. */
export type AuthorizerClaims = Record<string, string>;

/** aws-jwt-verify's default fetcher speaks HTTPS only; cognito-local serves its JWKS over HTTP. */
const httpFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri);
    if (!response.ok) throw new Error(`JWKS fetch failed: ${response.status}`);
    return response.arrayBuffer();
  },
};

function asClaimString(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * The API Gateway Cognito authorizer with OAuth scopes configured: RS256 signature against the
 * pool's JWKS, issuer, expiry, `token_use` = access, `client_id` and scope. Anything else is a
 * rejection (null), which the gateway answers with 401 before any function runs.
 */
export function cognitoAuthorizer(config: AuthorizerConfig) {
  const verifier = JwtVerifier.create(
    { issuer: config.issuer, audience: null, jwksUri: config.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
  );

  return async (authorization: string | undefined, scopes: readonly string[]): Promise<AuthorizerClaims | null> => {
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) return null;
    // Without scopes API Gateway also accepts ID tokens; every route here declares a scope.
    const tokenUse = scopes.length > 0 ? ("access" as const) : null;
    try {
      const payload = await verifier.verify(token, {
        audience: null,
        ...(scopes.length > 0 ? { scope: [...scopes] } : {}),
        customJwtCheck: ({ payload: claims }) =>
          validateCognitoJwtFields(claims, { tokenUse, clientId: config.clientId }),
      });
      return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, asClaimString(value)]));
    } catch {
      return null;
    }
  };
}
