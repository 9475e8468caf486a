import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeStackPorts } from "../../local/server/freePort.js";
import { rawHttp, requestHead, requestWithBody, type RawReply } from "./rawHttp.js";
import { spawnStack, type SpawnedStack } from "./spawnedStack.js";

/**
 * Every HTTP server of `npm start`, reached from outside as an attacker or a broken client would:
 * each answers a malformed request with a 4xx in its own error shape and keeps running, and none
 * answers a Host other than this machine's (DNS rebinding).
 */
type Server = "gateway" | "lambda" | "eventBridge" | "cognito" | "ses" | "sqs";

const PORT_VARIABLE: Record<Server, "PORT" | "LAMBDA_PORT" | "EVENTBRIDGE_PORT" | "COGNITO_PORT" | "SES_PORT" | "SQS_PORT"> = {
  gateway: "PORT",
  lambda: "LAMBDA_PORT",
  eventBridge: "EVENTBRIDGE_PORT",
  cognito: "COGNITO_PORT",
  ses: "SES_PORT",
  sqs: "SQS_PORT",
};

/** Each server's own error shape: the service's error body, Lambda's, SESv2's (REST JSON), or AWS JSON's. */
function expectErrorShape(server: Server, reply: RawReply) {
  const body: unknown = JSON.parse(reply.body);
  expect(reply.headers["content-type"]).toMatch(/json/);
  if (server === "gateway") {
    expect(body).toEqual({ statusCode: reply.status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  } else if (server === "lambda") {
    expect(body).toEqual({ Type: "User", message: expect.any(String) });
    expect(reply.headers["x-amzn-errortype"]).toEqual(expect.any(String));
  } else if (server === "ses") {
    // aws-ses-v2-local's own refusals add a `detail`; ours name the error in x-amzn-ErrorType.
    expect(body).toMatchObject({ message: expect.any(String) });
  } else {
    expect(body).toEqual({ __type: expect.any(String), message: expect.any(String) });
  }
}

const INVOKE = "/2015-03-31/functions/preSignUp/invocations";
/** Where each server reads a body: a real route, so a refusal is about the request, not the path. */
const BODY_PATH: Record<Server, string> = { gateway: "/users/me/emails", lambda: INVOKE, eventBridge: "/", cognito: "/", ses: "/v2/email/outbound-emails", sqs: "/" };
const json11 = { "Content-Type": "application/x-amz-json-1.1" };
const putEvents = { ...json11, "X-Amz-Target": "AWSEvents.PutEvents" };
const cognitoTarget = (name: string) => ({ ...json11, "X-Amz-Target": `AWSCognitoIdentityProviderService.${name}` });
const sesJson = { "Content-Type": "application/json", Authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/ses/aws4_request" };
const sqsTarget = (name: string) => ({ "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": `AmazonSQS.${name}` });
/** A real operation's headers, so a refusal is about the body. */
const BODY_HEADERS: Record<Server, Record<string, string>> = {
  gateway: { "Content-Type": "application/json" },
  lambda: {},
  eventBridge: putEvents,
  cognito: cognitoTarget("SignUp"),
  ses: sesJson,
  sqs: sqsTarget("SendMessage"),
};

/** A request each server must refuse; `host` is this machine's, with the server's port. */
type Garbage = [Server, string, (host: string) => string | Buffer, number?];

const everyServer = (label: string, request: (host: string) => string | Buffer, status?: number): Garbage[] =>
  (Object.keys(PORT_VARIABLE) as Server[]).map((server) => [server, label, request, status]);

const garbage: Garbage[] = [
  ...everyServer("bytes that are not HTTP", () => Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]), 400),
  ...everyServer("an unknown method", (host) => requestHead("BREW", "/", host), 400),
  ...everyServer("a URL that does not parse", (host) => requestHead("GET", "//[", host)),
  ...everyServer("a header over the size limit", (host) => requestHead("GET", "/", host, { "X-Padding": "x".repeat(64 * 1024) }), 431),
  ...everyServer("a POST of garbage to /", (host) => requestWithBody("POST", "/", host, "x\u0000y")),
  ["gateway", "garbage JSON on a route", (host) => requestWithBody("PUT", "/users/me", host, "{bad", { "Content-Type": "application/json" })],
  ["gateway", "an unknown local path", (host) => requestHead("GET", "/_local/nope", host), 404],
  ["gateway", "a POST to a local endpoint", (host) => requestWithBody("POST", "/_local/mailbox", host, "{}")],
  ["lambda", "the issue's `curl -d x`", (host) => requestWithBody("POST", INVOKE, host, "x"), 400],
  ["lambda", "JSON that is not an event", (host) => requestWithBody("POST", INVOKE, host, '"just a string"'), 400],
  ["lambda", "a broken percent-encoding in the function name", (host) => requestWithBody("POST", "/2015-03-31/functions/%E0%A4%A/invocations", host, "{}")],
  ["lambda", "an unknown function", (host) => requestWithBody("POST", "/2015-03-31/functions/nope/invocations", host, "{}"), 404],
  ["lambda", "a GET of the invoke path", (host) => requestHead("GET", INVOKE, host)],
  ["eventBridge", "no operation header", (host) => requestWithBody("POST", "/", host, "{}", json11), 400],
  ["eventBridge", "JSON null", (host) => requestWithBody("POST", "/", host, "null", putEvents), 400],
  ["eventBridge", "Entries that are not a list", (host) => requestWithBody("POST", "/", host, '{"Entries":"x"}', putEvents), 400],
  ["eventBridge", "an entry that is not an object", (host) => requestWithBody("POST", "/", host, '{"Entries":[null]}', putEvents), 400],
  [
    "eventBridge",
    "entry fields of the wrong type",
    (host) => requestWithBody("POST", "/", host, '{"Entries":[{"Source":1,"DetailType":2,"Detail":3,"Resources":"r"}]}', putEvents),
    400,
  ],
  ["cognito", "bad JSON", (host) => requestWithBody("POST", "/", host, "{bad", cognitoTarget("SignUp")), 400],
  ["cognito", "JSON null", (host) => requestWithBody("POST", "/", host, "null", cognitoTarget("InitiateAuth")), 400],
  ["cognito", "the wrong content type", (host) => requestWithBody("POST", "/", host, "{}", { ...cognitoTarget("SignUp"), "Content-Type": "text/plain" }), 400],
  ["cognito", "an operation Cognito does not have", (host) => requestWithBody("POST", "/", host, "{}", cognitoTarget("Nope")), 400],
  ["cognito", "an unknown path", (host) => requestHead("GET", "/nope", host), 404],
  ["ses", "bad JSON to SendEmail", (host) => requestWithBody("POST", "/v2/email/outbound-emails", host, "{bad", sesJson), 400],
  ["ses", "SendEmail without content", (host) => requestWithBody("POST", "/v2/email/outbound-emails", host, "{}", sesJson), 400],
  ["ses", "SES v1 with an Action it would leave hanging", (host) => requestWithBody("POST", "/", host, "Action=Nope", { "Content-Type": "application/x-www-form-urlencoded", Authorization: "AWS x" }), 400],
  ["ses", "a bad since on the store API", (host) => requestHead("GET", "/store?since=x", host), 400],
  ["ses", "an .eml of no mail", (host) => requestHead("GET", "/get-emlContent?messageId=nope", host), 404],
  ["ses", "an unknown path", (host) => requestHead("GET", "/nope", host), 404],
  ["sqs", "no operation header", (host) => requestWithBody("POST", "/", host, "{}", { "Content-Type": "application/x-amz-json-1.0" }), 400],
  ["sqs", "the Query protocol", (host) => requestWithBody("POST", "/", host, "Action=ListQueues", { "Content-Type": "application/x-www-form-urlencoded" }), 400],
  ["sqs", "bad JSON", (host) => requestWithBody("POST", "/", host, "{bad", sqsTarget("SendMessage")), 400],
  ["sqs", "an operation SQS does not have", (host) => requestWithBody("POST", "/", host, "{}", sqsTarget("Nope")), 400],
  ["sqs", "a queue that does not exist", (host) => requestWithBody("POST", "/", host, '{"QueueUrl":"http://x/000000000000/nope","MessageBody":"m"}', sqsTarget("SendMessage")), 400],
];

describe.skipIf(Boolean(process.env.API_URL))("every local server, reached from outside", () => {
  let ports: Awaited<ReturnType<typeof freeStackPorts>>;
  let stack: SpawnedStack;
  const portOf = (server: Server) => ports[PORT_VARIABLE[server]];

  const expectStillRunning = async () => {
    expect(stack.child.exitCode, stack.output().stderr).toBeNull();
    const health = await rawHttp(ports.PORT, requestHead("GET", "/_local/health", `localhost:${ports.PORT}`));
    expect(health?.status, stack.output().stderr).toBe(200);
  };

  beforeAll(async () => {
    ports = await freeStackPorts();
    stack = await spawnStack(ports);
    await stack.ready();
  }, 90_000);

  afterAll(async () => {
    stack.child.kill("SIGTERM");
    await stack.exited;
    await stack.cleanup();
  }, 30_000);

  it.each(garbage)("%s: %s is a 4xx in its error shape, and the stack keeps running", async (server, _label, request, status) => {
    const reply = await rawHttp(portOf(server), request(`127.0.0.1:${portOf(server)}`));
    expect(reply, stack.output().stderr).not.toBeNull();
    if (!reply) return;
    if (status) expect(reply.status, reply.body).toBe(status);
    expect(reply.status, reply.body).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.body).toBeLessThan(500);
    expectErrorShape(server, reply);
    await expectStillRunning();
  });

  it.each(Object.keys(PORT_VARIABLE) as Server[])("%s: a body over the limit is 413, by its length or as it streams", async (server) => {
    const host = `127.0.0.1:${portOf(server)}`;
    const declared = await rawHttp(portOf(server), requestHead("POST", BODY_PATH[server], host, { ...BODY_HEADERS[server], "Content-Length": 64 * 1024 * 1024 }) + "x".repeat(1024));
    expect(declared?.status).toBe(413);
    expectErrorShape(server, declared as RawReply);

    const megabyte = "x".repeat(1024 * 1024);
    // Kept alive: the server answers while the body still streams, and reads the rest before closing.
    const streamed = { ...BODY_HEADERS[server], "Transfer-Encoding": "chunked", Connection: "keep-alive" };
    const chunked = await rawHttp(portOf(server), requestHead("POST", BODY_PATH[server], host, streamed), {
      then: (write) => {
        for (let i = 0; i < 12; i++) write(`${megabyte.length.toString(16)}\r\n${megabyte}\r\n`);
        // cognito-local's body-parser reads a body to its end before it answers 413.
        write("0\r\n\r\n");
      },
      waitMs: 15_000,
    });
    expect(chunked?.status).toBe(413);
    expectErrorShape(server, chunked as RawReply);
    await expectStillRunning();
  });

  it.each(Object.keys(PORT_VARIABLE) as Server[])("%s: a request cut off mid-body gets no crash", async (server) => {
    const host = `127.0.0.1:${portOf(server)}`;
    const reply = await rawHttp(portOf(server), requestHead("POST", BODY_PATH[server], host, { ...BODY_HEADERS[server], "Content-Length": 100 }) + "{\"a", {
      halfClose: true,
    });
    if (reply) expect(reply.status).toBeGreaterThanOrEqual(400);
    await expectStillRunning();
  });

  it.each(Object.keys(PORT_VARIABLE) as Server[])("%s: a foreign Host is 403 in its error shape", async (server) => {
    for (const host of ["evil.example", `evil.example:${portOf(server)}`, `localhost.evil.example:${portOf(server)}`, `localhost:${Number(portOf(server)) + 1}`]) {
      const path = server === "gateway" ? "/_local/mailbox" : "/";
      const reply = await rawHttp(portOf(server), requestHead(server === "lambda" || server === "gateway" || server === "ses" ? "GET" : "POST", path, host));
      expect(reply?.status, host).toBe(403);
      expectErrorShape(server, reply as RawReply);
    }
  });

  it("the gateway answers this machine's names, with its port or without", async () => {
    for (const host of ["localhost", `localhost:${ports.PORT}`, "LOCALHOST", "127.0.0.1", `127.0.0.1:${ports.PORT}`, "[::1]", `[::1]:${ports.PORT}`]) {
      const reply = await rawHttp(ports.PORT, requestHead("GET", "/_local/health", host));
      expect(reply?.status, host).toBe(200);
    }
  });

  it.each(["lambda", "eventBridge", "sqs", "ses"] as const)("%s: a request from another page (Origin) is 403: only SDKs (and SES's own viewer) call it", async (server) => {
    const host = `127.0.0.1:${portOf(server)}`;
    const path = server === "lambda" ? INVOKE : server === "ses" ? "/clear-store" : "/";
    const headers = server === "sqs" ? sqsTarget("ListQueues") : server === "ses" ? sesJson : putEvents;
    const reply = await rawHttp(portOf(server), requestWithBody("POST", path, host, "{}", { ...headers, Origin: "https://evil.example" }));
    expect(reply?.status).toBe(403);
    expectErrorShape(server, reply as RawReply);
  });

  // cognito-local allows every origin (CORS) and checks no IAM credentials: without this, any web
  // page could make itself an admin (AdminAddUserToGroup) or list every user of the local pool.
  it.each(["AdminAddUserToGroup", "ListUsers", "AdminGetUser", "DescribeUserPoolClient"])(
    "cognito: %s from a browser page (Origin) is 403, as it needs IAM credentials no page has",
    async (operation) => {
      const host = `127.0.0.1:${portOf("cognito")}`;
      const body = JSON.stringify({ UserPoolId: "local", Username: "someone", GroupName: "admins", ClientId: "x" });
      for (const origin of ["https://evil.example", `http://localhost:${ports.PORT}`]) {
        const reply = await rawHttp(portOf("cognito"), requestWithBody("POST", "/", host, body, { ...cognitoTarget(operation), Origin: origin }));
        expect(reply?.status, origin).toBe(403);
        expectErrorShape("cognito", reply as RawReply);
      }
    },
  );

  it("cognito: the web page's own calls (sign-up, sign-in) still pass from a browser", async () => {
    const host = `127.0.0.1:${portOf("cognito")}`;
    const origin = { Origin: `http://localhost:${ports.PORT}` };
    const reply = await rawHttp(portOf("cognito"), requestWithBody("POST", "/", host, JSON.stringify({ ClientId: "nope", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {} }), { ...cognitoTarget("InitiateAuth"), ...origin }));
    // Reaches Cognito's own checks (an unknown client), not the browser refusal.
    expect(reply?.status).toBe(400);
    expect(JSON.parse(reply?.body ?? "{}").__type).not.toBe("AccessDeniedException");
  });

  // DynamoDB Local's jar sends no Access-Control-Allow-Origin today; a version that did would open
  // the local table to every web page.
  it("DynamoDB Local gives no web page CORS access to the table", async () => {
    const host = `127.0.0.1:${ports.DYNAMODB_PORT}`;
    const dynamo = { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables" };
    for (const origin of ["https://evil.example", `http://localhost:${ports.PORT}`]) {
      const preflight = await rawHttp(
        ports.DYNAMODB_PORT,
        requestHead("OPTIONS", "/", host, { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-amz-target" }),
      );
      expect(preflight?.headers["access-control-allow-origin"], origin).toBeUndefined();
      const read = await rawHttp(ports.DYNAMODB_PORT, requestWithBody("POST", "/", host, "{}", { ...dynamo, Origin: origin }));
      expect(read?.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
  });
});
