import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AdminGetUserCommandOutput,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { freePort } from "../../local/server/freePort.js";
import { startCognitoLocal } from "../../local/cognito/cognitoLocal.js";
import type { RequestQuotas } from "../../local/cognito/requestQuotas.js";
import { SesTestMailbox } from "./sesMailbox.js";

export interface TestCognito {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  client: CognitoIdentityProviderClient;
  /** Signs up and confirms with the mailed code, without triggers; returns the user's sub. */
  createConfirmedUser(email: string, password: string): Promise<string>;
  getUser(userId: string): Promise<AdminGetUserCommandOutput>;
  signIn(email: string, password: string): Promise<InitiateAuthCommandOutput>;
  /** Calls counted per operation, and the request-rate limits (none unless a test sets them). */
  quotas: RequestQuotas;
  stop(): Promise<void>;
}

/**
 * The local stack's cognito-local (pool and client as Terraform declares them, gaps closed) on a
 * free 127.0.0.1 port with its data in a temp folder. No triggers: tests decide which profiles exist.
 */
export async function startTestCognito(): Promise<TestCognito> {
  const dataDir = mkdtempSync(join(tmpdir(), "cognito-local-"));
  const mailbox = await SesTestMailbox.create();
  const cognito = await startCognitoLocal({ port: await freePort(), dataDir, mailer: mailbox, region: "us-east-1" });
  const client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const { userPoolId, clientId } = cognito;
  return {
    endpoint: cognito.endpoint,
    userPoolId,
    clientId,
    client,
    quotas: cognito.quotas,
    async createConfirmedUser(email, password) {
      const signUp = await client.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password }));
      const code = mailbox.to(email).at(-1)?.code;
      if (!code) throw new Error(`no confirmation code mailed to ${email}`);
      await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
      return signUp.UserSub ?? "";
    },
    getUser: (userId) => client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId })),
    signIn: (email, password) =>
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    async stop() {
      client.destroy();
      await cognito.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Upstream cognito-local as shipped (its CLI, none of the local stack's gap closing), in a child
 * process with its data in a temp folder: for proving how the adapter copes with its gaps.
 */
export async function startUpstreamCognitoLocal(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "cognito-upstream-"));
  const bin = join(dirname(createRequire(import.meta.url).resolve("cognito-local/package.json")), "lib/bin/start.js");
  const child = spawn(process.execPath, [bin], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/health`);
      return { endpoint, stop };
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error(`upstream cognito-local did not start on ${endpoint}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
