/* global module, require, process, fetch, console, AbortSignal, Buffer */
// CloudWatch Synthetics canary (terraform/canary.tf): every 5 minutes the standing test user signs
// in through the app client, as a person would (Cognito InitiateAuth, USER_PASSWORD_AUTH, the one
// password flow terraform/cognito.tf allows), and reads its profile, GET /users/me. Anything but
// tokens and a 200 with the user's own profile throws, and a run that throws is a failed run
// (SuccessPercent < 100), which the alarm counts.
//
// CommonJS and no Synthetics library: the runtime loads nodejs/node_modules/signinCanary.js and
// calls `handler`; a throw is all it needs. `checkSignIn` takes fetch and the endpoints, so a test
// runs the same code against the local stack (test/e2e/signinCanary.test.ts).

const TIMEOUT_MS = 10000;

/** Cognito's JSON protocol: InitiateAuth needs no AWS signature (the app client has no secret). */
async function initiateAuth(fetchImpl, { cognitoEndpoint, clientId, email, password }) {
  const response = await fetchImpl(cognitoEndpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
    },
    body: JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status !== 200) {
    // Cognito's error type only: its message may repeat what was sent.
    throw new Error(`sign-in: Cognito answered ${response.status} ${String(body.__type ?? "").split("#").pop()}`);
  }
  // A challenge (new password required, MFA) means the user cannot sign in unattended.
  if (body.ChallengeName) throw new Error(`sign-in: Cognito asks for ${body.ChallengeName}`);
  const token = body.AuthenticationResult?.AccessToken;
  if (!token) throw new Error("sign-in: no access token in Cognito's answer");
  return token;
}

const subjectOf = (token) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")).sub;

/**
 * Signs in and reads the profile. Resolves to what was checked; rejects with the step that failed.
 * @param {typeof fetch} fetchImpl
 * @param {{ cognitoEndpoint: string, clientId: string, apiBaseUrl: string, email: string, password: string }} settings
 */
async function checkSignIn(fetchImpl, settings) {
  for (const name of ["cognitoEndpoint", "clientId", "apiBaseUrl", "email", "password"]) {
    if (!settings[name]) throw new Error(`canary settings: ${name} is empty`);
  }
  const token = await initiateAuth(fetchImpl, settings);
  const url = `${settings.apiBaseUrl.replace(/\/+$/, "")}/users/me`;
  const response = await fetchImpl(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await response.json().catch(() => ({}));
  if (response.status !== 200) throw new Error(`GET /users/me: ${response.status} ${body.error ?? ""} (requestId ${body.requestId ?? "none"})`);
  const userId = subjectOf(token);
  if (body.userId !== userId) throw new Error("GET /users/me: 200 but not the signed-in user's profile");
  return { userId, status: response.status, userStatus: body.status };
}

/** The password lives in an SSM SecureString, never in the repository or the Terraform state. */
async function readPassword(parameterName) {
  // The runtime's own SDK v3 (Node.js Lambda runtimes ship it); loaded here so the tests need no AWS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Synthetics runtime loads CommonJS.
  const { SSMClient, GetParameterCommand } = require("@aws-sdk/client-ssm");
  const client = new SSMClient({});
  try {
    const result = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    return result.Parameter?.Value ?? "";
  } finally {
    client.destroy();
  }
}

async function handler() {
  const env = process.env;
  const result = await checkSignIn(fetch, {
    cognitoEndpoint: `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/`,
    clientId: env.COGNITO_CLIENT_ID,
    apiBaseUrl: env.API_BASE_URL,
    email: env.TEST_USER_EMAIL,
    password: await readPassword(env.TEST_USER_PASSWORD_PARAMETER),
  });
  console.log(JSON.stringify({ message: "sign-in and GET /users/me succeeded", status: result.status }));
  return result.status;
}

module.exports = { checkSignIn, handler };
