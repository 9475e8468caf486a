import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessLogFields, accessLogFormat } from "../../local/gateway/accessLog.js";
import type { LocalConfig } from "../../local/gateway/localEndpoints.js";
import { freeStackPorts } from "../../local/server/freePort.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { spawnStack, type SpawnedStack } from "./spawnedStack.js";

// The lines are read from the stack's own stdout, where Lambda's and API Gateway's would go to
// CloudWatch: a stack of its own, with the handlers logging at INFO. On the packaged zips, as in
// AWS each function has its own logger; on the sources every function shares one module graph in
// one process, so an invocation running at the same moment (the relay beside the request) can
// lend its context to another's lines (docs/local-stack.md).
let stack: SpawnedStack;
let apiUrl: string;
beforeAll(async () => {
  const ports = await freeStackPorts();
  stack = await spawnStack({ ...ports, POWERTOOLS_LOG_LEVEL: "INFO" }, { artifacts: true });
  apiUrl = `http://127.0.0.1:${ports.PORT}`;
  await stack.ready(180_000);
}, 240_000);
afterAll(async () => {
  stack.child.kill("SIGTERM");
  await stack.exited;
  await stack.cleanup();
});

type Line = Record<string, unknown>;
const lines = (): Line[] =>
  stack
    .output()
    .stdout.split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Line];
      } catch {
        return [];
      }
    });

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logged = stack.output().stdout.split("\n").filter((line) => line.includes('"level"'));
      throw new Error(`not found in the stack's log lines:\n${logged.join("\n").slice(-6000)}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Sign-up, the code from the stack's mailbox, confirmation, sign-in: an access token. */
async function signedInUser(): Promise<string> {
  const config = (await (await fetch(`${apiUrl}/_local/config`)).json()) as LocalConfig;
  const client = new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint) });
  const email = `trace-${randomUUID().slice(0, 8)}@example.com`;
  const password = "Correct-Horse-9";
  try {
    await client.send(new SignUpCommand({ ClientId: config.clientId, Username: email, Password: password }));
    const mail = (await (await fetch(`${apiUrl}/_local/mailbox?to=${encodeURIComponent(email)}`)).json()) as { messages: { code: string | null }[] };
    const code = mail.messages.at(-1)?.code;
    if (!code) throw new Error("no sign-up code mailed");
    await client.send(new ConfirmSignUpCommand({ ClientId: config.clientId, Username: email, ConfirmationCode: code }));
    const auth = await client.send(
      new InitiateAuthCommand({ ClientId: config.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }),
    );
    return auth.AuthenticationResult?.AccessToken ?? "";
  } finally {
    client.destroy();
  }
}

describe.skipIf(Boolean(process.env.API_URL))("one request followed by its correlation id", () => {
  it("the gateway's access log, the handler's 'Request completed' line, the relay's, the event log's and the consumer's lines", async () => {
    const token = await signedInUser();
    const correlationId = `trace-${randomUUID()}`;

    // A deletion: its user.deleted goes to the event log and to the Cognito-sync consumer.
    const response = await fetch(`${apiUrl}/users/me`, {
      method: "DELETE",
      headers: { Authorization: token, "X-Correlation-Id": correlationId },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-correlation-id")).toBe(correlationId);

    // The handler: exactly one line, naming the route, the status and the gateway's request id.
    const completed = await until(() => {
      const found = lines().filter((l) => l.message === "Request completed" && l.correlationId === correlationId);
      return found.length > 0 ? found : undefined;
    });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ route: "/users/me", method: "DELETE", status: 200 });
    const requestId = completed[0]?.requestId;
    expect(requestId).toBe(response.headers.get("x-amzn-requestid"));

    // The gateway: API Gateway cannot log a request header of a proxy integration, so its access
    // line (the template's format) is the one with the request id the handler's line names.
    const fields = accessLogFields(accessLogFormat(resolve(import.meta.dirname, "../..")));
    const requestIdField = Object.keys(fields).find((field) => fields[field] === "requestId");
    expect(requestIdField).toBeDefined();
    const access = await until(() => lines().find((l) => !("level" in l) && l[requestIdField ?? ""] === requestId));
    expect(Object.keys(access).sort()).toEqual(Object.keys(fields).sort());
    const statusField = Object.keys(fields).find((field) => fields[field] === "status") ?? "status";
    expect(access[statusField]).toBe("200");

    // The event the request caused carries the id: the relay publishes it, the consumer takes it.
    // (From the sources every function shares the stack's one process and logger, so lines are
    // told apart by their message rather than by function_name, which the last invocation set.)
    const relayed = await until(() => lines().find((l) => l.message === "Event published" && l.correlationId === correlationId));
    expect(relayed).toMatchObject({ detailType: "user.deleted" });
    // The bus's log target: the events log group's line in AWS.
    const delivered = await until(() => lines().find((l) => l.message === "event delivered" && l.correlationId === correlationId));
    expect(delivered).toMatchObject({ detailType: "user.deleted" });
    const consumed = await until(() => lines().find((l) => l.message === "Cognito sync" && l.correlationId === correlationId));
    expect(consumed).toMatchObject({ detailType: "user.deleted" });
  }, 60_000);

  it("without an X-Correlation-Id the gateway's request id is the correlation id, the same in its access line and the handler's", async () => {
    const token = await signedInUser();
    const response = await fetch(`${apiUrl}/users/me`, { headers: { Authorization: token } });
    expect(response.status).toBe(200);
    const correlationId = response.headers.get("x-correlation-id") ?? "";
    expect(correlationId).toBe(response.headers.get("x-amzn-requestid"));

    const completed = await until(() => lines().find((l) => l.message === "Request completed" && l.correlationId === correlationId));
    expect(completed).toMatchObject({ requestId: correlationId, route: "/users/me", method: "GET", status: 200 });
    const access = await until(() => lines().find((l) => !("level" in l) && Object.values(l).includes(correlationId)));
    expect(Object.values(access)).toContain("200");
  }, 60_000);
});
