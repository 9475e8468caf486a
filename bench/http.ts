/**
 * `npm run bench:http`: the local gateway under load (GET and PUT /users/me through the authorizer,
 * the REST v1 event and the real handlers) next to raw GetItem calls on the same DynamoDB Local, so
 * the cost of everything above the database shows as a ratio. Uses the stack at API_URL (default
 * http://localhost:3000) or starts one in a child process on free ports.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { createDocumentClient } from "../src/adapters/dynamodb/client.js";
import { keys } from "../src/adapters/dynamodb/keys.js";
import { localEndpoint } from "../src/adapters/localEndpoint.js";
import { freeStackPorts } from "../local/server/freePort.js";
import type { LocalConfig } from "../local/gateway/localEndpoints.js";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 10;
const DURATION_S = Number(process.env.BENCH_DURATION) || 10;
const PASSWORD = "Bench-Password-1";

interface Row {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

interface Target {
  apiUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

const healthy = (apiUrl: string) =>
  fetch(`${apiUrl}/_local/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);

async function target(): Promise<Target> {
  const apiUrl = (process.env.API_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (await healthy(apiUrl)) {
    return {
      apiUrl,
      dynamoEndpoint: process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
      tableName: process.env.TABLE_NAME ?? "local-user-service",
      stop: async () => undefined,
    };
  }
  const ports = await freeStackPorts();
  const dataDir = mkdtempSync(join(tmpdir(), "user-service-bench-"));
  process.stdout.write(`No stack at ${apiUrl}; starting one on port ${ports.PORT}…\n`);
  const child: ChildProcess = spawn(process.execPath, [createRequire(import.meta.url).resolve("tsx/cli"), "local/start.ts"], {
    env: { ...process.env, ...ports, LOCAL_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const started = `http://localhost:${ports.PORT}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(started))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the local stack did not start");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    apiUrl: started,
    dynamoEndpoint: `http://127.0.0.1:${ports.DYNAMODB_PORT}`,
    tableName: "local-user-service",
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh user signed in through the local Cognito, as a client would be. */
async function benchUser(apiUrl: string): Promise<{ token: string; userId: string }> {
  const config = (await (await fetch(`${apiUrl}/_local/config`)).json()) as LocalConfig;
  const cognito = new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint) });
  const email = `bench-${Date.now()}@example.com`;
  const { UserSub } = await cognito.send(new SignUpCommand({ ClientId: config.clientId, Username: email, Password: PASSWORD }));
  const box = (await (await fetch(`${apiUrl}/_local/mailbox?to=${encodeURIComponent(email)}`)).json()) as { messages: { code: string }[] };
  await cognito.send(new ConfirmSignUpCommand({ ClientId: config.clientId, Username: email, ConfirmationCode: box.messages.at(-1)?.code }));
  const auth = await cognito.send(
    new InitiateAuthCommand({ ClientId: config.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  cognito.destroy();
  return { token: auth.AuthenticationResult?.AccessToken ?? "", userId: UserSub ?? "" };
}

/** Names allow letters only: Ada, Adb, ... so every PUT changes something. */
const nameFor = (n: number) => `Bench ${n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)))}`;

async function http(name: string, options: autocannon.Options): Promise<Row> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

/** GetItem of the same profile item from CONNECTIONS concurrent loops, for the same duration. */
async function rawGetItem(t: Target, userId: string): Promise<Row> {
  const db = createDocumentClient({ tableName: t.tableName, region: "us-east-1", endpoint: t.dynamoEndpoint });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION_S * 1000;
  const loop = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      try {
        await db.send(new GetCommand({ TableName: t.tableName, Key: keys.profile(userId) }));
        latencies.push(performance.now() - started);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  db.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
  return { name: "DynamoDB GetItem (raw)", requestsPerSecond: latencies.length / DURATION_S, p50: at(0.5), p99: at(0.99), errors };
}

const t = await target();
try {
  const { token, userId } = await benchUser(t.apiUrl);
  const headers = { authorization: token, "content-type": "application/json" };
  let n = 0;
  await http("warm-up", { url: `${t.apiUrl}/users/me`, headers, duration: 2 });
  const rows = [
    await http("GET /users/me", { url: `${t.apiUrl}/users/me`, headers }),
    await http("PUT /users/me", {
      url: `${t.apiUrl}/users/me`,
      headers,
      requests: [{ method: "PUT", setupRequest: (req) => ({ ...req, body: JSON.stringify({ firstName: nameFor(n++) }) }) }],
    }),
    await rawGetItem(t, userId),
  ];
  const raw = rows[2] as Row;
  process.stdout.write(`\n${CONNECTIONS} connections, ${DURATION_S} s each, against ${t.apiUrl} and ${t.dynamoEndpoint}\n\n`);
  process.stdout.write("| Target | req/s | p50 ms | p99 ms | non-2xx/errors | req/s vs GetItem | p50 vs GetItem |\n|---|---:|---:|---:|---:|---:|---:|\n");
  for (const row of rows) {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : "-");
    process.stdout.write(
      `| ${row.name} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.errors} | ${ratio(row.requestsPerSecond, raw.requestsPerSecond)} | ${ratio(row.p50, raw.p50)} |\n`,
    );
  }
  process.stdout.write("\nPUT non-2xx are 409s: concurrent writes of one profile lose the optimistic-locking race by design.\n");
} finally {
  await t.stop();
}
