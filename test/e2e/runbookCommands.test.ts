import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalConfig } from "../../local/gateway/localEndpoints.js";
import { freeStackPorts } from "../../local/server/freePort.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { spawnStack, type SpawnedStack } from "./spawnedStack.js";

/**
 * docs/runbooks.md's commands that reach the service's own engines, run against a local stack of
 * their own: the DLQ redrive exactly as the runbook types it (`npm run dlq:redrive`, pointed at the
 * local SQS and EventBridge endpoints), the marker that puts a user before the reconciliation, and
 * the reconciliation's invoke through Lambda's Invoke API (what `aws lambda invoke` sends), plus
 * the runbook's shell helpers. A target that always fails keeps the events DLQ fed.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const credentials = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: "us-east-1" };

let stack: SpawnedStack;
let ports: Awaited<ReturnType<typeof freeStackPorts>>;
let apiUrl: string;
let config: LocalConfig;
beforeAll(async () => {
  ports = await freeStackPorts();
  stack = await spawnStack({ ...ports, LOCAL_FAILING_TARGET: "1" });
  apiUrl = `http://127.0.0.1:${ports.PORT}`;
  await stack.ready();
  config = (await (await fetch(`${apiUrl}/_local/config`)).json()) as LocalConfig;
}, 90_000);
afterAll(async () => {
  stack.child.kill("SIGTERM");
  await stack.exited;
  await stack.cleanup();
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** A confirmed user through Cognito (PreSignUp, PostConfirmation): its user.created goes to the failing target too. */
async function confirmedUser(): Promise<{ email: string; sub: string }> {
  const client = new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint), credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const email = `runbook-${randomUUID().slice(0, 8)}@example.com`;
  try {
    const { UserSub } = await client.send(new SignUpCommand({ ClientId: config.clientId, Username: email, Password: "Correct-Horse-9" }));
    const mail = (await (await fetch(`${apiUrl}/_local/mailbox?to=${encodeURIComponent(email)}`)).json()) as { messages: { code: string | null }[] };
    const code = mail.messages.at(-1)?.code ?? "";
    await client.send(new ConfirmSignUpCommand({ ClientId: config.clientId, Username: email, ConfirmationCode: code }));
    return { email, sub: UserSub ?? "" };
  } finally {
    client.destroy();
  }
}

const deadLetters = async () => ((await (await fetch(`${apiUrl}/_local/dlq`)).json()) as { messages: { queue: string; event: { detail: { eventId: string } } }[] }).messages;
const busEvents = async () => JSON.stringify(((await (await fetch(`${apiUrl}/_local/events`)).json()) as { events: unknown[] }).events);
const redrive = (...flags: string[]) =>
  run("npm", ["run", "--silent", "dlq:redrive", "--", "--stage", "local", ...flags], {
    cwd: ROOT,
    env: { ...process.env, ...credentials, SQS_ENDPOINT: config.sqsEndpoint, EVENTBRIDGE_ENDPOINT: `http://127.0.0.1:${ports.EVENTBRIDGE_PORT}` },
  });

describe.skipIf(Boolean(process.env.API_URL))("the runbooks' commands against the local stack", () => {
  it("Dead letters: npm run dlq:redrive counts with --dry-run, leaves them in the queue, then puts them back on the bus", async () => {
    const user = await confirmedUser();
    const letter = await until(async () => (await deadLetters()).find((m) => m.queue === "local-user-service-dlq" && JSON.stringify(m).includes(user.sub)));
    const eventId = letter.event.detail.eventId;
    const deliveriesBefore = (await busEvents()).split(eventId).length - 1;

    const dry = await redrive("--dry-run");
    expect(dry.stdout).toMatch(/would redrive: [1-9]\d*, refused by the bus: 0, unreadable: 0/);
    expect((await deadLetters()).some((m) => m.event.detail.eventId === eventId)).toBe(true);

    // At most what the dry run counted: the always-failing target dead-letters each redriven event
    // again, which would keep an unbounded run busy (in AWS the cause is fixed first).
    const counted = /would redrive: (\d+)/.exec(dry.stdout)?.[1] ?? "0";
    const real = await redrive("--max", counted);
    expect(real.stdout).toContain(`redriven: ${counted}, refused by the bus: 0, unreadable: 0`);
    // The bus took the same event (same eventId) again; the always-failing target may dead-letter it anew.
    await until(async () => ((await busEvents()).split(eventId).length - 1 > deliveriesBefore ? true : undefined));
  }, 60_000);

  it("Orphaned Cognito users: the runbook's marker put-item, then the reconciliation's invoke, checks the user and drops the marker", async () => {
    const user = await confirmedUser();
    const dynamo = new DynamoDBClient({ region: config.region, endpoint: `http://127.0.0.1:${ports.DYNAMODB_PORT}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const lambda = new LambdaClient({ region: config.region, endpoint: `http://127.0.0.1:${ports.LAMBDA_PORT}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const marker = { PK: { S: `SIGNUP#${user.sub}` }, SK: { S: "PENDING" } };
    try {
      // docs/runbooks.md: "A user with no marker ... is healed by giving it one, due now".
      await dynamo.send(new DeleteItemCommand({ TableName: "local-user-service", Key: marker }));
      await dynamo.send(
        new PutItemCommand({
          TableName: "local-user-service",
          Item: { ...marker, GSI2PK: { S: "SIGNUP#pending" }, GSI2SK: { S: `2000-01-01T00:00:00.000Z#${user.sub}` } },
        }),
      );
      // `aws lambda invoke --function-name user-service-$STAGE-reconcileUsers --payload '{}'`: the local Invoke API names it reconcileUsers.
      const answer = await lambda.send(new InvokeCommand({ FunctionName: "reconcileUsers", Payload: new TextEncoder().encode("{}") }));
      const report = JSON.parse(new TextDecoder().decode(answer.Payload)) as Record<string, number>;

      expect(answer.FunctionError).toBeUndefined();
      expect(report).toMatchObject({ checked: expect.any(Number), failed: 0 });
      expect(report.checked).toBeGreaterThanOrEqual(1);
      expect((await dynamo.send(new GetItemCommand({ TableName: "local-user-service", Key: marker, ConsistentRead: true }))).Item).toBeUndefined();
    } finally {
      dynamo.destroy();
      lambda.destroy();
    }
  }, 60_000);

  it("the runbooks' shell helpers (ago, epoch) give ISO times and epoch seconds without GNU or BSD date flags", async () => {
    const runbook = (await import("node:fs")).readFileSync(resolve(ROOT, "docs/runbooks.md"), "utf8");
    const helpers = runbook.split("\n").filter((line) => /^(ago|epoch)\(\) \{/.test(line));
    expect(helpers).toHaveLength(2);
    const { stdout } = await run("bash", ["-c", `${helpers.join("\n")}\nago 3h; ago 7d; epoch; epoch "$(ago 1h)"`]);
    const [threeHours, sevenDays, now, hourAgo] = stdout.trim().split("\n");
    expect(threeHours).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.round((Date.now() - Date.parse(threeHours ?? "")) / 3_600_000)).toBe(3);
    expect(Math.round((Date.now() - Date.parse(sevenDays ?? "")) / 86_400_000)).toBe(7);
    expect(Number(now) - Number(hourAgo)).toBeGreaterThanOrEqual(3599);
    expect(Number(now) - Number(hourAgo)).toBeLessThanOrEqual(3601);
  });
});
