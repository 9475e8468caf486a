import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type AdminGetUserCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { freePort } from "../../local/freePort.js";

export interface TestCognito {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  client: CognitoIdentityProviderClient;
  /** Signs up and confirms a user; returns its sub. */
  createConfirmedUser(email: string, password: string): Promise<string>;
  getUser(userId: string): Promise<AdminGetUserCommandOutput>;
  stop(): Promise<void>;
}

/**
 * cognito-local in a child process on a free 127.0.0.1 port, with its data in a temp folder (it
 * writes `.cognito/` under its working directory), and one pool configured like ours: email as
 * the username attribute.
 */
export async function startTestCognito(): Promise<TestCognito> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "cognito-local-"));
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve("cognito-local/package.json")), "lib/bin/start.js");
  const child = spawn(process.execPath, [bin], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForServer(endpoint, () => output);
    const pool = await client.send(
      new CreateUserPoolCommand({ PoolName: "test", UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }),
    );
    const userPoolId = pool.UserPool?.Id ?? "";
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: "web",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const clientId = appClient.UserPoolClient?.ClientId ?? "";
    return {
      endpoint,
      userPoolId,
      clientId,
      client,
      async createConfirmedUser(email, password) {
        const signUp = await client.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password }));
        // cognito-local accepts any code when no code was stored for the user; it logs the real one.
        const code = /code.*?(\d{6})/i.exec(output.slice(output.lastIndexOf(email)))?.[1] ?? "000000";
        await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
        return signUp.UserSub ?? "";
      },
      getUser: (userId) => client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForServer(endpoint: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${endpoint}/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`cognito-local did not answer on ${endpoint}:\n${output()}`);
}
