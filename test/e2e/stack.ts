import { randomUUID } from "node:crypto";
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { inject } from "vitest";
import type { LocalConfig } from "../../local/gateway/localEndpoints.js";
import type { MailboxMessage } from "../../local/ses/sesServer.js";

export type { MailboxMessage };
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { ADMIN_GROUP } from "../../src/domain/caller.js";
import type { Target } from "./target.js";

export interface SignedInUser {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export const PASSWORD = "Correct-Horse-9";

export const apiUrl = (): string => inject("apiUrl");

export const target = (): Target => inject("target");

/** A deployed stage: no `/_local/*`, no mailbox, no admin access to its Cognito. */
export const deployed = target().kind === "deployed";

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${apiUrl()}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

let configPromise: Promise<LocalConfig> | undefined;
export const localConfig = (): Promise<LocalConfig> => (configPromise ??= getJson<LocalConfig>("/_local/config"));

export async function cognitoClient(): Promise<CognitoIdentityProviderClient> {
  const config = await localConfig();
  return new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint) });
}

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@example.com`;

export async function mailbox(to: string): Promise<MailboxMessage[]> {
  return (await getJson<{ messages: MailboxMessage[] }>(`/_local/mailbox?to=${encodeURIComponent(to)}`)).messages;
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The app client users sign in with: cognito-local's, or the deployed stage's on Cognito itself. */
async function appClient(): Promise<{ client: CognitoIdentityProviderClient; clientId: string }> {
  const stage = target();
  if (stage.kind === "deployed") return { client: new CognitoIdentityProviderClient({ region: stage.region }), clientId: stage.clientId };
  return { client: await cognitoClient(), clientId: (await localConfig()).clientId };
}

async function initiateAuth(flow: "USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH", parameters: Record<string, string>) {
  const { client, clientId } = await appClient();
  try {
    const result = await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters: parameters }));
    return result.AuthenticationResult ?? {};
  } finally {
    client.destroy();
  }
}

export const signIn = (email: string, password = PASSWORD) => initiateAuth("USER_PASSWORD_AUTH", { USERNAME: email, PASSWORD: password });

export const refresh = (refreshToken: string) => initiateAuth("REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refreshToken });

/** Sign-up, code from the mailbox, confirmation, sign-in: what a new user does. */
export async function registerUser(email = uniqueEmail()): Promise<SignedInUser> {
  const config = await localConfig();
  const client = await cognitoClient();
  try {
    await client.send(new SignUpCommand({ ClientId: config.clientId, Username: email, Password: PASSWORD }));
    const code = (await mailbox(email)).at(-1)?.code;
    if (!code) throw new Error(`no code mailed to ${email}`);
    await client.send(new ConfirmSignUpCommand({ ClientId: config.clientId, Username: email, ConfirmationCode: code }));
  } finally {
    client.destroy();
  }
  return signedIn(email, PASSWORD);
}

/** The user the smoke test acts as: a fresh one locally; on a deployed stage, its standing test user. */
export async function testUser(): Promise<SignedInUser> {
  const stage = target();
  return stage.kind === "deployed" ? signedIn(stage.email, stage.password) : registerUser();
}

async function signedIn(email: string, password: string): Promise<SignedInUser> {
  const tokens = await signIn(email, password);
  const claims = JSON.parse(Buffer.from((tokens.AccessToken ?? "").split(".")[1] ?? "", "base64url").toString()) as { sub: string };
  return {
    email,
    password,
    userId: claims.sub,
    accessToken: tokens.AccessToken ?? "",
    idToken: tokens.IdToken ?? "",
    refreshToken: tokens.RefreshToken ?? "",
  };
}

/** An address as the email routes answer with it. */
export interface EmailRecord {
  emailId: string;
  email: string;
  isPrimary: boolean;
  isVerified: boolean;
}

/** Puts the user in the admins group and signs in again, so the new token carries the group. */
export async function makeAdmin(user: SignedInUser): Promise<SignedInUser> {
  const config = await localConfig();
  const client = await cognitoClient();
  try {
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: config.userPoolId, Username: user.userId, GroupName: ADMIN_GROUP }));
  } finally {
    client.destroy();
  }
  return { ...user, accessToken: (await signIn(user.email)).AccessToken ?? "" };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** One API call as a client makes it: JSON in, JSON out, the token in Authorization. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: options.token } : {}),
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
