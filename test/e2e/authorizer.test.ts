import { existsSync, readFileSync } from "node:fs";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { api, cognitoClient, deployed, PASSWORD, registerUser, uniqueEmail, type SignedInUser } from "./stack.js";
import { claimsOf, cognitoLocalPrivateKey, signRs256, strangerPrivateKey, unsignedToken } from "./tokens.js";

/** A user of a second pool on the same cognito-local: same signing key, other issuer and client. */
async function otherPoolAccessToken(): Promise<string> {
  const client = await cognitoClient();
  try {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: `other-${Date.now()}`, UsernameAttributes: ["email"] }));
    const UserPoolId = pool.UserPool?.Id ?? "";
    const app = await client.send(
      new CreateUserPoolClientCommand({ UserPoolId, ClientName: "other", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }),
    );
    const email = uniqueEmail("other-pool");
    await client.send(new AdminCreateUserCommand({ UserPoolId, Username: email, MessageAction: "SUPPRESS" }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: PASSWORD, Permanent: true }));
    const auth = await client.send(
      new InitiateAuthCommand({
        ClientId: app.UserPoolClient?.ClientId ?? "",
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD },
      }),
    );
    return auth.AuthenticationResult?.AccessToken ?? "";
  } finally {
    client.destroy();
  }
}

const inTenMinutes = () => Math.floor(Date.now() / 1000) + 600;

describe.skipIf(deployed)("the gateway's Cognito authorizer (scopes configured)", () => {
  let user: SignedInUser;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    user = await registerUser();
    claims = claimsOf(user.accessToken);
  });

  it("lets an access token through, and the handler sees only its claims", async () => {
    const me = await api("GET", "/users/me", { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(claims.sub);
  });

  it("accepts the token with a Bearer prefix too", async () => {
    expect((await api("GET", "/users/me", { token: `Bearer ${user.accessToken}` })).status).toBe(200);
  });

  const rejected: [string, () => Promise<string | undefined>][] = [
    ["no token", async () => undefined],
    ["an ID token", async () => user.idToken],
    ["an expired access token", async () => signRs256({ ...claims, iat: 1_700_000_000, exp: 1_700_003_600 }, cognitoLocalPrivateKey())],
    ["a forged signature", async () => signRs256({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }, strangerPrivateKey())],
    ["alg none", async () => unsignedToken({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })],
    ["a token without the scope", async () => signRs256({ ...claims, scope: "openid" }, cognitoLocalPrivateKey())],
    ["another client's token", async () => signRs256({ ...claims, client_id: "someoneelse" }, cognitoLocalPrivateKey())],
    ["another pool's token", otherPoolAccessToken],
    [
      "another pool's issuer on an otherwise valid token",
      async () => signRs256({ ...claims, iss: String(claims.iss).replace(/[^/]+$/, "us-east-1_Other"), exp: inTenMinutes() }, cognitoLocalPrivateKey()),
    ],
    ["a refresh token used as bearer", async () => user.refreshToken],
    ["garbage", async () => "not-a-jwt"],
    ["garbage after Bearer", async () => "Bearer %%%.@@@.!!!"],
  ];

  it.each(rejected)("answers %s with 401 in the error body, before any handler runs", async (_label, token) => {
    const response = await api("GET", "/users/me", { token: (await token()) ?? "" });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: "Unauthorized",
      requestId: expect.any(String),
    });
  });
});

describe.skipIf(deployed)("the gateway's own answers", () => {
  it("404 for an unknown route and 405 for an unknown method, in the error body", async () => {
    const unknown = await api("GET", "/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: "Not Found", requestId: expect.any(String) });

    const method = await api("PATCH", "/users/me");
    expect(method.status).toBe(405);
    expect(method.headers.get("allow")).toBe("GET, PUT, DELETE");
    expect(method.body).toMatchObject({ statusCode: 405, error: "Method Not Allowed" });
  });

  it("answers a CORS preflight from an allowed origin, and not for others", async () => {
    const origin = new URL((await api<{ apiUrl: string }>("GET", "/_local/config")).body.apiUrl).origin;
    const preflight = await api("OPTIONS", "/users/me/emails", {
      headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET,POST,OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");

    const stranger = await api("OPTIONS", "/users/me", { headers: { Origin: "https://evil.example" } });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
    const rejected = await api("GET", "/users/me", { headers: { Origin: origin } });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("echoes a well-formed X-Correlation-Id, and uses the request id otherwise", async () => {
    const given = await api("GET", "/nope", { headers: { "X-Correlation-Id": "e2e-corr-123" } });
    expect(given.headers.get("x-correlation-id")).toBe("e2e-corr-123");
    const invalid = await api("GET", "/nope", { headers: { "X-Correlation-Id": "bad id with spaces" } });
    expect(invalid.headers.get("x-correlation-id")).toBe(invalid.body.requestId);
  });

  it("serves the web page at /, the API docs page at /docs and docs/openapi.yaml at /docs/openapi.yaml (404 while the file is missing)", async () => {
    const page = await fetch(new URL("/", (await api<{ apiUrl: string }>("GET", "/_local/config")).body.apiUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const docsPage = await fetch(new URL("/docs", page.url));
    expect(docsPage.status).toBe(200);
    expect(docsPage.headers.get("content-type")).toContain("text/html");
    expect(await docsPage.text()).toContain("/docs/swagger-ui/swagger-ui-bundle.js");
    const bundle = await fetch(new URL("/docs/swagger-ui/swagger-ui-bundle.js", page.url));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("text/javascript");
    // Only the allow-listed files of swagger-ui-dist's folder: nothing else of it, nothing beside it.
    for (const path of ["/docs/swagger-ui/package.json", "/docs/swagger-ui/index.html", "/docs/swagger-ui/..%2Fswagger-ui-dist%2Fpackage.json", "/docs/swagger-ui/..%2F..%2Fpackage.json"]) {
      const refused = await fetch(new URL(path, page.url));
      expect(refused.status, path).toBe(404);
      expect(await refused.json()).toMatchObject({ statusCode: 404, error: "Not Found" });
    }
    const docs = await fetch(new URL("/docs/openapi.yaml", page.url));
    if (existsSync("docs/openapi.yaml")) {
      expect(docs.status).toBe(200);
      expect(await docs.text()).toBe(readFileSync("docs/openapi.yaml", "utf8"));
    } else {
      expect(docs.status).toBe(404);
    }
  });
});
